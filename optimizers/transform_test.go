package optimizers_test

import (
	"math"
	"strings"
	"testing"

	"github.com/descent-ml/descent/optimizers"
)

// transforms lists one instance of every transform.
func transforms() map[string]optimizers.Transform {
	lr, _ := optimizers.Constant(0.1)
	return map[string]optimizers.Transform{
		"AddDecayedWeights":   optimizers.AddDecayedWeights(0.1),
		"ScaleByMomentum":     optimizers.ScaleByMomentum(0.9, 0, false),
		"ScaleByNesterov":     optimizers.ScaleByMomentum(0.9, 0, true),
		"ScaleByAdagrad":      optimizers.ScaleByAdagrad(0, 1e-10),
		"ScaleByRMSProp":      optimizers.ScaleByRMSProp(0.99, 1e-8, 0.5, true),
		"ScaleByAdam":         optimizers.ScaleByAdam(0.9, 0.999, 1e-8, true),
		"ClipByGlobalNorm":    optimizers.ClipByGlobalNorm(1),
		"ClipByValue":         optimizers.ClipByValue(1),
		"ScaleByLearningRate": optimizers.ScaleByLearningRate(lr),
		"Chain":               optimizers.Chain(optimizers.ClipByValue(1), optimizers.ScaleByAdam(0.9, 0.999, 1e-8, false)),
	}
}

// TestTransformMisuse checks that updating without Init, or with other
// parameters than Init's, is an error and not a panic.
func TestTransformMisuse(t *testing.T) {
	params := optimizers.Params{"W": {1, 2}}
	for name, tr := range transforms() {
		t.Run(name, func(t *testing.T) {
			s, err := tr.Init(params)
			if err != nil {
				t.Fatal(err)
			}
			// A parameter Init never saw, or of another size.
			for _, u := range []optimizers.Params{{"V": {1, 2}}, {"W": {1, 2, 3}}} {
				if _, err := tr.Update(u, s, optimizers.Params{"V": {1, 2}, "W": {1, 2, 3}}); err == nil && stateful(name) {
					t.Errorf("Update(%v) after Init(%v) succeeded", u, params)
				}
			}
			if _, err := tr.Update(optimizers.Params{"W": {1, 2}}, optimizers.State{}, params); err == nil && stateful(name) {
				t.Errorf("Update without Init succeeded")
			}
		})
	}
	if _, err := optimizers.Chain(optimizers.ClipByValue(1), nil).Init(params); err == nil || err.Error() != "optimizers: chain stage 1 is nil" {
		t.Errorf("nil stage: %v", err)
	}
	if _, err := optimizers.AddDecayedWeights(0.1).Update(optimizers.Params{"W": {1}}, optimizers.State{}, optimizers.Params{}); err == nil {
		t.Error("weight decay without the parameter succeeded")
	}
	if _, err := optimizers.ScaleByLearningRate(nil).Init(params); err == nil {
		t.Error("ScaleByLearningRate(nil) initialized")
	}
}

func stateful(name string) bool {
	switch name {
	case "AddDecayedWeights", "ClipByGlobalNorm", "ClipByValue", "ScaleByLearningRate":
		return false
	}
	return true
}

// TestTransformHyperparameters checks that Init validates every stage's
// hyperparameters, in the words of Config's errors.
func TestTransformHyperparameters(t *testing.T) {
	for _, c := range []struct {
		tr   optimizers.Transform
		want string
	}{
		{optimizers.AddDecayedWeights(-1), "optimizers: weight-decay must be >= 0, got -1"},
		{optimizers.ScaleByMomentum(-1, 0, false), "optimizers: momentum must be >= 0, got -1"},
		{optimizers.ScaleByMomentum(0.9, 2, false), "optimizers: dampening must be in [0,1], got 2"},
		{optimizers.ScaleByMomentum(0.9, 0.5, true), "optimizers: nesterov momentum needs dampening 0, got 0.5"},
		{optimizers.ScaleByMomentum(0, 0, true), "optimizers: nesterov needs momentum > 0, got 0"},
		{optimizers.ScaleByAdagrad(-1, 1e-10), "optimizers: initial-accumulator must be >= 0, got -1"},
		{optimizers.ScaleByAdagrad(0, 0), "optimizers: eps must be > 0, got 0"},
		{optimizers.ScaleByRMSProp(1, 1e-8, 0, false), "optimizers: alpha must be in [0,1), got 1"},
		{optimizers.ScaleByRMSProp(0.9, -1, 0, false), "optimizers: eps must be > 0, got -1"},
		{optimizers.ScaleByRMSProp(0.9, 1e-8, -1, false), "optimizers: momentum must be >= 0, got -1"},
		{optimizers.ScaleByAdam(1, 0.999, 1e-8, false), "optimizers: beta1 must be in [0,1), got 1"},
		{optimizers.ScaleByAdam(0.9, 1.5, 1e-8, false), "optimizers: beta2 must be in [0,1), got 1.5"},
		{optimizers.ScaleByAdam(0.9, 0.999, 0, false), "optimizers: eps must be > 0, got 0"},
		{optimizers.ClipByGlobalNorm(0), "optimizers: clip-norm must be > 0, got 0"},
		{optimizers.ClipByValue(-1), "optimizers: clip-value must be > 0, got -1"},
		{optimizers.Chain(optimizers.ClipByValue(1), optimizers.ScaleByAdam(0.9, 2, 1e-8, false)), "optimizers: beta2 must be in [0,1), got 2"},
	} {
		if _, err := c.tr.Init(optimizers.Params{"W": {1}}); err == nil || err.Error() != c.want {
			t.Errorf("got %v, want %s", err, c.want)
		}
	}
	// Clipping also refuses to run with a bad bound, as it keeps no state.
	for _, tr := range []optimizers.Transform{optimizers.ClipByGlobalNorm(-1), optimizers.ClipByValue(0)} {
		if _, err := tr.Update(optimizers.Params{"W": {1}}, optimizers.State{}, nil); err == nil {
			t.Errorf("%T updated with a bad bound", tr)
		}
	}
}

// TestClipping checks both clipping rules against their definitions.
func TestClipping(t *testing.T) {
	// Global norm √(3² + 4² + 12²) = 13 over two parameters.
	u := optimizers.Params{"a": {3, 4}, "b": {12}}
	if _, err := optimizers.ClipByGlobalNorm(1).Update(u, optimizers.State{}, nil); err != nil {
		t.Fatal(err)
	}
	c := 1 / (13 + 1e-6)
	for k, want := range map[string][]float64{"a": {3 * c, 4 * c}, "b": {12 * c}} {
		for i := range want {
			if math.Abs(u[k][i]-want[i]) > 1e-15 {
				t.Errorf("clip-norm 1: %s[%d] = %v, want %v", k, i, u[k][i], want[i])
			}
		}
	}
	// At the bound, torch's 1e-6 still scales by 13/(13 + 1e-6) < 1.
	u = optimizers.Params{"a": {3, 4}, "b": {12}}
	if _, err := optimizers.ClipByGlobalNorm(13).Update(u, optimizers.State{}, nil); err != nil {
		t.Fatal(err)
	}
	if want := 12 * 13 / (13 + 1e-6); math.Abs(u["b"][0]-want) > 1e-14 {
		t.Errorf("clip-norm 13: b = %.17g, want %.17g", u["b"][0], want)
	}
	// Under it (c ≥ 1), nothing changes, not even by rounding.
	u = optimizers.Params{"a": {3, 4}, "b": {12}}
	if _, err := optimizers.ClipByGlobalNorm(13.0001).Update(u, optimizers.State{}, nil); err != nil {
		t.Fatal(err)
	}
	if u["a"][0] != 3 || u["a"][1] != 4 || u["b"][0] != 12 {
		t.Errorf("clip-norm 13.0001 changed %v", u)
	}
	u = optimizers.Params{"a": {-3, 0.5, 2}}
	if _, err := optimizers.ClipByValue(1).Update(u, optimizers.State{}, nil); err != nil {
		t.Fatal(err)
	}
	if u["a"][0] != -1 || u["a"][1] != 0.5 || u["a"][2] != 1 {
		t.Errorf("clip-value 1: %v", u["a"])
	}
}

// TestStepMisuse checks the Optimizer's own argument checks.
func TestStepMisuse(t *testing.T) {
	o, err := optimizers.New(optimizers.Config{Name: "adam"})
	if err != nil {
		t.Fatal(err)
	}
	p := optimizers.Params{"W": {1, 2}, "b": {0}}
	if err := o.Step(p, p); err == nil || err.Error() != "optimizers: Step before Init" {
		t.Errorf("Step before Init: %v", err)
	}
	if err := o.Init(p); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		params, grads optimizers.Params
		want          string
	}{
		{optimizers.Params{"W": {1, 2}}, optimizers.Params{"W": {1, 2}, "b": {1}}, `optimizers: Step: the parameters do not match Init's has no parameter "b"`},
		{p, optimizers.Params{"W": {1, 2}, "b": {1}, "c": {1}}, `optimizers: Step: the gradients do not match Init's has an unknown parameter "c"`},
		{p, optimizers.Params{"W": {1}, "b": {1}}, `optimizers: Step: the gradients do not match Init's: parameter "W" has 1 values, want 2`},
	} {
		if err := o.Step(c.params, c.grads); err == nil || err.Error() != c.want {
			t.Errorf("got  %v\nwant %s", err, c.want)
		}
	}
	if o.StepCount() != 0 {
		t.Errorf("refused steps counted: %d", o.StepCount())
	}
	if got := o.Config(); got.Name != "adam" || got.LR != 0.001 {
		t.Errorf("Config() = %+v", got)
	}
	s, _ := optimizers.New(optimizers.Config{Name: "adagrad", LR: 0.1, LRDecay: 1, Schedule: "exp:0.5"})
	_ = s.Init(p)
	for step := 0; step < 3; step++ {
		want := 0.1 * math.Pow(0.5, float64(step)) / (1 + float64(step))
		if got := s.LR(); math.Abs(got-want) > 1e-17 {
			t.Errorf("LR at step %d = %v, want %v", step, got, want)
		}
		if err := s.Step(p, optimizers.Params{"W": {1, 1}, "b": {1}}); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(optimizers.Describe()[0].String(), "--lr") {
		t.Error("Info.String lacks the options")
	}
}

// TestStepAllocs checks that a steady-state Step allocates nothing, for
// every optimizer with clipping and a schedule in its chain.
func TestStepAllocs(t *testing.T) {
	g := loadGolden(t)
	pr := mlpProblem(g.Problems.MLP)
	for _, cfg := range resumeConfigs() {
		o, err := optimizers.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		p, grad := pr.params()
		if err := o.Init(p); err != nil {
			t.Fatal(err)
		}
		pr.grad(p, grad)
		fixed := cloneParams(grad)
		step := func() {
			for k, v := range fixed {
				copy(grad[k], v)
			}
			if err := o.Step(p, grad); err != nil {
				t.Fatal(err)
			}
		}
		step()
		if n := testing.AllocsPerRun(100, step); n != 0 {
			t.Errorf("%s: Step allocates %v times", cfg.Name, n)
		}
	}
}
