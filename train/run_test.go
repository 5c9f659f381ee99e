package train

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// sgd is the plainest reference optimizer: θ ← θ − lr·∇J.
type sgd struct{ lr float64 }

func (o sgd) Step(params, grads map[string][]float64) error {
	for k, p := range params {
		for i := range p {
			p[i] -= o.lr * grads[k][i]
		}
	}
	return nil
}

func lineData(t testing.TB) Data {
	ds, err := data.Builtin("line")
	require.NoError(t, err)
	return Data{X: ds.X, Y: ds.Y, N: ds.N, D: ds.D, T: 1}
}

func linearEngine(t testing.TB, loss string, d int) *graph.Engine {
	e, err := models.Problem{Model: models.Linear{Features: d}, Loss: loss}.Engine(graph.Options{})
	require.NoError(t, err)
	return e
}

func TestFirstStepByHand(t *testing.T) {
	// y = 2x+1 on x = 1..5 from W = b = 0 under mse:
	// ∇W = (2/5)·Σx(0−y) = (2/5)·(−125) = −50, ∇b = (2/5)·(−35) = −14.
	e := linearEngine(t, "mse", 1)
	tr := NewTrace(e.Spec().Params)
	res, err := Run(context.Background(), e, sgd{0.01}, lineData(t), nil, Config{Epochs: 1}, tr)
	require.NoError(t, err)
	require.Len(t, tr.Rows, 1)
	assert.InDelta(t, -50, tr.Rows[0].Grads[0], 1e-12)
	assert.InDelta(t, -14, tr.Rows[0].Grads[1], 1e-12)
	assert.InDelta(t, 0.5, e.Params()["W"][0], 1e-12)
	assert.InDelta(t, 0.14, e.Params()["b"][0], 1e-12)
	assert.Equal(t, MaxEpochs, res.Status)
	assert.Equal(t, 1, res.Steps)
}

func TestRegimesStepCounts(t *testing.T) {
	ds, err := data.Builtin("multi") // 50 rows
	require.NoError(t, err)
	d := Data{X: ds.X, Y: ds.Y, N: ds.N, D: ds.D, T: 1}
	for _, c := range []struct {
		name         string
		batch, steps int
	}{
		{"batch", 0, 7},
		{"sgd", 1, 7 * 50},
		{"mini-batch with partial last batch", 16, 7 * 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := linearEngine(t, "mse", 3)
			rows := 0
			h := Funcs{Step: func(s *Step) error { rows += s.Rows; return nil }}
			res, err := Run(context.Background(), e, sgd{0.01}, d, nil, Config{Epochs: 7, BatchSize: c.batch, Seed: 3}, h)
			require.NoError(t, err)
			assert.Equal(t, c.steps, res.Steps)
			assert.Equal(t, 7*50, rows, "every row is used every epoch")
			assert.Equal(t, 7, res.History.Len())
		})
	}
}

func TestSameSeedSameRun(t *testing.T) {
	ds, err := data.Builtin("multi")
	require.NoError(t, err)
	d := Data{X: ds.X, Y: ds.Y, N: ds.N, D: ds.D, T: 1}
	run := func(seed uint64, noShuffle bool) []float64 {
		e := linearEngine(t, "mse", 3)
		_, err := Run(context.Background(), e, sgd{0.01}, d, nil, Config{Epochs: 3, BatchSize: 8, Seed: seed, NoShuffle: noShuffle})
		require.NoError(t, err)
		return append(append([]float64{}, e.Params()["W"]...), e.Params()["b"]...)
	}
	assert.Equal(t, run(7, false), run(7, false))
	assert.NotEqual(t, run(7, false), run(8, false))
	assert.Equal(t, run(7, true), run(8, true), "without shuffling the seed does not matter")
}

func TestResumeIsBitIdentical(t *testing.T) {
	ds, err := data.Builtin("multi")
	require.NoError(t, err)
	d := Data{X: ds.X, Y: ds.Y, N: ds.N, D: ds.D, T: 1}
	cfg := Config{Epochs: 10, BatchSize: 8, Seed: 5}
	full := linearEngine(t, "mse", 3)
	_, err = Run(context.Background(), full, sgd{0.02}, d, nil, cfg)
	require.NoError(t, err)

	part := linearEngine(t, "mse", 3)
	first := cfg
	first.Epochs = 4
	r1, err := Run(context.Background(), part, sgd{0.02}, d, nil, first)
	require.NoError(t, err)
	rest := cfg
	rest.Resume = &r1.Position
	res, err := Run(context.Background(), part, sgd{0.02}, d, nil, rest)
	require.NoError(t, err)
	assert.Equal(t, 10, res.Epochs)
	assert.Equal(t, full.Params(), part.Params())
}

func TestStopRules(t *testing.T) {
	d := lineData(t)
	t.Run("loss tolerance", func(t *testing.T) {
		e := linearEngine(t, "half-mse", 1)
		res, err := Run(context.Background(), e, sgd{0.05}, d, nil, Config{Epochs: 100000, Tol: 1e-12})
		require.NoError(t, err)
		assert.Equal(t, LossTolerance, res.Status)
		assert.Less(t, res.Epochs, 100000)
		_, loss, _ := res.History.Points()
		n := len(loss)
		assert.Less(t, math.Abs(loss[n-1]-loss[n-2]), 1e-12)
	})
	t.Run("gradient tolerance", func(t *testing.T) {
		e := linearEngine(t, "half-mse", 1)
		var last float64
		h := Funcs{Step: func(s *Step) error { last = s.GradNorm; return nil }}
		res, err := Run(context.Background(), e, sgd{0.05}, d, nil, Config{Epochs: 100000, GradTol: 1e-6}, h)
		require.NoError(t, err)
		assert.Equal(t, GradientTolerance, res.Status)
		assert.Less(t, last, 1e-6)
		assert.InDelta(t, 2, e.Params()["W"][0], 1e-5)
		assert.InDelta(t, 1, e.Params()["b"][0], 1e-5)
	})
	t.Run("tol 0 and grad-tol 0 are off", func(t *testing.T) {
		e := linearEngine(t, "half-mse", 1)
		res, err := Run(context.Background(), e, sgd{0.05}, d, nil, Config{Epochs: 3000})
		require.NoError(t, err)
		assert.Equal(t, MaxEpochs, res.Status)
		assert.Equal(t, 3000, res.Steps)
	})
}

func TestDivergenceKeepsLastFiniteParams(t *testing.T) {
	d := lineData(t)
	e := linearEngine(t, "mse", 1)
	var seen []map[string][]float64
	h := Funcs{Step: func(s *Step) error {
		seen = append(seen, cloneParams(s.Params))
		return nil
	}}
	res, err := Run(context.Background(), e, sgd{1}, d, nil, Config{Epochs: 100000}, h)
	require.NoError(t, err)
	require.Equal(t, Diverged, res.Status)
	require.NotNil(t, res.Diverged)
	assert.Contains(t, res.Diverged.Hint, "learning rate")
	for _, p := range e.Params() {
		assert.True(t, finite(p), "parameters stay finite")
	}
	// The kept parameters are the last ones whose loss was finite.
	last := seen[len(seen)-1]
	assert.Equal(t, last, e.Params())
	assert.False(t, math.IsNaN(res.Loss) || math.IsInf(res.Loss, 0))
}

func TestEarlyStoppingRestoresBest(t *testing.T) {
	ds, err := data.Builtin("parabola")
	require.NoError(t, err)
	tr, va, err := data.Split(ds, 0.3, 1)
	require.NoError(t, err)
	m, err := models.NewMLP(1, 1, []int{32}, "tanh", 1)
	require.NoError(t, err)
	e, err := models.Problem{Model: m}.Engine(graph.Options{})
	require.NoError(t, err)
	best := math.Inf(1)
	var bestParams map[string][]float64
	h := Funcs{Epoch: func(ep *Epoch) error {
		if ep.ValLoss < best {
			best, bestParams = ep.ValLoss, cloneParams(e.Params())
		}
		return nil
	}}
	res, err := Run(context.Background(), e, sgd{0.3}, Data{X: tr.X, Y: tr.Y, N: tr.N, D: 1, T: 1},
		&Data{X: va.X, Y: va.Y, N: va.N, D: 1, T: 1}, Config{Epochs: 20000, Patience: 20}, h)
	require.NoError(t, err)
	assert.Equal(t, EarlyStopping, res.Status)
	assert.Equal(t, best, res.ValLoss)
	assert.Equal(t, bestParams, e.Params())
}

func TestInterruptAndHooks(t *testing.T) {
	d := lineData(t)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	h := Funcs{Step: func(s *Step) error {
		if n++; n == 5 {
			cancel()
		}
		return nil
	}}
	res, err := Run(ctx, linearEngine(t, "mse", 1), sgd{0.01}, d, nil, Config{Epochs: 100}, h)
	require.NoError(t, err)
	assert.Equal(t, Interrupted, res.Status)
	assert.Equal(t, 5, res.Steps)

	stop := Funcs{Epoch: func(e *Epoch) error {
		if e.Epoch == 3 {
			return ErrStop
		}
		return nil
	}}
	res, err = Run(context.Background(), linearEngine(t, "mse", 1), sgd{0.01}, d, nil, Config{Epochs: 100}, stop)
	require.NoError(t, err)
	assert.Equal(t, Stopped, res.Status)
	assert.Equal(t, 3, res.Epochs)

	boom := errors.New("boom")
	_, err = Run(context.Background(), linearEngine(t, "mse", 1), sgd{0.01}, d, nil, Config{}, Funcs{Step: func(*Step) error { return boom }})
	assert.ErrorIs(t, err, boom)
}

func TestConfigErrors(t *testing.T) {
	d := lineData(t)
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Epochs: -1}, "epochs must be >= 0, got -1"},
		{Config{BatchSize: -2}, "batch size must be >= 0, got -2"},
		{Config{BatchSize: 6}, "batch size 6 needs at least 6 rows, the training set has 5"},
		{Config{Tol: -1}, "tol must be a finite number >= 0, got -1"},
		{Config{GradTol: math.NaN()}, "grad-tol must be a finite number >= 0, got NaN"},
		{Config{Patience: 3}, "patience 3 needs a validation set"},
	} {
		_, err := Run(context.Background(), linearEngine(t, "mse", 1), sgd{0.01}, d, nil, c.cfg)
		assert.ErrorContains(t, err, c.want)
	}
	_, err := Run(context.Background(), linearEngine(t, "mse", 1), sgd{0.01}, Data{N: 2, D: 1, T: 1, X: []float64{1}}, nil, Config{})
	assert.ErrorContains(t, err, "training set has 1 X values and 0 Y values, want 2×1 and 2×1")
}

func TestStatusStrings(t *testing.T) {
	for s, want := range map[Status]string{MaxEpochs: "max-epochs", LossTolerance: "loss-tolerance",
		GradientTolerance: "gradient-tolerance", EarlyStopping: "early-stopping", Diverged: "diverged",
		Interrupted: "interrupted", Stopped: "stopped", Status(99): "unknown"} {
		assert.Equal(t, want, s.String())
	}
}

func TestRunObjective(t *testing.T) {
	e, err := models.Problem{Model: models.Rosenbrock{X0: -1.2, Y0: 1}}.Engine(graph.Options{})
	require.NoError(t, err)
	tr := NewTrace(e.Spec().Params)
	res, err := Run(context.Background(), e, sgd{0.001}, Data{}, nil, Config{Epochs: 100000, GradTol: 1e-6}, tr)
	require.NoError(t, err)
	assert.Equal(t, GradientTolerance, res.Status)
	// One step per epoch; the last one found the gradient small enough and
	// made no update, so it is traced but not counted.
	assert.Len(t, tr.Rows, res.Steps+1, "one step per epoch")
	assert.Equal(t, res.Steps+1, res.Epochs)
	assert.InDelta(t, 1, e.Params()["x"][0], 1e-5)
	assert.InDelta(t, 1, e.Params()["y"][0], 1e-5)
	assert.Less(t, res.Loss, 1e-10)

	_, err = Run(context.Background(), e, sgd{0.001}, lineData(t), nil, Config{})
	assert.EqualError(t, err, "train: an objective of the parameters alone takes no data, got a training set of 5 rows")
}

func TestDescribeEpoch(t *testing.T) {
	assert.Equal(t, "epoch 3  loss 0.5", Describe(&Epoch{Epoch: 3, Loss: 0.5, ValLoss: math.NaN(), ValAccuracy: math.NaN()}))
	assert.Equal(t, "epoch 3  loss 0.5  val 0.25  val acc 97.5%", Describe(&Epoch{Epoch: 3, Loss: 0.5, ValLoss: 0.25, ValAccuracy: 0.975}))
}
