package job

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/modelfile"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

func builtin(t testing.TB, name string) *data.Dataset {
	ds, err := data.Builtin(name)
	require.NoError(t, err)
	return ds
}

// TestChooseLoss: a target of class labels gets a classifier by default,
// with the reason said; a regression target keeps mse.
func TestChooseLoss(t *testing.T) {
	for _, c := range []struct {
		data, model, loss   string
		wantLoss, wantModel string
		wantErr             string
	}{
		{data: "iris", wantLoss: "xent", wantModel: "softmax"},
		{data: "iris", model: "mlp:8", wantLoss: "xent", wantModel: "mlp:8"},
		{data: "digits", model: "mlp:16", wantLoss: "xent", wantModel: "mlp:16"},
		{data: "digits", model: "linear(32) relu linear(10)", wantLoss: "xent", wantModel: "linear(32) relu linear(10)"},
		{data: "iris", model: "mlp:8", loss: "mse", wantLoss: "mse", wantModel: "mlp:8"},
		{data: "iris", model: "linear", wantErr: "holds 3 class labels, and linear is a regression model"},
		{data: "iris", model: "logistic", wantErr: "bce needs labels 0 and 1"},
		{data: "diabetes", wantLoss: "mse", wantModel: "linear"},
		{data: "salary", wantLoss: "mse", wantModel: "linear"},
		{data: "line", wantLoss: "mse", wantModel: "linear"},
		{data: "multi", model: "mlp:4", wantLoss: "mse", wantModel: "mlp:4"},
	} {
		t.Run(c.data+"/"+c.model+"/"+c.loss, func(t *testing.T) {
			got, err := ChooseLoss(builtin(t, c.data), c.model, nil, c.loss)
			if c.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.wantLoss, got.Loss)
			assert.Equal(t, c.wantModel, got.Model)
			assert.NotEmpty(t, got.Reason)
		})
	}
}

// TestClassifierByDefault: an MLP on digits trains with xent and reports
// accuracy, where it used to fit the labels with mse and report R².
func TestClassifierByDefault(t *testing.T) {
	j := &Job{Data: builtin(t, "digits"), Model: "mlp:16", Standardize: true,
		Optimizer: optimizers.Config{Name: "adam", LR: 0.01}, Loop: train.Config{Epochs: 5, BatchSize: 64, Seed: 1}}
	out, err := j.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "xent", out.Loss)
	assert.Contains(t, out.LossReason, "class labels 0..9")
	require.NotNil(t, out.TrainMetrics.Accuracy)
	assert.Nil(t, out.TrainMetrics.R2)
	assert.Greater(t, *out.TrainMetrics.Accuracy, 0.9)
	var b strings.Builder
	require.NoError(t, out.WriteSummary(&b))
	assert.Contains(t, b.String(), "xent chosen: the target")
	assert.Equal(t, 10, out.File.Classes)
	p, err := modelfile.Predict(out.File, builtin(t, "digits"))
	require.NoError(t, err)
	c, prob := p.Class(0)
	assert.Equal(t, 0, c, "the first digit is a 0")
	assert.Greater(t, prob, 0.5)
}

// TestStandardizedTarget: the salary regression on its raw target reaches
// R² ≈ 1 with the target standardized, and predictions and metrics are in
// dollars.
func TestStandardizedTarget(t *testing.T) {
	j := &Job{Data: builtin(t, "salary"), Standardize: true, StandardizeTarget: true,
		Optimizer: optimizers.Config{Name: "gd", LR: 0.1}, Loop: train.Config{Epochs: 500}}
	out, err := j.Run(context.Background())
	require.NoError(t, err)
	assert.Less(t, out.Result.Loss, 1e-12, "the loss is in standardized units")
	require.NotNil(t, out.TrainMetrics.R2)
	assert.InDelta(t, 1, *out.TrainMetrics.R2, 1e-9)
	assert.Less(t, *out.TrainMetrics.RMSE, 1e-3, "RMSE in dollars")
	p, err := modelfile.Predict(out.File, builtin(t, "salary"))
	require.NoError(t, err)
	assert.InDelta(t, 40000, p.Values[0], 1e-3, "a prediction in dollars")
}

// TestInitMapsColumnsByName resumes a model trained on columns a,b with a
// file whose columns come in the order b,a: the weights stay on their
// columns.
func TestInitMapsColumnsByName(t *testing.T) {
	ab, err := data.ParseCSV(strings.NewReader("a,b,y\n1,10,21\n2,30,62\n3,20,43\n4,5,14\n"), "ab.csv", data.CSVOptions{})
	require.NoError(t, err)
	ba, err := data.ParseCSV(strings.NewReader("b,a,y\n10,1,21\n30,2,62\n20,3,43\n5,4,14\n"), "ba.csv", data.CSVOptions{})
	require.NoError(t, err)
	mk := func(ds *data.Dataset, init *modelfile.File) *Outcome {
		j := &Job{Data: ds, Standardize: true, Optimizer: optimizers.Config{Name: "gd", LR: 0.1}, Loop: train.Config{Epochs: 300}, Init: init}
		out, err := j.Run(context.Background())
		require.NoError(t, err)
		return out
	}
	first := mk(ab, nil)
	again := mk(ab, first.File)
	swapped := mk(ba, first.File)
	assert.Equal(t, again.Engine.Params(), swapped.Engine.Params())
	assert.Equal(t, again.Result.Loss, swapped.Result.Loss)
	missing, err := data.ParseCSV(strings.NewReader("a,c,y\n1,2,3\n"), "ac.csv", data.CSVOptions{})
	require.NoError(t, err)
	_, err = (&Job{Data: missing, Init: first.File}).Prepare()
	assert.ErrorContains(t, err, `has no column "b"`)
}

// TestInitRefusesAnotherOptimizer: resuming an adam checkpoint with gd
// would drop its state; it is refused unless ResetOptimizer says so.
func TestInitRefusesAnotherOptimizer(t *testing.T) {
	j := &Job{Data: builtin(t, "multi"), Optimizer: optimizers.Config{Name: "adam", LR: 0.05}, Loop: train.Config{Epochs: 3}}
	out, err := j.Run(context.Background())
	require.NoError(t, err)
	gd := &Job{Data: builtin(t, "multi"), Optimizer: optimizers.Config{Name: "gd"}, Loop: train.Config{Epochs: 5}, Init: out.File}
	_, err = gd.Prepare()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the checkpoint was trained with adam; resuming it with gd would drop adam's state")
	gd.ResetOptimizer = true
	p, err := gd.Prepare()
	require.NoError(t, err)
	assert.False(t, p.Resumed)
	assert.Nil(t, p.Loop.Resume, "a reset optimizer starts a new run from the weights")
}

// TestDivergedRunHasNoMetrics: metrics of garbage are not reported.
func TestDivergedRunHasNoMetrics(t *testing.T) {
	j := &Job{Data: builtin(t, "linear-300"), Optimizer: optimizers.Config{Name: "gd", LR: 0.01}, Loop: train.Config{Epochs: 1000}}
	out, err := j.Run(context.Background())
	require.NoError(t, err)
	require.Equal(t, train.Diverged, out.Result.Status)
	assert.Nil(t, out.TrainMetrics)
	var b strings.Builder
	require.NoError(t, out.WriteSummary(&b))
	assert.Contains(t, b.String(), "metrics:   not computed: the run diverged")
	assert.NotContains(t, b.String(), "R²")
	d := out.Result.Diverged
	assert.Equal(t, d.Step-1, out.Result.Steps, "the diverged step is not counted")
	assert.Equal(t, d.Epoch-1, out.Result.Epochs)
}

// TestCheckpointResumesBitIdentical interrupts a shuffled mini-batch Adam
// run with a cosine schedule at several steps inside epochs, saves the
// checkpoint to a file (JSON and safetensors), loads it, resumes and
// checks the end is bit-identical to the uninterrupted run.
func TestCheckpointResumesBitIdentical(t *testing.T) {
	newJob := func() *Job {
		return &Job{Data: builtin(t, "iris"), Model: "linear(8) tanh dropout(0.2) linear(3)", Standardize: true,
			Optimizer: optimizers.Config{Name: "adam", LR: 0.02, Schedule: "cosine:200"},
			Loop:      train.Config{Epochs: 12, BatchSize: 16, Seed: 4}, ValSplit: 0.2}
	}
	full, err := newJob().Run(context.Background())
	require.NoError(t, err)
	dir := t.TempDir()
	for _, k := range []int{3, 17, 50, 64} {
		for _, ext := range []string{".json", ".safetensors"} {
			t.Run(fmt.Sprintf("step-%d%s", k, ext), func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				stop := train.Funcs{Step: func(s *train.Step) error {
					if s.Step == k-1 {
						cancel()
					}
					return nil
				}}
				j := newJob()
				j.Hooks = []train.Hook{stop}
				part, err := j.Run(ctx)
				require.NoError(t, err)
				require.Equal(t, train.Interrupted, part.Result.Status)
				path := filepath.Join(dir, fmt.Sprintf("ck-%d%s", k, ext))
				require.NoError(t, part.File.Save(path))
				f, err := modelfile.Load(path)
				require.NoError(t, err)
				r := newJob()
				r.Init = f
				res, err := r.Run(context.Background())
				require.NoError(t, err)
				assert.Equal(t, full.Result.Steps, res.Result.Steps)
				assert.Equal(t, full.Result.Epochs, res.Result.Epochs)
				assert.Equal(t, full.Engine.Params(), res.Engine.Params(), "bit-identical parameters")
				assert.Equal(t, full.Result.Loss, res.Result.Loss)
			})
		}
	}
}

func TestHugeOneHotIsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("x,label\n")
	for i := 0; i < 4000; i++ {
		fmt.Fprintf(&b, "%d,%d\n", i, i%40000)
	}
	b.WriteString("1,39999\n")
	ds, err := data.ParseCSV(strings.NewReader(b.String()), "big.csv", data.CSVOptions{})
	require.NoError(t, err)
	_, err = (&Job{Data: ds, Loss: "xent"}).Prepare()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "one-hot")
}
