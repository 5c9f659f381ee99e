package job

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/modelfile"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

func float32Job(t *testing.T) *Job {
	return &Job{Data: builtin(t, "iris"), Model: "linear(8) tanh dropout(0.2) linear(3)", Standardize: true, Float32: true,
		Optimizer: optimizers.Config{Name: "adam", LR: 0.02, Schedule: "cosine:200"},
		Loop:      train.Config{Epochs: 12, BatchSize: 16, Seed: 4}, ValSplit: 0.2}
}

// TestFloat32CheckpointResumesBitIdentical: a --float32 job steps a
// float32 optimizer, checkpoints its float32 state, and a run interrupted
// inside an epoch, saved (JSON and safetensors), loaded and resumed ends
// bit-identical to the uninterrupted one.
func TestFloat32CheckpointResumesBitIdentical(t *testing.T) {
	full, err := float32Job(t).Run(context.Background())
	require.NoError(t, err)
	require.NotNil(t, full.File.Optimizer)
	require.NotNil(t, full.Engine.Params32(), "a float32 engine")
	assert.Contains(t, string(full.File.Optimizer.State), `"dtype":"float32"`)
	dir := t.TempDir()
	for _, k := range []int{3, 50} {
		for _, ext := range []string{".json", ".safetensors"} {
			t.Run(fmt.Sprintf("step-%d%s", k, ext), func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				j := float32Job(t)
				j.Hooks = []train.Hook{train.Funcs{Step: func(s *train.Step) error {
					if s.Step == k-1 {
						cancel()
					}
					return nil
				}}}
				part, err := j.Run(ctx)
				require.NoError(t, err)
				require.Equal(t, train.Interrupted, part.Result.Status)
				path := filepath.Join(dir, fmt.Sprintf("ck-%d%s", k, ext))
				require.NoError(t, part.File.Save(path))
				f, err := modelfile.Load(path)
				require.NoError(t, err)
				r := float32Job(t)
				r.Init = f
				res, err := r.Run(context.Background())
				require.NoError(t, err)
				assert.True(t, res.Resumed)
				assert.Equal(t, full.Result.Steps, res.Result.Steps)
				assert.Equal(t, full.Engine.Params32(), res.Engine.Params32(), "bit-identical parameters")
				assert.Equal(t, full.Result.Loss, res.Result.Loss)
			})
		}
	}
}

// TestFloat32RefusesFloat64OptimizerState: a float32 checkpoint written
// before float32 jobs kept float32 optimizer state holds a float64 state;
// resuming it is refused with a one-line error that names
// --reset-optimizer, which then starts afresh from the weights.
func TestFloat32RefusesFloat64OptimizerState(t *testing.T) {
	j := float32Job(t)
	j.Loop.Epochs = 1
	out, err := j.Run(context.Background())
	require.NoError(t, err)
	j64 := float32Job(t)
	j64.Float32, j64.Loop.Epochs = false, 1
	old, err := j64.Run(context.Background())
	require.NoError(t, err)
	f := out.File
	f.Optimizer.State = old.File.Optimizer.State // as the old code wrote it
	r := float32Job(t)
	r.Init = f
	_, err = r.Prepare()
	require.EqualError(t, err, "job: the checkpoint holds a float64 optimizer state (written before --float32 kept the optimizer in float32); pass --reset-optimizer to resume from its weights with a fresh float32 optimizer")
	r.ResetOptimizer = true
	p, err := r.Prepare()
	require.NoError(t, err)
	assert.False(t, p.Resumed)
	assert.Equal(t, out.Engine.Params32(), p.Engine.Params32(), "the weights load exactly")
}
