package train

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
	"github.com/descent-ml/descent/optimizers"
)

// shardOf is rows [lo, hi) of d, as one process's share of d's rows.
func shardOf(d Data, lo, hi int) Data {
	s := d
	s.X, s.Y, s.N, s.Lo, s.Total = d.X[lo*d.D:hi*d.D], d.Y[lo*d.T:hi*d.T], hi-lo, lo, d.N
	if d.Labels != nil {
		s.Labels = d.Labels[lo:hi]
	}
	return s
}

// evenCuts splits n rows into p contiguous shards of nearly equal size.
func evenCuts(n, p int) []int {
	cuts := make([]int, p+1)
	for r := range cuts {
		cuts[r] = r * n / p
	}
	return cuts
}

// relDiff is max|a−b| / max|b| over the parameters: 0 for equal sets.
func relDiff(a, b map[string][]float64) float64 {
	var num, den float64
	for k, vb := range b {
		for i, v := range vb {
			num = math.Max(num, math.Abs(a[k][i]-v))
			den = math.Max(den, math.Abs(v))
		}
	}
	if den == 0 {
		return num
	}
	return num / den
}

func rel(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}

// problem builds a fresh engine and optimizer for one process of a run.
type problem func(t testing.TB, rank int) (*graph.Engine, *optimizers.Optimizer)

// parallelRun is what one rank of a group run produced.
type parallelRun struct {
	res    *Result
	params map[string][]float64
	err    error
}

// runGroup runs Run on an in-process world of len(cuts)-1 ranks, rank r
// holding rows [cuts[r], cuts[r+1]) of tr and its even share of val. A
// rank whose Run fails aborts the world, as the command line does.
func runGroup(t testing.TB, mk problem, tr Data, val *Data, cuts []int, cfg Config, hooks func(rank int) []Hook) []parallelRun {
	p := len(cuts) - 1
	comms, err := dist.NewGroup(p)
	require.NoError(t, err)
	out := make([]parallelRun, p)
	var wg sync.WaitGroup
	for r := range p {
		e, o := mk(t, r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := cfg
			c.Comm = comms[r]
			trR := shardOf(tr, cuts[r], cuts[r+1])
			var valR *Data
			if val != nil {
				vc := evenCuts(val.N, p)
				v := shardOf(*val, vc[r], vc[r+1])
				valR = &v
			}
			var hs []Hook
			if hooks != nil {
				hs = hooks(r)
			}
			res, err := Run(context.Background(), e, Adapt(o), trR, valR, c, hs...)
			out[r] = parallelRun{res: res, params: cloneParams(e.Params()), err: err}
			if err != nil {
				comms[r].Abort(1, err.Error())
			}
		}()
	}
	wg.Wait()
	return out
}

func linearProblem(opt optimizers.Config, d int) problem {
	return func(t testing.TB, rank int) (*graph.Engine, *optimizers.Optimizer) {
		// Each rank's model gets another seed: the broadcast of rank 0's
		// parameters must make them equal.
		e, err := models.Problem{Model: models.Linear{Features: d}, Loss: "mse", Seed: uint64(rank) + 1}.Engine(graph.Options{})
		require.NoError(t, err)
		for _, p := range e.Params() {
			for i := range p {
				p[i] = 0.1 * float64(rank+i+1)
			}
		}
		o, err := optimizers.New(opt)
		require.NoError(t, err)
		require.NoError(t, o.Init(e.Params()))
		return e, o
	}
}

func mlpProblem(opt optimizers.Config, d, k int) problem {
	return func(t testing.TB, rank int) (*graph.Engine, *optimizers.Optimizer) {
		m, err := models.Parse("mlp:12", d, k, "tanh", uint64(rank)+7)
		require.NoError(t, err)
		e, err := models.Problem{Model: m, Loss: "xent", Input: []int{d}, Target: []int{k}, Seed: uint64(rank) + 7}.Engine(graph.Options{})
		require.NoError(t, err)
		o, err := optimizers.New(opt)
		require.NoError(t, err)
		require.NoError(t, o.Init(e.Params()))
		return e, o
	}
}

// multiData is the built-in regression set "multi" (50 rows).
func multiData(t testing.TB) Data {
	ds, err := data.Builtin("multi")
	require.NoError(t, err)
	return Data{X: ds.X, Y: ds.Y, N: ds.N, D: ds.D, T: 1}
}

// digitsData is the first n rows of digits, standardized, with one-hot
// targets and labels, split into training rows and the rest for
// validation.
func digitsData(t testing.TB, n, nVal int) (Data, Data) {
	ds, err := data.Builtin("digits")
	require.NoError(t, err)
	st := data.FitStats(ds.X[:n*ds.D], n, ds.D)
	X := append([]float64(nil), ds.X[:n*ds.D]...)
	require.NoError(t, st.Apply(X, ds.D))
	Y := make([]float64, n*10)
	for i, l := range ds.Y[:n] {
		Y[i*10+int(l)] = 1
	}
	all := Data{X: X, Y: Y, N: n, D: ds.D, T: 10, Labels: ds.Y[:n], Classes: 10}
	k := n - nVal
	return shardOf(all, 0, k).whole(), shardOf(all, k, n).whole()
}

// whole makes a shard a set of its own.
func (d Data) whole() Data { d.Lo, d.Total = 0, 0; return d }

// TestDataParallelEqualsOneProcess is the contract of data-parallel
// training: in every regime (batch, mini-batch and SGD; shuffled or not;
// with a schedule, clipping, validation and early stopping) N ranks of
// an in-process world end where one process ends on the same data, to
// 1e-12 relative in float64, with the same step and epoch counts, and
// every rank holds bitwise the same parameters. Shards are even, uneven,
// and include a rank with no rows at all.
func TestDataParallelEqualsOneProcess(t *testing.T) {
	multi := multiData(t)
	dig, digVal := digitsData(t, 360, 60)
	cases := []struct {
		name   string
		mk     problem
		tr     Data
		val    *Data
		cfg    Config
		epochs int
	}{
		{"batch/gd", linearProblem(optimizers.Config{Name: "gd", LR: 0.05}, multi.D), multi, nil, Config{Epochs: 60}, 0},
		{"batch/no-shuffle", linearProblem(optimizers.Config{Name: "gd", LR: 0.05}, multi.D), multi, nil, Config{Epochs: 60, NoShuffle: true}, 0},
		{"sgd/shuffled", linearProblem(optimizers.Config{Name: "gd", LR: 0.01}, multi.D), multi, nil, Config{Epochs: 3, BatchSize: 1, Seed: 5}, 0},
		{"mini-batch/adam", linearProblem(optimizers.Config{Name: "adam", LR: 0.05}, multi.D), multi, nil, Config{Epochs: 20, BatchSize: 16, Seed: 9}, 0},
		{"mini-batch/no-shuffle/momentum/clip-value", linearProblem(optimizers.Config{Name: "momentum", LR: 0.02, ClipValue: 0.5}, multi.D), multi, nil, Config{Epochs: 20, BatchSize: 7, NoShuffle: true}, 0},
		{"mini-batch/schedule/clip-norm", linearProblem(optimizers.Config{Name: "adam", LR: 0.1, Schedule: "warmup:5+cosine:60", ClipNorm: 1}, multi.D), multi, nil, Config{Epochs: 20, BatchSize: 9, Seed: 2}, 0},
		{"mlp/xent/val/patience", mlpProblem(optimizers.Config{Name: "adam", LR: 0.01, ClipNorm: 5}, dig.D, 10), dig, &digVal, Config{Epochs: 8, BatchSize: 32, Seed: 4, Patience: 2}, 0},
		{"mlp/tol", mlpProblem(optimizers.Config{Name: "rmsprop", LR: 0.001, Schedule: "step:3:0.5"}, dig.D, 10), dig, &digVal, Config{Epochs: 6, BatchSize: 50, Seed: 8, Tol: 1e-9}, 0},
	}
	for _, c := range cases {
		e, o := c.mk(t, 0)
		want, err := Run(context.Background(), e, Adapt(o), c.tr, c.val, c.cfg)
		require.NoError(t, err, c.name)
		wantParams := cloneParams(e.Params())
		n := c.tr.N
		for _, cuts := range [][]int{evenCuts(n, 2), evenCuts(n, 3), {0, n / 5, n / 5, n}} {
			t.Run(fmt.Sprintf("%s/cuts=%v", c.name, cuts), func(t *testing.T) {
				got := runGroup(t, c.mk, c.tr, c.val, cuts, c.cfg, nil)
				for r, g := range got {
					require.NoError(t, g.err, "rank %d", r)
					assert.Equal(t, want.Status, g.res.Status)
					assert.Equal(t, want.Steps, g.res.Steps)
					assert.Equal(t, want.Epochs, g.res.Epochs)
					assert.Equal(t, want.BestEpoch, g.res.BestEpoch)
					assert.LessOrEqual(t, relDiff(g.params, wantParams), 1e-12, "rank %d parameters", r)
					assert.LessOrEqual(t, rel(g.res.Loss, want.Loss), 1e-12, "rank %d loss", r)
					if c.val != nil {
						assert.LessOrEqual(t, rel(g.res.ValLoss, want.ValLoss), 1e-12, "rank %d validation loss", r)
					}
					_, wl, _ := want.History.Points()
					_, gl, _ := g.res.History.Points()
					require.Len(t, gl, len(wl))
					for i := range wl {
						assert.LessOrEqual(t, rel(gl[i], wl[i]), 1e-12, "rank %d epoch %d loss", r, i+1)
					}
					assert.Equal(t, got[0].params, g.params, "rank %d's parameters are not bitwise rank 0's", r)
				}
			})
		}
	}
}

// TestDataParallelValidationAccuracy: the accuracy a hook sees each epoch
// is counted over every rank's validation rows, as one process counts it.
func TestDataParallelValidationAccuracy(t *testing.T) {
	dig, digVal := digitsData(t, 300, 90)
	mk := mlpProblem(optimizers.Config{Name: "adam", LR: 0.01}, dig.D, 10)
	cfg := Config{Epochs: 3, BatchSize: 40, Seed: 3}
	var want []float64
	e, o := mk(t, 0)
	_, err := Run(context.Background(), e, Adapt(o), dig, &digVal, cfg, Funcs{Epoch: func(ep *Epoch) error {
		want = append(want, ep.ValAccuracy)
		return nil
	}})
	require.NoError(t, err)
	got := make([][]float64, 3)
	runs := runGroup(t, mk, dig, &digVal, evenCuts(dig.N, 3), cfg, func(r int) []Hook {
		return []Hook{Funcs{Epoch: func(ep *Epoch) error { got[r] = append(got[r], ep.ValAccuracy); return nil }}}
	})
	for r := range runs {
		require.NoError(t, runs[r].err)
		assert.Equal(t, want, got[r], "rank %d", r)
	}
}

// TestDataParallelResumeUnderAnotherWorldSize: a checkpoint's position is
// global, so a run interrupted inside an epoch in one process resumes on 2
// or 3 ranks (and one from 3 ranks in one process), ending where the
// uninterrupted run ends.
func TestDataParallelResumeUnderAnotherWorldSize(t *testing.T) {
	multi := multiData(t)
	opt := optimizers.Config{Name: "adam", LR: 0.05, Schedule: "cosine:40"}
	mk := linearProblem(opt, multi.D)
	cfg := Config{Epochs: 6, BatchSize: 8, Seed: 4}
	e, o := mk(t, 0)
	want, err := Run(context.Background(), e, Adapt(o), multi, nil, cfg)
	require.NoError(t, err)
	wantParams := cloneParams(e.Params())

	// Interrupt a 2-rank run before step 17 (inside epoch 3): every rank
	// stops at the same step, learning of the interrupt from the
	// allreduce.
	stopAt := 17
	ctxs := make([]context.Context, 2)
	cancels := make([]context.CancelFunc, 2)
	for r := range ctxs {
		ctxs[r], cancels[r] = context.WithCancel(context.Background())
		defer cancels[r]()
	}
	comms, err := dist.NewGroup(2)
	require.NoError(t, err)
	type ckpt struct {
		pos    Position
		params map[string][]float64
		state  []byte
		steps  int64
		status Status
	}
	saved := make([]ckpt, 2)
	var wg sync.WaitGroup
	for r := range 2 {
		e, o := mk(t, r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := cfg
			c.Comm = comms[r]
			// Only rank 1 is interrupted (as one rank may see a signal
			// first); both must stop at the same step.
			hook := Funcs{Step: func(s *Step) error {
				if r == 1 && s.Step == stopAt-1 {
					cancels[1]()
				}
				return nil
			}}
			res, err := Run(ctxs[r], e, Adapt(o), shardOf(multi, evenCuts(multi.N, 2)[r], evenCuts(multi.N, 2)[r+1]), nil, c, hook)
			if err != nil {
				comms[r].Abort(1, err.Error())
			}
			state, err := o.MarshalState()
			if err != nil {
				comms[r].Abort(1, err.Error())
			}
			saved[r] = ckpt{res.Position, cloneParams(e.Params()), state, e.Steps(), res.Status}
		}()
	}
	wg.Wait()
	for r := range saved {
		assert.Equal(t, Interrupted, saved[r].status)
		assert.Equal(t, stopAt-1, saved[r].pos.Steps, "rank %d stopped after step %d", r, saved[r].pos.Steps)
		assert.Equal(t, saved[0].params, saved[r].params)
	}
	ck := saved[0]
	for _, p := range []int{1, 3} {
		t.Run(fmt.Sprintf("resume on %d", p), func(t *testing.T) {
			resumeMk := func(t testing.TB, rank int) (*graph.Engine, *optimizers.Optimizer) {
				e, o := mk(t, rank)
				require.NoError(t, e.SetParams(ck.params))
				require.NoError(t, o.UnmarshalState(ck.state))
				require.NoError(t, e.SetSteps(ck.steps))
				return e, o
			}
			c := cfg
			pos := ck.pos
			c.Resume = &pos
			var got map[string][]float64
			var res *Result
			if p == 1 {
				e, o := resumeMk(t, 0)
				var err error
				res, err = Run(context.Background(), e, Adapt(o), multi, nil, c)
				require.NoError(t, err)
				got = e.Params()
			} else {
				runs := runGroup(t, resumeMk, multi, nil, evenCuts(multi.N, p), c, nil)
				for _, g := range runs {
					require.NoError(t, g.err)
				}
				got, res = runs[0].params, runs[0].res
			}
			assert.Equal(t, want.Steps, res.Steps)
			assert.LessOrEqual(t, relDiff(got, wantParams), 1e-12)
			assert.LessOrEqual(t, rel(res.Loss, want.Loss), 1e-12)
		})
	}
}

// TestDataParallelRefusals: a model with batch statistics, an objective
// without data and a shard that does not fit are refused under several
// ranks, with a message that says why.
func TestDataParallelRefusals(t *testing.T) {
	multi := multiData(t)
	bn := func(t testing.TB, rank int) (*graph.Engine, *optimizers.Optimizer) {
		m, err := nn.Parse("linear(4) batchnorm1d relu linear(1)")
		require.NoError(t, err)
		e, err := models.Problem{Model: m, Loss: "mse", Input: []int{multi.D}, Target: []int{1}, Seed: 1}.Engine(graph.Options{})
		require.NoError(t, err)
		o, err := optimizers.New(optimizers.Config{})
		require.NoError(t, err)
		require.NoError(t, o.Init(e.Params()))
		return e, o
	}
	runs := runGroup(t, bn, multi, nil, evenCuts(multi.N, 2), Config{Epochs: 1, BatchSize: 10}, nil)
	for r, g := range runs {
		require.Error(t, g.err, "rank %d", r)
		assert.Contains(t, g.err.Error(), "batch norm or dropout")
	}
	bad := shardOf(multi, 10, 20)
	bad.Total = 15
	comms, err := dist.NewGroup(2)
	require.NoError(t, err)
	e, o := linearProblem(optimizers.Config{}, multi.D)(t, 0)
	_, err = Run(context.Background(), e, Adapt(o), bad, nil, Config{Epochs: 1, Comm: comms[0]})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "outside the 15 rows")
	part := shardOf(multi, 0, 20)
	_, err = Run(context.Background(), e, Adapt(o), part, nil, Config{Epochs: 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds 20 of 50 rows, but the run has one process")
}

// TestDataParallelFaultNamesTheRank: a rank whose run fails aborts the
// world, and the other ranks' runs fail with an error naming it, instead
// of waiting for it forever.
func TestDataParallelFaultNamesTheRank(t *testing.T) {
	multi := multiData(t)
	mk := linearProblem(optimizers.Config{Name: "gd", LR: 0.01}, multi.D)
	runs := runGroup(t, mk, multi, nil, evenCuts(multi.N, 3), Config{Epochs: 5, BatchSize: 10}, func(r int) []Hook {
		return []Hook{Funcs{Step: func(s *Step) error {
			if r == 2 && s.Step == 7 {
				return fmt.Errorf("injected failure")
			}
			return nil
		}}}
	})
	assert.EqualError(t, runs[2].err, "injected failure")
	for _, r := range []int{0, 1} {
		require.Error(t, runs[r].err)
		assert.Contains(t, runs[r].err.Error(), "rank 2 aborted with code 1: injected failure")
	}
}
