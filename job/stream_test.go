package job

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// files writes a built-in dataset as CSV and as a float64 row file.
func files(t *testing.T, name string) (csv, rows string) {
	ds := builtin(t, name)
	dir := t.TempDir()
	csv = filepath.Join(dir, name+".csv")
	require.NoError(t, os.WriteFile(csv, []byte(toCSV(ds)), 0o644))
	rows = filepath.Join(dir, name+".rows")
	w, err := data.CreateRowFile(rows, append(append([]string(nil), ds.Features...), ds.Target), 8)
	require.NoError(t, err)
	for i := range ds.N {
		require.NoError(t, w.Write(append(append([]float64(nil), ds.Row(i)...), ds.Y[i])))
	}
	require.NoError(t, w.Close())
	return csv, rows
}

// runJob prepares and runs a job, and closes it when the test ends.
func runJob(t *testing.T, j *Job) (*Outcome, *Prepared) {
	t.Helper()
	p, err := j.Prepare()
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	o, err := p.Run(context.Background())
	require.NoError(t, err)
	return o, p
}

// TestStreamedJobEqualsInMemory: a job streamed from CSV or from a row
// file, rows in file order, trains exactly as the job in memory does (bit
// for bit without standardization; with it, statistics from one pass
// agree to 1e-15 and the run to 1e-12), reports the same metrics, and
// stores the statistics in its model file.
func TestStreamedJobEqualsInMemory(t *testing.T) {
	csv, rows := files(t, "diabetes")
	mem := builtin(t, "diabetes")
	for _, c := range []struct {
		name  string
		mk    func() *Job
		exact bool
	}{
		{"plain", func() *Job {
			return &Job{Model: "linear", Optimizer: optimizers.Config{Name: "adam", LR: 0.5}, Loop: train.Config{Epochs: 5, BatchSize: 64, NoShuffle: true}}
		}, true},
		{"standardized", func() *Job {
			return &Job{Model: "mlp:6", Standardize: true, StandardizeTarget: true, Optimizer: optimizers.Config{Name: "adam", LR: 0.01},
				Loop: train.Config{Epochs: 5, BatchSize: 32, NoShuffle: true}}
		}, false},
	} {
		j := c.mk()
		j.Data = mem
		want, wantPrep := runJob(t, j)
		for _, path := range []string{csv, rows} {
			t.Run(c.name+"/"+filepath.Ext(path), func(t *testing.T) {
				j := c.mk()
				j.Stream = &Stream{Path: path}
				got, prep := runJob(t, j)
				assert.Equal(t, want.Result.Steps, got.Result.Steps)
				assert.Equal(t, mem.N, prep.Rows())
				if c.exact {
					assert.Equal(t, want.Engine.Params(), got.Engine.Params())
					assert.Equal(t, want.Result.Loss, got.Result.Loss)
				} else {
					assert.LessOrEqual(t, paramsRel(want.Engine.Params(), got.Engine.Params()), 1e-12)
					assert.LessOrEqual(t, maxRel(wantPrep.Stats.Mean, prep.Stats.Mean), 1e-15)
					assert.LessOrEqual(t, maxRel(wantPrep.Stats.Std, prep.Stats.Std), 1e-14)
					assert.LessOrEqual(t, maxRel(wantPrep.TargetStats.Std, prep.TargetStats.Std), 1e-14)
					assert.Equal(t, prep.Stats, got.File.Standardize, "the statistics go into the model file")
				}
				assertMetrics(t, want.TrainMetrics, got.TrainMetrics, "training")
			})
		}
	}
}

// TestStreamedJobShuffledClassifier: a shuffled streamed classifier with a
// validation hold-out chooses xent from the labels found by the first
// pass, holds out about the fraction asked, learns, and a resumed
// checkpoint of it continues bit-identically.
func TestStreamedJobShuffledClassifier(t *testing.T) {
	csv, _ := files(t, "iris")
	mk := func(epochs int) *Job {
		return &Job{Model: "mlp:8", Standardize: true, ValSplit: 0.3, Stream: &Stream{Path: csv, BufferBytes: 800, ChunkBytes: 300},
			Optimizer: optimizers.Config{Name: "adam", LR: 0.02}, Loop: train.Config{Epochs: epochs, BatchSize: 10, Seed: 4}}
	}
	full, prep := runJob(t, mk(30))
	assert.Equal(t, "xent", full.Loss)
	sc := prep.Scanned()
	assert.Equal(t, 150, sc.Total)
	assert.InDelta(t, 45, sc.ValTotal, 15, "about 30%% held out")
	assert.Equal(t, sc.ValTotal, full.Val.Total)
	require.NotNil(t, full.ValMetrics)
	assert.Greater(t, *full.TrainMetrics.Accuracy, 0.9)
	conf, err := prep.Confusion(*full.Val)
	require.NoError(t, err)
	total := 0
	for _, row := range conf.Counts {
		for _, v := range row {
			total += v
		}
	}
	assert.Equal(t, sc.ValTotal, total)

	first, _ := runJob(t, mk(13))
	j := mk(30)
	j.Init = first.File
	resumed, _ := runJob(t, j)
	assert.Equal(t, full.Engine.Params(), resumed.Engine.Params())
}

// TestStreamedJobOnRanks: each of 2 or 3 in-process ranks streams only
// its own part of the file; they agree on the counts, the statistics and
// the parameters, which reach about what one process reaches.
func TestStreamedJobOnRanks(t *testing.T) {
	_, rows := files(t, "diabetes")
	mk := func() *Job {
		return &Job{Model: "linear", Standardize: true, StandardizeTarget: true, ValSplit: 0.2,
			Optimizer: optimizers.Config{Name: "adam", LR: 0.05}, Loop: train.Config{Epochs: 30, BatchSize: 32, Seed: 1}}
	}
	j := mk()
	j.Stream = &Stream{Path: rows}
	one, oneP := runJob(t, j)
	for _, p := range []int{2, 3} {
		t.Run(fmt.Sprint(p), func(t *testing.T) {
			comms, err := dist.NewGroup(p)
			require.NoError(t, err)
			outs := make([]*Outcome, p)
			preps := make([]*Prepared, p)
			var wg sync.WaitGroup
			for r := range p {
				wg.Add(1)
				go func() {
					defer wg.Done()
					j := mk()
					j.Stream = &Stream{Path: rows, Comm: comms[r]}
					prep, err := j.Prepare()
					if err != nil {
						comms[r].Abort(1, err.Error())
					}
					defer prep.Close()
					o, err := prep.Run(context.Background())
					if err != nil {
						comms[r].Abort(1, err.Error())
					}
					outs[r], preps[r] = o, prep
				}()
			}
			wg.Wait()
			for r := range p {
				require.NotNil(t, outs[r], "rank %d", r)
				assert.Equal(t, outs[0].Engine.Params(), outs[r].Engine.Params())
				assert.Equal(t, p, outs[r].Ranks)
				sc := preps[r].Scanned()
				assert.Equal(t, oneP.Scanned().Total, sc.Total)
				assert.Equal(t, oneP.Scanned().ValTotal, sc.ValTotal, "the hold-out does not depend on the ranks")
				assert.LessOrEqual(t, maxRel(oneP.Stats.Mean, preps[r].Stats.Mean), 1e-14)
				assert.LessOrEqual(t, maxRel(oneP.Stats.Std, preps[r].Stats.Std), 1e-14)
			}
			assert.InDelta(t, *one.TrainMetrics.R2, *outs[0].TrainMetrics.R2, 0.05, "another order of rows, about as good a fit")
			assert.False(t, math.IsNaN(outs[0].Result.ValLoss))
		})
	}
}
