package optimizers_test

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/descent-ml/descent/optimizers"
)

// mlp32 is the MLP problem on float32 parameters: the gradient computed in
// float64 at the float32 parameters and rounded to float32, as
// TestGolden32Trajectories does.
type mlp32 struct {
	pr       problem
	p64, g64 optimizers.Params
}

func newMLP32(t testing.TB) (*mlp32, optimizers.Params32) {
	pr := mlpProblem(loadGolden(t).Problems.MLP)
	p64, g64 := pr.params()
	p := optimizers.Params32{}
	for k, v := range p64 {
		p[k] = make([]float32, len(v))
		for i, x := range v {
			p[k][i] = float32(x)
		}
	}
	return &mlp32{pr, p64, g64}, p
}

func (m *mlp32) grad(p, g optimizers.Params32) {
	for k, v := range p {
		for i, x := range v {
			m.p64[k][i] = float64(x)
		}
	}
	m.pr.grad(m.p64, m.g64)
	for k, v := range m.g64 {
		if len(g[k]) != len(v) {
			g[k] = make([]float32, len(v))
		}
		for i, x := range v {
			g[k][i] = float32(x)
		}
	}
}

func clone32(p optimizers.Params32) optimizers.Params32 {
	c := optimizers.Params32{}
	for k, v := range p {
		c[k] = append([]float32(nil), v...)
	}
	return c
}

func sameBits32(a, b optimizers.Params32) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if len(b[k]) != len(v) {
			return false
		}
		for i := range v {
			if math.Float32bits(v[i]) != math.Float32bits(b[k][i]) {
				return false
			}
		}
	}
	return true
}

// TestResume32 is TestResume for New32: stopped after k steps, saved,
// restored (with and without Init) and continued, every float32 optimizer
// follows the uninterrupted run bit for bit, and its state is saved as
// float32 text.
func TestResume32(t *testing.T) {
	const total, k = 25, 11
	for _, cfg := range resumeConfigs() {
		t.Run(cfg.Name, func(t *testing.T) {
			m, start := newMLP32(t)
			run := func(o *optimizers.Optimizer32, p optimizers.Params32, steps int) {
				g := optimizers.Params32{}
				for i := 0; i < steps; i++ {
					m.grad(p, g)
					if err := o.Step(p, g); err != nil {
						t.Fatal(err)
					}
				}
			}
			straight, err := optimizers.New32(cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := clone32(start)
			if err := straight.Init(want); err != nil {
				t.Fatal(err)
			}
			run(straight, want, total)

			first, _ := optimizers.New32(cfg)
			p := clone32(start)
			if err := first.Init(p); err != nil {
				t.Fatal(err)
			}
			run(first, p, k)
			saved, err := first.MarshalState()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(saved, []byte(`"dtype":"float32"`)) {
				t.Errorf("a float32 state does not say so: %.80s…", saved)
			}
			for _, initFirst := range []bool{false, true} {
				second, _ := optimizers.New32(cfg)
				q := clone32(p)
				if initFirst {
					if err := second.Init(q); err != nil {
						t.Fatal(err)
					}
				}
				if err := second.UnmarshalState(saved); err != nil {
					t.Fatal(err)
				}
				again, err := second.MarshalState()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(again, saved) {
					t.Errorf("init %v: the restored state marshals differently", initFirst)
				}
				run(second, q, total-k)
				if second.StepCount() != total {
					t.Errorf("init %v: step count %d, want %d", initFirst, second.StepCount(), total)
				}
				if !sameBits32(q, want) {
					t.Errorf("init %v: the resumed run left the uninterrupted trajectory", initFirst)
				}
			}
		})
	}
}

// TestStateDtype: a float32 state is refused by a float64 optimizer and a
// float64 state by a float32 one, naming both types.
func TestStateDtype(t *testing.T) {
	cfg := optimizers.Config{Name: "adam"}
	o64, _ := optimizers.New(cfg)
	o32, _ := optimizers.New32(cfg)
	if err := o64.Init(optimizers.Params{"w": {1, 2}}); err != nil {
		t.Fatal(err)
	}
	if err := o32.Init(optimizers.Params32{"w": {1, 2}}); err != nil {
		t.Fatal(err)
	}
	s64, err := o64.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	s32, err := o32.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(s64, []byte("dtype")) {
		t.Errorf("a float64 state names its dtype, unlike the states before float32: %s", s64)
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"float32 into float64", o64.UnmarshalState(s32), `the saved state is "float32", this optimizer's is float64`},
		{"float64 into float32", o32.UnmarshalState(s64), `the saved state is float64, this optimizer's is "float32"`},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, c.err, c.want)
		}
	}
}

// TestStepStages32 checks that StepStages makes Step's float32 update bit
// for bit, and that in the float32 chains the learning rate of adagrad,
// rmsprop without momentum, adam and adamw is their scaling stage's.
func TestStepStages32(t *testing.T) {
	wantNames := map[string][]string{
		"gd":       {"clip-norm", "weight-decay", "lr"},
		"momentum": {"clip-value", "momentum", "lr"},
		"nesterov": {"clip-norm", "weight-decay", "nesterov", "lr"},
		"adagrad":  {"clip-norm", "adagrad"},
		"rmsprop":  {"clip-value", "rmsprop", "lr"},
		"adam":     {"clip-norm", "clip-value", "weight-decay", "adam"},
		"adamw":    {"clip-norm", "adam"},
	}
	cfgs := append(resumeConfigs(), optimizers.Config{Name: "rmsprop", ClipNorm: 1})
	wantNames["rmsprop/no-momentum"] = []string{"clip-norm", "rmsprop"}
	for _, cfg := range cfgs {
		name := cfg.Name
		if cfg.Name == "rmsprop" && cfg.Momentum == 0 {
			name += "/no-momentum"
		}
		t.Run(name, func(t *testing.T) {
			m, start := newMLP32(t)
			a, _ := optimizers.New32(cfg)
			b, _ := optimizers.New32(cfg)
			pa, pb := clone32(start), clone32(start)
			if err := a.Init(pa); err != nil {
				t.Fatal(err)
			}
			if err := b.Init(pb); err != nil {
				t.Fatal(err)
			}
			if got := b.StageNames(); !reflect.DeepEqual(got, wantNames[name]) {
				t.Errorf("stages %v, want %v", got, wantNames[name])
			}
			var stages []optimizers.Params32
			ga, gb := optimizers.Params32{}, optimizers.Params32{}
			for step := 0; step < 12; step++ {
				m.grad(pa, ga)
				m.grad(pb, gb)
				if err := a.Step(pa, ga); err != nil {
					t.Fatal(err)
				}
				var err error
				if stages, err = b.StepStages(pb, gb, stages); err != nil {
					t.Fatal(err)
				}
				if !sameBits32(stages[len(stages)-1], gb) {
					t.Fatalf("step %d: the last stage is not the update", step)
				}
			}
			if !sameBits32(pa, pb) {
				t.Error("StepStages left Step's trajectory")
			}
		})
	}
}

// TestNew32Errors: New32 validates as New does, and Step checks Init.
func TestNew32Errors(t *testing.T) {
	if _, err := optimizers.New32(optimizers.Config{Name: "adam", Beta1: 1.2}); err == nil || err.Error() != "optimizers: beta1 must be in [0,1), got 1.2" {
		t.Errorf("beta1 1.2: %v", err)
	}
	o, err := optimizers.New32(optimizers.Config{Name: "momentum"})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Step(optimizers.Params32{"w": {1}}, optimizers.Params32{"w": {1}}); err == nil || !strings.Contains(err.Error(), "Step before Init") {
		t.Errorf("Step before Init: %v", err)
	}
	if err := o.Init(optimizers.Params32{"w": {1, 2}}); err != nil {
		t.Fatal(err)
	}
	if err := o.Step(optimizers.Params32{"w": {1, 2}}, optimizers.Params32{"w": {1}}); err == nil || !strings.Contains(err.Error(), "has 1 values, want 2") {
		t.Errorf("short gradient: %v", err)
	}
}

// New32 trains float32 parameters with float32 state, rounding every
// operation as torch.optim does on float32 tensors: these are the float32
// values torch.optim.Adam(lr=0.1) reaches, bit for bit.
func ExampleNew32() {
	o, err := optimizers.New32(optimizers.Config{Name: "adam", LR: 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	w := optimizers.Params32{"w": {0}}
	if err := o.Init(w); err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < 3; i++ {
		g := optimizers.Params32{"w": {2 * (w["w"][0] - 3)}} // minimise (w − 3)²
		if err := o.Step(w, g); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("step %d: w = %v\n", o.StepCount(), w["w"][0])
	}
	// Output:
	// step 1: w = 0.1
	// step 2: w = 0.1998973
	// step 3: w = 0.29961848
}

// FuzzUnmarshalState32 is FuzzUnmarshalState for New32's optimizers: any
// bytes never panic nor allocate from an unchecked size; a refused state
// is one capped line and leaves the optimizer as it was; an accepted one
// round-trips through MarshalState, and after Init a Step works. The seeds
// are every optimizer's state after two steps, and hostile variants of it.
func FuzzUnmarshalState32(f *testing.F) {
	p32 := func() optimizers.Params32 { return optimizers.Params32{"W": {1, -2, 3}, "b": {0.5}} }
	for i, name := range optimizers.Names() {
		o, err := optimizers.New32(optimizers.Config{Name: name, ClipNorm: 1})
		if err != nil {
			f.Fatal(err)
		}
		p := p32()
		if err := o.Init(p); err != nil {
			f.Fatal(err)
		}
		for step := 0; step < 2; step++ {
			if err := o.Step(p, optimizers.Params32{"W": {0.1, 0.2, 0.3}, "b": {0.4}}); err != nil {
				f.Fatal(err)
			}
		}
		b, err := o.MarshalState()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(i), true)
		f.Add(b, uint8(i), false)
		f.Add(bytes.Replace(b, []byte(`"W":3`), []byte(`"W":1000000000`), 1), uint8(i), false)
		f.Add(bytes.Replace(b, []byte(`"float32"`), []byte(`"float64"`), 1), uint8(i), true)
		f.Add(bytes.Replace(b, []byte(`,"dtype":"float32"`), nil, 1), uint8(i), true)
		f.Add(bytes.Replace(b, []byte(`0.`), []byte(`1e39`), 1), uint8(i), true) // overflows float32
	}
	f.Fuzz(func(t *testing.T, b []byte, which uint8, init bool) {
		names := optimizers.Names()
		o, err := optimizers.New32(optimizers.Config{Name: names[int(which)%len(names)], ClipNorm: 1})
		if err != nil {
			t.Fatal(err)
		}
		var before []byte
		if init {
			if err := o.Init(p32()); err != nil {
				t.Fatal(err)
			}
			before, _ = o.MarshalState()
		}
		if err := o.UnmarshalState(b); err != nil {
			checkMessage(t, err)
			if init {
				if after, _ := o.MarshalState(); !bytes.Equal(before, after) {
					t.Fatal("a refused state changed the optimizer")
				}
			}
			return
		}
		again, err := o.MarshalState()
		if err != nil {
			return
		}
		o2, _ := optimizers.New32(o.Config())
		if err := o2.UnmarshalState(again); err != nil {
			t.Fatalf("a state read back from MarshalState is refused: %v", err)
		}
		if third, _ := o2.MarshalState(); !bytes.Equal(third, again) {
			t.Fatalf("state does not round-trip:\n%s\n%s", again, third)
		}
		if init {
			if err := o.Step(p32(), optimizers.Params32{"W": {0.1, 0.2, 0.3}, "b": {0.4}}); err != nil {
				t.Fatalf("Step after an accepted state: %v", err)
			}
		}
	})
}
