package optimizers_test

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/descent-ml/descent/optimizers"
)

// stagesGrad is the gradient of a small ill-conditioned quadratic over two
// parameters, f = Σ cᵢ(wᵢ − 1)², scaled so that clipping engages.
func stagesGrad(p optimizers.Params) optimizers.Params {
	g := optimizers.Params{}
	for k, w := range p {
		v := make([]float64, len(w))
		for i := range w {
			v[i] = 2 * float64(10*i+1) * (w[i] - 1) * 5
		}
		g[k] = v
	}
	return g
}

// TestStepStagesMatchesStep runs every optimizer, with and without
// clipping, decay and a schedule, through Step and StepStages side by side,
// and wants the same parameters and state bit for bit at every step, the
// last stage equal to the update made, and the stage names as documented.
func TestStepStagesMatchesStep(t *testing.T) {
	cases := []struct {
		cfg    optimizers.Config
		stages []string
	}{
		{optimizers.Config{Name: "gd", LR: 0.01}, []string{"lr"}},
		{optimizers.Config{Name: "momentum", LR: 0.01, ClipNorm: 3}, []string{"clip-norm", "momentum", "lr"}},
		{optimizers.Config{Name: "nesterov", LR: 0.01, WeightDecay: 0.1, Schedule: "exp:0.9"}, []string{"weight-decay", "nesterov", "lr"}},
		{optimizers.Config{Name: "adagrad", LR: 0.1, ClipValue: 2}, []string{"clip-value", "adagrad", "lr"}},
		{optimizers.Config{Name: "rmsprop", LR: 0.01, Momentum: 0.5, Centered: true}, []string{"rmsprop", "lr"}},
		{optimizers.Config{Name: "adam", LR: 0.05, ClipNorm: 1, ClipValue: 0.5, Schedule: "warmup:3+cosine:20"}, []string{"clip-norm", "clip-value", "adam", "lr"}},
		{optimizers.Config{Name: "adamw", LR: 0.05, AMSGrad: true}, []string{"adam", "weight-decay", "lr"}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.cfg.Name, c.stages), func(t *testing.T) {
			a, err := optimizers.New(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := optimizers.New(c.cfg)
			pa := optimizers.Params{"W": {-2, 3}, "b": {0.5}}
			pb := optimizers.Params{"W": {-2, 3}, "b": {0.5}}
			if err := a.Init(pa); err != nil {
				t.Fatal(err)
			}
			if err := b.Init(pb); err != nil {
				t.Fatal(err)
			}
			if got := b.StageNames(); !reflect.DeepEqual(got, c.stages) {
				t.Fatalf("StageNames = %v, want %v", got, c.stages)
			}
			var out []optimizers.Params
			for step := 1; step <= 25; step++ {
				if err := a.Step(pa, stagesGrad(pa)); err != nil {
					t.Fatal(err)
				}
				before := optimizers.Params{"W": append([]float64(nil), pb["W"]...), "b": append([]float64(nil), pb["b"]...)}
				if out, err = b.StepStages(pb, stagesGrad(pb), out); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(pa, pb) {
					t.Fatalf("step %d: Step gives %v, StepStages %v", step, pa, pb)
				}
				sa, _ := a.MarshalState()
				sb, _ := b.MarshalState()
				if !bytes.Equal(sa, sb) {
					t.Fatalf("step %d: states differ:\n%s\n%s", step, sa, sb)
				}
				if len(out) != len(c.stages) {
					t.Fatalf("step %d: %d stage outputs, want %d", step, len(out), len(c.stages))
				}
				u := out[len(out)-1]
				for k, w := range pb {
					for i := range w {
						if w[i] != before[k][i]-u[k][i] {
							t.Fatalf("step %d: %s[%d] = %v, want %v − %v", step, k, i, w[i], before[k][i], u[k][i])
						}
					}
				}
			}
		})
	}
}

// TestStepStagesClipShows checks that the first stage of a clipped chain
// reports the clipped gradient: its global norm is the clip norm.
func TestStepStagesClipShows(t *testing.T) {
	o, err := optimizers.New(optimizers.Config{Name: "gd", LR: 0.1, ClipNorm: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := optimizers.Params{"x": {0}, "y": {0}}
	if err := o.Init(p); err != nil {
		t.Fatal(err)
	}
	out, err := o.StepStages(p, optimizers.Params{"x": {30}, "y": {40}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := math.Hypot(out[0]["x"][0], out[0]["y"][0]); math.Abs(n-1) > 1e-6 {
		t.Errorf("clipped norm %v, want 1", n)
	}
	if out[1]["x"][0] != 0.1*out[0]["x"][0] {
		t.Errorf("lr stage %v, want 0.1 × %v", out[1]["x"][0], out[0]["x"][0])
	}
}

// TestStepStagesErrors checks the errors before Init and on a wrong shape.
func TestStepStagesErrors(t *testing.T) {
	o, _ := optimizers.New(optimizers.Config{Name: "adam"})
	if _, err := o.StepStages(optimizers.Params{"w": {1}}, optimizers.Params{"w": {1}}, nil); err == nil {
		t.Error("StepStages before Init: no error")
	}
	_ = o.Init(optimizers.Params{"w": {1}})
	if _, err := o.StepStages(optimizers.Params{"w": {1, 2}}, optimizers.Params{"w": {1, 2}}, nil); err == nil {
		t.Error("StepStages with other sizes: no error")
	}
}

// ExampleOptimizer_StepStages shows what each stage of a clipped Adam
// makes of one gradient.
func ExampleOptimizer_StepStages() {
	o, _ := optimizers.New(optimizers.Config{Name: "adam", LR: 0.1, ClipNorm: 1})
	p := optimizers.Params{"w": {0}}
	_ = o.Init(p)
	stages, _ := o.StepStages(p, optimizers.Params{"w": {-4}}, nil)
	for i, name := range o.StageNames() {
		fmt.Printf("%-9s %.6f\n", name, stages[i]["w"][0])
	}
	fmt.Printf("w = %.6f\n", p["w"][0])
	// Output:
	// clip-norm -1.000000
	// adam      -1.000000
	// lr        -0.100000
	// w = 0.100000
}
