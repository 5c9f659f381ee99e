package optimizers_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/descent-ml/descent/optimizers"
)

// resumeConfigs is every optimizer with its stateful options on, a
// schedule and clipping in the chain.
func resumeConfigs() []optimizers.Config {
	return []optimizers.Config{
		{Name: "gd", LR: 0.1, WeightDecay: 0.01, Schedule: "warmup:3+cosine:20", ClipNorm: 0.3},
		{Name: "momentum", Dampening: 0.2, Schedule: "step:5:0.7", ClipValue: 0.05},
		{Name: "nesterov", WeightDecay: 0.01, Schedule: "exp:0.95", ClipNorm: 0.3},
		{Name: "adagrad", LRDecay: 0.1, InitialAccumulator: 0.1, Schedule: "warmup:2:0.5+step:4:0.5", ClipNorm: 0.2},
		{Name: "rmsprop", Momentum: 0.5, Centered: true, Schedule: "cosine:7:0.001", ClipValue: 0.05},
		{Name: "adam", AMSGrad: true, WeightDecay: 0.01, Schedule: "warmup:4+exp:0.9", ClipNorm: 0.2, ClipValue: 0.05},
		{Name: "adamw", AMSGrad: true, Schedule: "warmup:3+cosine:30", ClipNorm: 0.2},
	}
}

func cloneParams(p optimizers.Params) optimizers.Params {
	c := optimizers.Params{}
	for k, v := range p {
		c[k] = append([]float64(nil), v...)
	}
	return c
}

// TestResume stops every optimizer after k steps, saves its state and
// parameters, builds a new optimizer from the JSON alone (and, again, after
// Init) and continues: the trajectory must be bit-identical to the
// uninterrupted run's.
func TestResume(t *testing.T) {
	g := loadGolden(t)
	const total, k = 25, 11
	for _, cfg := range resumeConfigs() {
		t.Run(cfg.Name, func(t *testing.T) {
			pr := mlpProblem(g.Problems.MLP)
			run := func(o *optimizers.Optimizer, p optimizers.Params, steps int) {
				grad := optimizers.Params{}
				for k, v := range p {
					grad[k] = make([]float64, len(v))
				}
				for i := 0; i < steps; i++ {
					pr.grad(p, grad)
					if err := o.Step(p, grad); err != nil {
						t.Fatal(err)
					}
				}
			}
			straight, err := optimizers.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := pr.params()
			if err := straight.Init(want); err != nil {
				t.Fatal(err)
			}
			run(straight, want, total)

			first, _ := optimizers.New(cfg)
			p, _ := pr.params()
			if err := first.Init(p); err != nil {
				t.Fatal(err)
			}
			run(first, p, k)
			saved, err := first.MarshalState()
			if err != nil {
				t.Fatal(err)
			}
			for _, initFirst := range []bool{false, true} {
				second, _ := optimizers.New(cfg)
				q := cloneParams(p)
				if initFirst {
					if err := second.Init(q); err != nil {
						t.Fatal(err)
					}
				}
				if err := second.UnmarshalState(saved); err != nil {
					t.Fatal(err)
				}
				if second.StepCount() != k {
					t.Fatalf("resumed at step %d, want %d", second.StepCount(), k)
				}
				again, err := second.MarshalState()
				if err != nil || !bytes.Equal(again, saved) {
					t.Fatalf("state does not round-trip: %v\n%s\n%s", err, saved, again)
				}
				run(second, q, total-k)
				if second.StepCount() != total {
					t.Errorf("step count %d, want %d", second.StepCount(), total)
				}
				for name, w := range want {
					for i := range w {
						if math.Float64bits(q[name][i]) != math.Float64bits(w[i]) {
							t.Fatalf("Init first %v: %s[%d] = %.17g after resuming, %.17g uninterrupted", initFirst, name, i, q[name][i], w[i])
						}
					}
				}
			}
		})
	}
}

// TestStateKeyedByName checks that the JSON state names every parameter
// and every slot, with the step count.
func TestStateKeyedByName(t *testing.T) {
	o, err := optimizers.New(optimizers.Config{Name: "adam", AMSGrad: true})
	if err != nil {
		t.Fatal(err)
	}
	p := optimizers.Params{"W": {1, 2}, "b": {3}}
	if err := o.Init(p); err != nil {
		t.Fatal(err)
	}
	if err := o.Step(p, optimizers.Params{"W": {0.1, 0.2}, "b": {0.3}}); err != nil {
		t.Fatal(err)
	}
	b, err := o.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Optimizer string
		Step      int
		Params    map[string]int
		State     optimizers.State
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if v.Optimizer != "adam" || v.Step != 1 || v.Params["W"] != 2 || v.Params["b"] != 1 {
		t.Fatalf("header %+v", v)
	}
	adam := v.State.Stages[0]
	if adam.Count != 1 {
		t.Errorf("adam count %d", adam.Count)
	}
	for _, slot := range []string{"exp_avg", "exp_avg_sq", "max_exp_avg_sq"} {
		if len(adam.Slots[slot]["W"]) != 2 || len(adam.Slots[slot]["b"]) != 1 {
			t.Errorf("slot %s: %v", slot, adam.Slots[slot])
		}
	}
	// m = (1−β1)·g after one step.
	if m := adam.Slots["exp_avg"]["W"][1]; math.Abs(m-0.1*0.2) > 1e-17 {
		t.Errorf("exp_avg W[1] = %v", m)
	}
}

// TestUnmarshalStateErrors checks that a state that does not fit is
// refused with a reason, and leaves the optimizer as it was.
func TestUnmarshalStateErrors(t *testing.T) {
	mk := func(cfg optimizers.Config) *optimizers.Optimizer {
		o, err := optimizers.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := o.Init(optimizers.Params{"W": {1, 2}, "b": {3}}); err != nil {
			t.Fatal(err)
		}
		return o
	}
	src := mk(optimizers.Config{Name: "adam"})
	if err := src.Step(optimizers.Params{"W": {1, 2}, "b": {3}}, optimizers.Params{"W": {1, 1}, "b": {1}}); err != nil {
		t.Fatal(err)
	}
	good, err := src.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(from, to string) []byte {
		if !strings.Contains(string(good), from) {
			t.Fatalf("%q not in %s", from, good)
		}
		return []byte(strings.Replace(string(good), from, to, 1))
	}
	for _, c := range []struct {
		name string
		dst  *optimizers.Optimizer
		b    []byte
		want string
	}{
		{"garbage", mk(optimizers.Config{Name: "adam"}), []byte("{"), "optimizers: reading the optimizer state: unexpected end of JSON input"},
		{"other optimizer", mk(optimizers.Config{Name: "adamw"}), good, `optimizers: the saved state is for optimizer "adam", not adamw`},
		{"other options", mk(optimizers.Config{Name: "adam", AMSGrad: true}), good, "optimizers: saved state stage 0 has slots [exp_avg exp_avg_sq], this optimizer has [exp_avg exp_avg_sq max_exp_avg_sq] (were its options changed?)"},
		{"clipping added", mk(optimizers.Config{Name: "adam", ClipNorm: 1}), good, "optimizers: saved state has 2 stages, this optimizer has 3 (were its options changed?)"},
		{"other parameters", func() *optimizers.Optimizer {
			o, _ := optimizers.New(optimizers.Config{Name: "adam"})
			_ = o.Init(optimizers.Params{"W": {1, 2, 3}, "b": {3}})
			return o
		}(), good, `optimizers: the saved state's parameters: parameter "W" has 2 values, want 3`},
		{"negative count", mk(optimizers.Config{Name: "adam"}), edit(`"count":1`, `"count":-1`), "optimizers: saved state stage 0: count -1 is negative"},
		{"inconsistent step", mk(optimizers.Config{Name: "adam"}), edit(`"step":1`, `"step":2`), "optimizers: the saved state says step 2, its learning-rate stage 1"},
		{"short slot", mk(optimizers.Config{Name: "adam"}), edit(`"b":[0.09999999999999998]`, `"b":[]`), `optimizers: saved state stage 0 slot exp_avg: parameter "b" has 0 values, want 1`},
		{"negative size", mk(optimizers.Config{Name: "adam"}), edit(`"b":1`, `"b":-1`), `optimizers: the saved state gives parameter "b" a size of -1`},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := c.dst.MarshalState()
			err := c.dst.UnmarshalState(c.b)
			if err == nil || err.Error() != c.want {
				t.Fatalf("got  %v\nwant %s", err, c.want)
			}
			after, _ := c.dst.MarshalState()
			if !bytes.Equal(before, after) {
				t.Errorf("a refused state changed the optimizer")
			}
		})
	}
	// A diverged state cannot be saved.
	o := mk(optimizers.Config{Name: "adam"})
	if err := o.Step(optimizers.Params{"W": {1, 2}, "b": {3}}, optimizers.Params{"W": {math.NaN(), 1}, "b": {1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.MarshalState(); err == nil || !strings.Contains(err.Error(), "has training diverged?") {
		t.Errorf("NaN state saved: %v", err)
	}
	// Before Init, nothing to save.
	fresh, _ := optimizers.New(optimizers.Config{})
	if _, err := fresh.MarshalState(); err == nil {
		t.Error("MarshalState before Init succeeded")
	}
}
