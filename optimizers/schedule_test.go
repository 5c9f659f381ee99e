package optimizers_test

import (
	"math"
	"testing"

	"github.com/descent-ml/descent/optimizers"
)

// TestScheduleProperties checks the defining properties of each schedule
// (torch's agreement is TestGoldenSchedules').
func TestScheduleProperties(t *testing.T) {
	parse := func(spec string) optimizers.Schedule {
		s, err := optimizers.ParseSchedule(spec, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-15 {
			t.Errorf("%s = %.17g, want %.17g", what, got, want)
		}
	}
	for _, spec := range []string{"", "constant"} {
		s := parse(spec)
		for _, step := range []int{0, 1, 1000} {
			near("constant", s(step), 0.5)
		}
	}
	s := parse("step:10:0.1")
	near("step(9)", s(9), 0.5)
	near("step(10)", s(10), 0.05)
	near("step(25)", s(25), 0.005)
	s = parse("exp:0.5")
	near("exp(0)", s(0), 0.5)
	near("exp(3)", s(3), 0.0625)
	s = parse("cosine:100:0.1")
	near("cosine(0)", s(0), 0.5)
	near("cosine(50)", s(50), 0.3)
	near("cosine(100)", s(100), 0.1)
	near("cosine(200) (period 2T, as torch)", s(200), 0.5)
	s = parse("warmup:4+cosine:10")
	near("warmup(0)", s(0), 0.5/3)
	near("warmup(2)", s(2), 0.5*(1.0/3+2.0/3*2/4))
	near("warmup(4)", s(4), 0.5)
	near("warmup(9)", s(9), 0.25)
	s = parse("warmup:2:0.5")
	near("warmup:2:0.5(0)", s(0), 0.25)
	near("warmup:2:0.5(1)", s(1), 0.375)
	near("warmup:2:0.5(7)", s(7), 0.5)
	// Pure: any order, any number of calls.
	a := parse("warmup:3+exp:0.9")
	b := parse("warmup:3+exp:0.9")
	for step := 20; step >= 0; step-- {
		if a(step) != b(step) || a(step) != a(step) {
			t.Fatalf("schedule not pure at step %d", step)
		}
	}
	// Adagrad's lr_decay.
	d, err := optimizers.InverseTimeDecay(parse("constant"), 0.5)
	if err != nil {
		t.Fatal(err)
	}
	near("inverse time decay(0)", d(0), 0.5)
	near("inverse time decay(2)", d(2), 0.25)
}

// TestScheduleErrors checks that every bad spec is an error naming it.
func TestScheduleErrors(t *testing.T) {
	want := " (want " + optimizers.ScheduleSpecs + ")"
	for _, c := range []struct{ spec, msg string }{
		{"linear", `unknown schedule "linear"`},
		{"step:10", "wrong number of fields for step"},
		{"step:x:0.5", `step interval N must be an integer, got "x"`},
		{"step:0:0.5", "step decay interval must be >= 1, got 0"},
		{"step:10:1.5", "gamma must be in (0,1], got 1.5"},
		{"step:10:0", "gamma must be in (0,1], got 0"},
		{"exp", "wrong number of fields for exp"},
		{"exp:abc", `gamma must be a number, got "abc"`},
		{"exp:-0.9", "gamma must be in (0,1], got -0.9"},
		{"cosine", "wrong number of fields for cosine"},
		{"cosine:0", "cosine period T must be >= 1, got 0"},
		{"cosine:10:1", "cosine minimum must be in [0, lr=0.1], got 1"},
		{"cosine:10:-1", "cosine minimum must be in [0, lr=0.1], got -1"},
		{"cosine:10:1:2", "wrong number of fields for cosine"},
		{"warmup:0+constant", "warm-up length must be >= 1, got 0"},
		{"warmup:x", `warm-up length W must be an integer, got "x"`},
		{"warmup:5:0+constant", "warm-up start factor must be in (0,1], got 0"},
		{"warmup:5:2", "warm-up start factor must be in (0,1], got 2"},
		{"warmup:5+warmup:5", "a warm-up cannot follow a warm-up"},
		{"warmup:5+bogus", `unknown schedule "bogus"`},
		{"cosine:10+exp:0.9", "only a warm-up, warmup:W[:start], may come before a +"},
		{"warmup", "a warm-up is warmup:W[:start]"},
		{"warmup:1:2:3+exp:0.9", "a warm-up is warmup:W[:start]"},
	} {
		_, err := optimizers.ParseSchedule(c.spec, 0.1)
		full := `optimizers: schedule "` + c.spec + `": ` + c.msg + want
		if err == nil || err.Error() != full {
			t.Errorf("ParseSchedule(%q) = %v\nwant %s", c.spec, err, full)
		}
	}
	if _, err := optimizers.ParseSchedule("constant", 0); err == nil || err.Error() != `optimizers: schedule "constant": lr must be > 0, got 0`+want {
		t.Errorf("lr 0: %v", err)
	}
	for name, f := range map[string]func() error{
		"Constant":         func() error { _, err := optimizers.Constant(-1); return err },
		"StepDecay":        func() error { _, err := optimizers.StepDecay(1, 0, 0.5); return err },
		"Exponential":      func() error { _, err := optimizers.Exponential(1, 2); return err },
		"Cosine":           func() error { _, err := optimizers.Cosine(1, 0, 0); return err },
		"Warmup":           func() error { _, err := optimizers.Warmup(1, 0.5, nil); return err },
		"InverseTimeDecay": func() error { _, err := optimizers.InverseTimeDecay(nil, 0.1); return err },
		"InverseTimeDecay negative": func() error {
			c, _ := optimizers.Constant(1)
			_, err := optimizers.InverseTimeDecay(c, -1)
			return err
		},
	} {
		if err := f(); err == nil {
			t.Errorf("%s accepted a bad argument", name)
		}
	}
}
