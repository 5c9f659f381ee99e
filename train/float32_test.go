package train

import (
	"context"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
)

// TestRunRefusesDtypeMismatch: a float32 engine with a float64 optimizer,
// or a float64 engine with a float32 one, is a one-line error naming both.
func TestRunRefusesDtypeMismatch(t *testing.T) {
	e32, err := models.Problem{Model: models.Linear{Features: 1}, Dtype: tensor.Float32}.Engine(graph.Options{})
	require.NoError(t, err)
	o64, err := optimizers.New(optimizers.Config{Name: "gd", LR: 0.01})
	require.NoError(t, err)
	require.NoError(t, o64.Init(e32.Params()))
	_, err = Run(context.Background(), e32, Adapt(o64), lineData(t), nil, Config{Epochs: 1})
	require.EqualError(t, err, "train: the engine is float32 but the optimizer is float64; use a float32 optimizer (train.Adapt32 of optimizers.New32)")
	e64 := linearEngine(t, "mse", 1)
	o32, err := optimizers.New32(optimizers.Config{Name: "gd", LR: 0.01})
	require.NoError(t, err)
	require.NoError(t, o32.Init(e32.Params32()))
	_, err = Run(context.Background(), e64, Adapt32(o32), lineData(t), nil, Config{Epochs: 1})
	require.EqualError(t, err, "train: the engine is float64 but the optimizer is float32; use train.Adapt of optimizers.New")
}

// run32 trains a linear model on the multi set with Adam, in float32 (a
// float32 engine and optimizer) or float64.
func run32(t *testing.T, dt tensor.Dtype, cfg Config, hooks ...Hook) (*graph.Engine, *Result) {
	ds, err := data.Builtin("multi")
	require.NoError(t, err)
	d := Data{X: ds.X, Y: ds.Y, N: ds.N, D: ds.D, T: 1}
	e, err := models.Problem{Model: models.Linear{Features: ds.D}, Dtype: dt}.Engine(graph.Options{})
	require.NoError(t, err)
	oc := optimizers.Config{Name: "adam", LR: 0.05, Schedule: "cosine:60"}
	var opt Optimizer
	if dt == tensor.Float32 {
		o, err := optimizers.New32(oc)
		require.NoError(t, err)
		require.NoError(t, o.Init(e.Params32()))
		opt = Adapt32(o)
	} else {
		o, err := optimizers.New(oc)
		require.NoError(t, err)
		require.NoError(t, o.Init(e.Params()))
		opt = Adapt(o)
	}
	res, err := Run(context.Background(), e, opt, d, nil, cfg, hooks...)
	require.NoError(t, err)
	return e, res
}

// TestFloat32RunTrainsFloat32 trains the same problem in float32 and in
// float64: the float32 run's parameters move only through its optimizer
// (hooks see exact float64 copies of the float32 values, before each
// update), and end within float32 tolerance of the float64 run's.
func TestFloat32RunTrainsFloat32(t *testing.T) {
	cfg := Config{Epochs: 10, BatchSize: 16, Seed: 3}
	var seen []map[string][]float64
	var e32 *graph.Engine
	rec := Funcs{Step: func(s *Step) error {
		for k, v := range s.Params {
			for _, x := range v {
				require.Equal(t, x, float64(float32(x)), "parameter %s is a float32 value", k)
			}
		}
		seen = append(seen, cloneParams(s.Params))
		return nil
	}}
	e32, r32 := run32(t, tensor.Float32, cfg, rec)
	e64, r64 := run32(t, tensor.Float64, cfg)
	require.Equal(t, r64.Steps, r32.Steps)
	require.Len(t, seen, r32.Steps)
	assert.NotEqual(t, seen[0], seen[len(seen)-1], "the parameters moved")
	for k, want := range e64.Params() {
		got := e32.Params32()[k]
		for i := range want {
			assert.InDelta(t, want[i], float64(got[i]), 1e-4*math.Max(1, math.Abs(want[i])), "%s[%d]", k, i)
		}
	}
	assert.InDelta(t, r64.Loss, r32.Loss, 1e-4*math.Max(1, r64.Loss))
}

// TestFloat32ResumeIsBitIdentical interrupts a float32 run inside an
// epoch, resumes it from its Position with the float32 optimizer's saved
// state, and requires the uninterrupted run's parameters bit for bit.
func TestFloat32ResumeIsBitIdentical(t *testing.T) {
	ds, err := data.Builtin("multi")
	require.NoError(t, err)
	d := Data{X: ds.X, Y: ds.Y, N: ds.N, D: ds.D, T: 1}
	cfg := Config{Epochs: 10, BatchSize: 16, Seed: 3}
	oc := optimizers.Config{Name: "adam", LR: 0.05, Schedule: "cosine:60"}
	newRun := func() (*graph.Engine, *optimizers.Optimizer32) {
		e, err := models.Problem{Model: models.Linear{Features: ds.D}, Dtype: tensor.Float32}.Engine(graph.Options{})
		require.NoError(t, err)
		o, err := optimizers.New32(oc)
		require.NoError(t, err)
		require.NoError(t, o.Init(e.Params32()))
		return e, o
	}
	fullE, fullO := newRun()
	full, err := Run(context.Background(), fullE, Adapt32(fullO), d, nil, cfg)
	require.NoError(t, err)
	for _, k := range []int{2, 7, 19} {
		e, o := newRun()
		ctx, cancel := context.WithCancel(context.Background())
		first, err := Run(ctx, e, Adapt32(o), d, nil, cfg, &interruptAt{k: k, cancel: cancel})
		cancel()
		require.NoError(t, err)
		require.Equal(t, Interrupted, first.Status)
		state, err := o.MarshalState()
		require.NoError(t, err)
		params := map[string][]float32{}
		for n, v := range e.Params32() {
			params[n] = append([]float32(nil), v...)
		}
		e2, o2 := newRun()
		require.NoError(t, e2.SetParams32(params))
		require.NoError(t, e2.SetSteps(e.Steps()))
		require.NoError(t, o2.UnmarshalState(state))
		c := cfg
		c.Resume = &first.Position
		res, err := Run(context.Background(), e2, Adapt32(o2), d, nil, c)
		require.NoError(t, err)
		assert.Equal(t, full.Steps, res.Steps, "resumed at %d", k)
		assert.Equal(t, fullE.Params32(), e2.Params32(), "bit-identical after resuming at step %d", k)
	}
}

// TestFloat32DataParallel: two in-process ranks of a float32 run (each
// holding some rows, gradients summed in float64 across ranks and rounded
// back) end bitwise equal to each other and within float32 tolerance of
// one process on the same global batches.
func TestFloat32DataParallel(t *testing.T) {
	ds, err := data.Builtin("multi")
	require.NoError(t, err)
	cfg := Config{Epochs: 5, BatchSize: 10, Seed: 3}
	newRun := func() (*graph.Engine, Optimizer) {
		e, err := models.Problem{Model: models.Linear{Features: ds.D}, Dtype: tensor.Float32}.Engine(graph.Options{})
		require.NoError(t, err)
		o, err := optimizers.New32(optimizers.Config{Name: "adam", LR: 0.05})
		require.NoError(t, err)
		require.NoError(t, o.Init(e.Params32()))
		return e, Adapt32(o)
	}
	one, o := newRun()
	_, err = Run(context.Background(), one, o, Data{X: ds.X, Y: ds.Y, N: ds.N, D: ds.D, T: 1}, nil, cfg)
	require.NoError(t, err)
	comms, err := dist.NewGroup(2)
	require.NoError(t, err)
	cuts := []int{0, 19, ds.N}
	got := make([]*graph.Engine, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for r := range 2 {
		e, o := newRun()
		got[r] = e
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := cuts[r], cuts[r+1]
			share := Data{X: ds.X[lo*ds.D : hi*ds.D], Y: ds.Y[lo:hi], N: hi - lo, D: ds.D, T: 1, Lo: lo, Total: ds.N}
			c := cfg
			c.Comm = comms[r]
			if _, errs[r] = Run(context.Background(), e, o, share, nil, c); errs[r] != nil {
				comms[r].Abort(1, errs[r].Error())
			}
		}()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	assert.Equal(t, got[0].Params32(), got[1].Params32(), "ranks agree bitwise")
	for k, want := range one.Params32() {
		for i, w := range want {
			assert.InDelta(t, float64(w), float64(got[0].Params32()[k][i]), 1e-4*math.Max(1, math.Abs(float64(w))), "%s[%d]", k, i)
		}
	}
}

// TestFloat32DivergenceKeepsLastFinite: a float32 run whose learning rate
// is far too large stops as Diverged with the last float32 parameters
// whose loss and gradients were finite.
func TestFloat32DivergenceKeepsLastFinite(t *testing.T) {
	e, err := models.Problem{Model: models.Linear{Features: 1}, Dtype: tensor.Float32}.Engine(graph.Options{})
	require.NoError(t, err)
	o, err := optimizers.New32(optimizers.Config{Name: "gd", LR: 1})
	require.NoError(t, err)
	require.NoError(t, o.Init(e.Params32()))
	var last map[string][]float64
	h := Funcs{Step: func(s *Step) error { last = cloneParams(s.Params); return nil }}
	res, err := Run(context.Background(), e, Adapt32(o), lineData(t), nil, Config{Epochs: 100000}, h)
	require.NoError(t, err)
	require.Equal(t, Diverged, res.Status)
	for k, p := range e.Params32() {
		require.True(t, finite(p), "parameter %s stays finite", k)
	}
	assert.Equal(t, last, e.Params(), "the last finite parameters are kept")
}

// TestFloat32EarlyStoppingRestoresBest: early stopping restores a float32
// run's best parameters exactly (kept as exact float64 copies).
func TestFloat32EarlyStoppingRestoresBest(t *testing.T) {
	ds, err := data.Builtin("parabola")
	require.NoError(t, err)
	tr, va, err := data.Split(ds, 0.3, 1)
	require.NoError(t, err)
	m, err := models.NewMLP(1, 1, []int{32}, "tanh", 1)
	require.NoError(t, err)
	e, err := models.Problem{Model: m, Dtype: tensor.Float32}.Engine(graph.Options{})
	require.NoError(t, err)
	o, err := optimizers.New32(optimizers.Config{Name: "gd", LR: 0.3})
	require.NoError(t, err)
	require.NoError(t, o.Init(e.Params32()))
	best := math.Inf(1)
	var bestParams map[string][]float32
	h := Funcs{Epoch: func(ep *Epoch) error {
		if ep.ValLoss < best {
			best, bestParams = ep.ValLoss, cloneMap(nil, e.Params32())
		}
		return nil
	}}
	res, err := Run(context.Background(), e, Adapt32(o), Data{X: tr.X, Y: tr.Y, N: tr.N, D: 1, T: 1},
		&Data{X: va.X, Y: va.Y, N: va.N, D: 1, T: 1}, Config{Epochs: 20000, Patience: 20}, h)
	require.NoError(t, err)
	assert.Equal(t, EarlyStopping, res.Status)
	assert.Equal(t, best, res.ValLoss)
	assert.Equal(t, bestParams, e.Params32())
	assert.Greater(t, res.Epochs, res.BestEpoch)
}
