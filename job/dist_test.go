package job

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// rankRun is what one rank of a data-parallel job produced.
type rankRun struct {
	out  *Outcome
	prep *Prepared
	conf *train.Confusion
	err  error
}

// runShards runs job on every rank of an in-process world of p ranks,
// each holding its share of the rows (shard makes a rank's Data and
// Shard), and aborts the world when a rank fails, as the command line
// does.
func runShards(t *testing.T, p int, mk func() *Job, shard func(c dist.Comm) (*data.Dataset, *Shard, error)) []rankRun {
	comms, err := dist.NewGroup(p)
	require.NoError(t, err)
	out := make([]rankRun, p)
	var wg sync.WaitGroup
	for r := range p {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fail := func(err error) {
				out[r].err = err
				comms[r].Abort(1, err.Error())
			}
			ds, s, err := shard(comms[r])
			if err != nil {
				fail(err)
			}
			j := mk()
			j.Data, j.Shard = ds, s
			prep, err := j.Prepare()
			if err != nil {
				fail(err)
			}
			o, err := prep.Run(context.Background())
			if err != nil {
				fail(err)
			}
			d := o.Train
			if o.Val != nil {
				d = *o.Val
			}
			var conf *train.Confusion
			if prep.Classes > 0 {
				if conf, err = prep.Confusion(d); err != nil {
					fail(err)
				}
			}
			out[r] = rankRun{out: o, prep: prep, conf: conf}
		}()
	}
	wg.Wait()
	return out
}

func relErr(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}

func maxRel(a, b []float64) float64 {
	var m float64
	for i := range a {
		m = math.Max(m, relErr(a[i], b[i]))
	}
	return m
}

// paramsRel is max|a−b| / max|a| over every parameter value.
func paramsRel(a, b map[string][]float64) float64 {
	var num, den float64
	for k, va := range a {
		for i, v := range va {
			num = math.Max(num, math.Abs(v-b[k][i]))
			den = math.Max(den, math.Abs(v))
		}
	}
	return num / den
}

func assertMetrics(t *testing.T, want, got *Metrics, what string) {
	t.Helper()
	for _, f := range []struct {
		name string
		get  func(*Metrics) *float64
	}{{"accuracy", func(m *Metrics) *float64 { return m.Accuracy }}, {"R²", func(m *Metrics) *float64 { return m.R2 }},
		{"RMSE", func(m *Metrics) *float64 { return m.RMSE }}, {"MAE", func(m *Metrics) *float64 { return m.MAE }}} {
		w, g := f.get(want), f.get(got)
		if w == nil {
			assert.Nil(t, g, "%s %s", what, f.name)
			continue
		}
		require.NotNil(t, g, "%s %s", what, f.name)
		assert.LessOrEqual(t, relErr(*w, *g), 1e-12, "%s %s: %v vs %v", what, f.name, *w, *g)
	}
}

// TestShardedJobEqualsOneProcess: a whole job (loss chosen from the
// labels, validation split, feature and target standardization, metrics,
// confusion matrix, model file) run on 2 and 3 in-process ranks, each
// reading only its own byte range of the CSV file, ends where the job
// ends in one process, to 1e-12 relative; the standardization matches to
// 1e-15.
func TestShardedJobEqualsOneProcess(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		ds   string
		mk   func() *Job
	}{
		{"regression", "diabetes", func() *Job {
			return &Job{Model: "mlp:8", Activation: "tanh", Standardize: true, StandardizeTarget: true, ValSplit: 0.2,
				Optimizer: optimizers.Config{Name: "adam", LR: 0.01, ClipNorm: 2}, Loop: train.Config{Epochs: 15, BatchSize: 32, Seed: 3}}
		}},
		{"classifier", "iris", func() *Job {
			return &Job{Standardize: true, ValSplit: 0.3, Optimizer: optimizers.Config{Name: "momentum", LR: 0.1, Schedule: "cosine:100"},
				Loop: train.Config{Epochs: 25, BatchSize: 16, Seed: 5, Patience: 30}}
		}},
		{"full batch", "salary", func() *Job {
			return &Job{Standardize: true, StandardizeTarget: true, Optimizer: optimizers.Config{Name: "gd", LR: 0.1},
				Loop: train.Config{Epochs: 40}}
		}},
	} {
		whole, err := data.Builtin(c.ds)
		require.NoError(t, err)
		path := filepath.Join(dir, c.ds+".csv")
		require.NoError(t, os.WriteFile(path, []byte(toCSV(whole)), 0o644))
		one, err := data.ReadCSV(path, data.CSVOptions{})
		require.NoError(t, err)
		j := c.mk()
		j.Data = one
		prep, err := j.Prepare()
		require.NoError(t, err)
		want, err := prep.Run(context.Background())
		require.NoError(t, err)
		var wantConf *train.Confusion
		if prep.Classes > 0 {
			wantConf, err = prep.Confusion(*want.Val)
			require.NoError(t, err)
		}
		for _, p := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/%d ranks", c.name, p), func(t *testing.T) {
				runs := runShards(t, p, c.mk, func(comm dist.Comm) (*data.Dataset, *Shard, error) {
					return ReadShard(path, data.CSVOptions{}, comm)
				})
				for r, g := range runs {
					require.NoError(t, g.err, "rank %d", r)
					o := g.out
					assert.Equal(t, want.Loss, o.Loss)
					assert.Equal(t, p, o.Ranks)
					assert.Equal(t, prep.Rows(), g.prep.Rows())
					assert.Equal(t, want.Result.Steps, o.Result.Steps)
					assert.Equal(t, want.Result.Status, o.Result.Status)
					assert.LessOrEqual(t, relErr(want.Result.Loss, o.Result.Loss), 1e-12, "rank %d loss", r)
					if want.Val != nil {
						assert.LessOrEqual(t, relErr(want.Result.ValLoss, o.Result.ValLoss), 1e-12)
					}
					assert.LessOrEqual(t, paramsRel(want.Engine.Params(), o.Engine.Params()), 1e-12, "rank %d parameters", r)
					if st := prep.Stats; st != nil {
						assert.LessOrEqual(t, maxRel(st.Mean, g.prep.Stats.Mean), 1e-15, "means")
						assert.LessOrEqual(t, maxRel(st.Std, g.prep.Stats.Std), 4e-15, "standard deviations")
					}
					assertMetrics(t, want.TrainMetrics, o.TrainMetrics, "training")
					if want.ValMetrics != nil {
						assertMetrics(t, want.ValMetrics, o.ValMetrics, "validation")
					}
					assert.Equal(t, wantConf, g.conf)
					assert.Equal(t, want.File.Features, o.File.Features)
					var sum strings.Builder
					require.NoError(t, o.WriteSummary(&sum))
					assert.Contains(t, sum.String(), fmt.Sprintf("data-parallel on %d ranks", p))
				}
			})
		}
	}
}

// TestShardedJobBuiltinAndErrors: a built-in dataset is shared out in
// memory (ShardOf) with the same result; a bad label in one rank's rows
// fails that rank with the row's number in the whole file, and the others
// learn of it from the abort instead of waiting.
func TestShardedJobBuiltinAndErrors(t *testing.T) {
	whole, err := data.Builtin("iris")
	require.NoError(t, err)
	mk := func() *Job {
		return &Job{Standardize: true, Optimizer: optimizers.Config{Name: "adam", LR: 0.05}, Loop: train.Config{Epochs: 10, BatchSize: 20, Seed: 1}}
	}
	j := mk()
	j.Data = whole
	want, err := j.Run(context.Background())
	require.NoError(t, err)
	runs := runShards(t, 3, mk, func(c dist.Comm) (*data.Dataset, *Shard, error) {
		ds, s := ShardOf(whole, c)
		return ds, s, nil
	})
	for r, g := range runs {
		require.NoError(t, g.err)
		assert.LessOrEqual(t, paramsRel(want.Engine.Params(), g.out.Engine.Params()), 1e-12, "rank %d parameters", r)
	}

	body := toCSV(whole)
	lines := strings.Split(body, "\n")
	lines[140] = strings.TrimSuffix(lines[140], ",2") + ",2.5" // data row 140, in the last rank's bytes
	path := filepath.Join(t.TempDir(), "bad.csv")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644))
	runs = runShards(t, 3, func() *Job {
		j := mk()
		j.Loss = "xent"
		return j
	}, func(c dist.Comm) (*data.Dataset, *Shard, error) { return ReadShard(path, data.CSVOptions{}, c) })
	assert.EqualError(t, runs[2].err, `data: bad: data row 140: class label in column "species" must be an integer 0, 1, 2, …, got 2.5`)
	for _, r := range []int{0, 1} {
		require.Error(t, runs[r].err)
		assert.Contains(t, runs[r].err.Error(), "rank 2 aborted")
	}
}

// toCSV renders a dataset as CSV with a header, features then target.
func toCSV(ds *data.Dataset) string {
	var b strings.Builder
	b.WriteString(strings.Join(append(append([]string(nil), ds.Features...), ds.Target), ",") + "\n")
	for i := range ds.N {
		for _, v := range ds.Row(i) {
			fmt.Fprintf(&b, "%v,", v)
		}
		fmt.Fprintf(&b, "%v\n", ds.Y[i])
	}
	return b.String()
}
