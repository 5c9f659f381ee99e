package optimizers_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/optimizers"
)

func TestValidation(t *testing.T) {
	set := func(keys ...string) map[string]bool {
		m := map[string]bool{}
		for _, k := range keys {
			m[k] = true
		}
		return m
	}
	for _, c := range []struct {
		cfg  optimizers.Config
		want string
	}{
		{optimizers.Config{Name: "sgd"}, `optimizers: unknown optimizer "sgd" (want one of gd, momentum, nesterov, adagrad, rmsprop, adam, adamw)`},
		{optimizers.Config{LR: -1, Set: set("lr")}, "optimizers: lr must be > 0, got -1"},
		{optimizers.Config{LR: 0, Set: set("lr")}, "optimizers: lr must be > 0, got 0"},
		{optimizers.Config{Name: "adam", Beta1: 1.2, Set: set("beta1")}, "optimizers: beta1 must be in [0,1), got 1.2"},
		{optimizers.Config{Name: "adam", Beta2: 1, Set: set("beta2")}, "optimizers: beta2 must be in [0,1), got 1"},
		{optimizers.Config{Name: "adam", Eps: 0, Set: set("eps")}, "optimizers: eps must be > 0, got 0"},
		{optimizers.Config{Name: "rmsprop", Eps: -1e-8, Set: set("eps")}, "optimizers: eps must be > 0, got -1e-08"},
		{optimizers.Config{Name: "momentum", Momentum: -0.5, Set: set("momentum")}, "optimizers: momentum must be >= 0, got -0.5"},
		{optimizers.Config{Name: "momentum", Dampening: 1.5, Set: set("dampening")}, "optimizers: dampening must be in [0,1], got 1.5"},
		{optimizers.Config{Name: "nesterov", Dampening: 0.1, Set: set("dampening")}, "optimizers: nesterov momentum needs dampening 0, got 0.1"},
		{optimizers.Config{Name: "nesterov", Momentum: 0, Set: set("momentum")}, "optimizers: momentum must be > 0 for nesterov, got 0"},
		{optimizers.Config{Name: "rmsprop", Alpha: 1, Set: set("alpha")}, "optimizers: alpha must be in [0,1), got 1"},
		{optimizers.Config{WeightDecay: -1, Set: set("weight-decay")}, "optimizers: weight-decay must be >= 0, got -1"},
		{optimizers.Config{Name: "adagrad", LRDecay: -1, Set: set("lr-decay")}, "optimizers: lr-decay must be >= 0, got -1"},
		{optimizers.Config{Name: "adagrad", InitialAccumulator: -1, Set: set("initial-accumulator")}, "optimizers: initial-accumulator must be >= 0, got -1"},
		{optimizers.Config{ClipNorm: 0, Set: set("clip-norm")}, "optimizers: clip-norm must be > 0, got 0"},
		{optimizers.Config{ClipValue: -2, Set: set("clip-value")}, "optimizers: clip-value must be > 0, got -2"},
		{optimizers.Config{Name: "gd", Beta1: 0.5, Set: set("beta1")}, "optimizers: option beta1 does not apply to gd (it takes lr, clip-norm, clip-value, weight-decay)"},
		{optimizers.Config{Name: "adam", Momentum: 0.5, Set: set("momentum")}, "optimizers: option momentum does not apply to adam"},
		{optimizers.Config{Schedule: "step:0:0.5"}, `optimizers: schedule "step:0:0.5": N must be an integer >= 1`},
		{optimizers.Config{Schedule: "exp:2"}, `optimizers: schedule "exp:2": gamma must be in (0,1]`},
		{optimizers.Config{Schedule: "linear"}, `optimizers: schedule "linear": unknown schedule`},
		{optimizers.Config{Schedule: "warmup:x+cosine:10"}, `optimizers: schedule "warmup:x+cosine:10": the warm-up length must be an integer >= 1`},
		{optimizers.Config{LR: 0.1, Schedule: "cosine:10:0.5"}, `optimizers: schedule "cosine:10:0.5": min must be in [0, lr=0.1]`},
	} {
		_, err := optimizers.New(c.cfg)
		if assert.Error(t, err, "%+v", c.cfg) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
}

func TestDefaults(t *testing.T) {
	for _, c := range []struct {
		name string
		want optimizers.Config
	}{
		{"", optimizers.Config{Name: "gd", LR: 0.01}},
		{"momentum", optimizers.Config{Name: "momentum", LR: 0.01, Momentum: 0.9}},
		{"adagrad", optimizers.Config{Name: "adagrad", LR: 0.01, Eps: 1e-10}},
		{"rmsprop", optimizers.Config{Name: "rmsprop", LR: 0.01, Alpha: 0.99, Eps: 1e-8}},
		{"adam", optimizers.Config{Name: "adam", LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}},
		{"adamw", optimizers.Config{Name: "adamw", LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01}},
	} {
		o, err := optimizers.New(optimizers.Config{Name: c.name})
		require.NoError(t, err)
		assert.Equal(t, c.want, o.Config(), c.name)
	}
	// An explicit zero is kept, not replaced by the default.
	o, err := optimizers.New(optimizers.Config{Name: "adam", Beta1: 0, Set: map[string]bool{"beta1": true}})
	require.NoError(t, err)
	assert.Equal(t, 0.0, o.Config().Beta1)
}

// quadratic is f(w) = ½·Σ cᵢ·(wᵢ − 1)², a bowl with condition number max c / min c.
func quadratic(c []float64) func(w, g []float64) float64 {
	return func(w, g []float64) float64 {
		var f float64
		for i := range w {
			d := w[i] - 1
			f += c[i] * d * d / 2
			g[i] = c[i] * d
		}
		return f
	}
}

func rosenbrock(w, g []float64) float64 {
	x, y := w[0], w[1]
	g[0] = -2*(1-x) - 400*x*(y-x*x)
	g[1] = 200 * (y - x*x)
	return (1-x)*(1-x) + 100*(y-x*x)*(y-x*x)
}

func TestResumeBitIdentical(t *testing.T) {
	for _, name := range optimizers.Names() {
		t.Run(name, func(t *testing.T) {
			cfg := optimizers.Config{Name: name, LR: 0.002, Schedule: "warmup:5+cosine:50", ClipNorm: 50}
			f := rosenbrock
			run := func(o *optimizers.Optimizer, w []float64, steps int) {
				g := make([]float64, 2)
				for i := 0; i < steps; i++ {
					f(w, g)
					require.NoError(t, o.Step(optimizers.Params{"w": w}, optimizers.Params{"w": g}))
				}
			}
			full, _ := optimizers.New(cfg)
			wf := []float64{-1.2, 1}
			require.NoError(t, full.Init(optimizers.Params{"w": wf}))
			run(full, wf, 40)

			first, _ := optimizers.New(cfg)
			w := []float64{-1.2, 1}
			require.NoError(t, first.Init(optimizers.Params{"w": w}))
			run(first, w, 17)
			saved, err := first.MarshalState()
			require.NoError(t, err)
			w2 := append([]float64(nil), w...)
			second, _ := optimizers.New(cfg)
			require.NoError(t, second.Init(optimizers.Params{"w": w2}))
			require.NoError(t, second.UnmarshalState(saved))
			assert.Equal(t, 17, second.StepCount())
			run(second, w2, 23)
			assert.Equal(t, wf, w2, "resumed run must be bit-identical")
		})
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	for _, name := range optimizers.Names() {
		o, err := optimizers.New(optimizers.Config{Name: name, ClipNorm: 1, ClipValue: 1, WeightDecay: 0.1, Set: map[string]bool{}})
		require.NoError(t, err)
		p := optimizers.Params{"W": make([]float64, 10), "b": make([]float64, 1)}
		g := optimizers.Params{"W": make([]float64, 10), "b": make([]float64, 1)}
		require.NoError(t, o.Init(p))
		allocs := testing.AllocsPerRun(100, func() { _ = o.Step(p, g) })
		assert.Zero(t, allocs, name)
	}
}

func TestStateErrors(t *testing.T) {
	o, _ := optimizers.New(optimizers.Config{Name: "adam"})
	assert.ErrorContains(t, o.Step(optimizers.Params{}, optimizers.Params{}), "Step before Init")
	require.NoError(t, o.Init(optimizers.Params{"w": {1, 2}}))
	other, _ := optimizers.New(optimizers.Config{Name: "rmsprop"})
	require.NoError(t, other.Init(optimizers.Params{"w": {1, 2}}))
	b, _ := other.MarshalState()
	assert.ErrorContains(t, o.UnmarshalState(b), "the saved state is for rmsprop, not adam")
	small, _ := optimizers.New(optimizers.Config{Name: "adam"})
	require.NoError(t, small.Init(optimizers.Params{"w": {1}}))
	b, _ = small.MarshalState()
	assert.ErrorContains(t, o.UnmarshalState(b), "slot 0/exp_avg of parameter w has 1 values saved, want 2")
	assert.ErrorContains(t, o.UnmarshalState([]byte("{")), "reading optimizer state")
}

func TestSchedules(t *testing.T) {
	for _, c := range []struct {
		spec string
		t    int
		want float64
	}{
		{"constant", 99, 0.1},
		{"step:10:0.5", 9, 0.1},
		{"step:10:0.5", 10, 0.05},
		{"step:10:0.5", 25, 0.025},
		{"exp:0.9", 2, 0.1 * 0.81},
		{"cosine:10", 0, 0.1},
		{"cosine:10", 5, 0.05},
		{"cosine:10", 10, 0},
		{"cosine:10:0.01", 20, 0.01},
		{"warmup:4", 0, 0.025},
		{"warmup:4", 3, 0.1},
		{"warmup:4+step:10:0.5", 14, 0.05},
	} {
		s, err := optimizers.ParseSchedule(c.spec, 0.1)
		require.NoError(t, err, c.spec)
		assert.InDelta(t, c.want, s(c.t), 1e-15, "%s at %d", c.spec, c.t)
		assert.Equal(t, s(c.t), s(c.t), "pure")
	}
}

func TestClipping(t *testing.T) {
	s := &optimizers.State{}
	g := optimizers.Params{"a": {3}, "b": {4}}
	c := optimizers.ClipByGlobalNorm(1)
	require.NoError(t, c.Init(g, s))
	require.NoError(t, c.Update(g, s, nil))
	assert.InDelta(t, 3/(5+1e-6), g["a"][0], 1e-15)
	assert.InDelta(t, 4/(5+1e-6), g["b"][0], 1e-15)
	v := optimizers.Params{"a": {-3, 0.5, 9}}
	require.NoError(t, optimizers.ClipByValue(1).Update(v, s, nil))
	assert.Equal(t, []float64{-1, 0.5, 1}, v["a"])
}

// TestConvergence is the convergence table: every optimizer reaches the
// known minimum of each problem within the stated tolerance and budget.
func TestConvergence(t *testing.T) {
	type problem struct {
		name  string
		start []float64
		f     func(w, g []float64) float64
		fmin  float64
		tol   float64
		steps int
	}
	// A linearly separable logistic regression: no finite minimum, the loss
	// tends to 0, and a run has converged once it is below tol.
	X := [][]float64{{2, 1}, {1, 3}, {3, 2}, {-1, -2}, {-2, -1}, {-3, -1}}
	Y := []float64{1, 1, 1, 0, 0, 0}
	logistic := func(w, g []float64) float64 {
		g[0], g[1] = 0, 0
		var f float64
		for i, x := range X {
			z := w[0]*x[0] + w[1]*x[1]
			f += math.Max(z, 0) - Y[i]*z + math.Log1p(math.Exp(-math.Abs(z)))
			s := 1 / (1 + math.Exp(-z))
			g[0] += (s - Y[i]) * x[0] / 6
			g[1] += (s - Y[i]) * x[1] / 6
		}
		return f / 6
	}
	problems := []problem{
		{"bowl-cond100", []float64{-3, 4}, quadratic([]float64{1, 100}), 0, 1e-8, 20000},
		{"rosenbrock", []float64{-1.2, 1}, rosenbrock, 0, 1e-6, 200000},
		{"logistic-separable", []float64{0, 0}, logistic, 0, 1e-2, 20000},
	}
	lrs := map[string]map[string]float64{
		"bowl-cond100":       {"gd": 0.019, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.5, "rmsprop": 0.01, "adam": 0.05, "adamw": 0.05},
		"rosenbrock":         {"gd": 0.001, "momentum": 0.0005, "nesterov": 0.0005, "adagrad": 0.1, "rmsprop": 0.002, "adam": 0.01, "adamw": 0.01},
		"logistic-separable": {"gd": 1, "momentum": 0.5, "nesterov": 0.5, "adagrad": 1, "rmsprop": 0.05, "adam": 0.1, "adamw": 0.1},
	}
	for _, p := range problems {
		for _, name := range optimizers.Names() {
			cfg := optimizers.Config{Name: name, LR: lrs[p.name][name]}
			if name == "rmsprop" && p.name == "rosenbrock" {
				// RMSprop's steps are about lr·sign(g): at a constant rate it
				// hovers lr away from the minimum, so its rate decays.
				cfg.Schedule = "exp:0.9999"
			}
			if name == "adamw" {
				cfg.WeightDecay, cfg.Set = 0, map[string]bool{"weight-decay": true}
			}
			o, err := optimizers.New(cfg)
			require.NoError(t, err)
			w := append([]float64(nil), p.start...)
			g := make([]float64, len(w))
			require.NoError(t, o.Init(optimizers.Params{"w": w}))
			f, steps := p.f(w, g), 0
			for ; steps < p.steps && f-p.fmin > p.tol; steps++ {
				require.NoError(t, o.Step(optimizers.Params{"w": w}, optimizers.Params{"w": g}))
				f = p.f(w, g)
			}
			t.Logf("%-19s %-9s lr %-7g %-11s steps %-6d f−f* %.2e", p.name, name, cfg.LR, cfg.Schedule, steps, f-p.fmin)
			assert.LessOrEqual(t, f-p.fmin, p.tol, "%s/%s did not converge in %d steps", p.name, name, p.steps)
		}
	}
}
