package optimizers_test

import (
	"math"
	"strconv"
	"strings"
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
		// Issue 8, item 16: nothing is accepted silently.
		{"warmup:10+", `nothing after "+" (a warm-up is followed by a schedule: warmup:W[:start]+S)`},
		{"warmup:10:0.5+", `nothing after "+" (a warm-up is followed by a schedule: warmup:W[:start]+S)`},
		{"warmup:5++exp:0.9", "only a warm-up, warmup:W[:start], may come before a +"},
		{"+exp:0.9", "only a warm-up, warmup:W[:start], may come before a +"},
		{"constant:5", "constant takes no fields"},
		{"constant+exp:0.9", "only a warm-up, warmup:W[:start], may come before a +"},
		{"step::0.5", `step interval N must be an integer, got ""`},
		{"step:10:", `gamma must be a number, got ""`},
		{"step:1e3:0.5", `step interval N must be an integer, got "1e3"`},
		{"step:1_000:0.5", `step interval N must be an integer, got "1_000"`},
		{"step:0x10:0.5", `step interval N must be an integer, got "0x10"`},
		{"step: 10:0.5", `step interval N must be an integer, got " 10"`},
		{"step:-5:0.5", "step decay interval must be >= 1, got -5"},
		{"step:99999999999999999999:0.5", `step interval N must be at most 9007199254740992, got "99999999999999999999"`},
		{"cosine:9007199254740993", `cosine period T must be at most 9007199254740992, got "9007199254740993"`},
		{"warmup:9223372036854775807+exp:0.9", `warm-up length W must be at most 9007199254740992, got "9223372036854775807"`},
		{"exp:0x1p-1", `gamma must be a number, got "0x1p-1"`},
		{"exp:0.9_9", `gamma must be a number, got "0.9_9"`},
		{"exp:0.9 ", `gamma must be a number, got "0.9 "`},
		{"exp:nan", `gamma must be a finite number, got "nan"`},
		{"exp:Inf", `gamma must be a finite number, got "Inf"`},
		{"exp:1e400", `gamma must be a finite number, got "1e400"`},
		{"cosine:10:NaN", `cosine minimum must be a finite number, got "NaN"`},
		{"warmup:5:infinity+exp:0.9", `warm-up start factor must be a finite number, got "infinity"`},
		{"step:10:0.5x", `gamma must be a number, got "0.5x"`},
		{"exp:0.9:", "wrong number of fields for exp"},
		{"Exp:0.9", `unknown schedule "Exp"`},
		{"step:-99999999999999999999:0.5", `step interval N must be >= 1, got "-99999999999999999999"`},
		{strings.Repeat("x", 100), `unknown schedule "` + strings.Repeat("x", 40) + `…" (100 bytes)`},
	} {
		_, err := optimizers.ParseSchedule(c.spec, 0.1)
		quoted := `"` + c.spec + `"`
		if len(c.spec) > 40 {
			quoted = `"` + c.spec[:40] + `…" (` + strconv.Itoa(len(c.spec)) + ` bytes)`
		}
		full := `optimizers: schedule ` + quoted + `: ` + c.msg + want
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

// TestScheduleFiniteAtAnyStep: every schedule the parser accepts gives a
// finite rate in [0, lr] at any step, the largest ints included, for any
// positive finite lr (issue 8, item 19).
func TestScheduleFiniteAtAnyStep(t *testing.T) {
	specs := []string{"constant", "step:1:0.5", "step:3:1e-300", "exp:0.5", "exp:1", "exp:4.9e-324",
		"cosine:1", "cosine:7:0", "cosine:1000", "warmup:1", "warmup:1000:1e-9+cosine:10", "warmup:3+exp:0.1"}
	lrs := []float64{math.SmallestNonzeroFloat64, 1e-300, 0.1, 1, 1e300, math.MaxFloat64}
	steps := []int{0, 1, 2, 999, 1000, 1 << 31, 1 << 53, 1 << 62, math.MaxInt}
	for _, spec := range specs {
		for _, lr := range lrs {
			s, err := optimizers.ParseSchedule(spec, lr)
			if err != nil {
				t.Fatalf("%s at lr %v: %v", spec, lr, err)
			}
			for _, step := range steps {
				if v := s(step); !(v >= 0 && v <= lr) {
					t.Errorf("%s at lr %v, step %d: rate %v, want a value in [0, lr]", spec, lr, step, v)
				}
			}
		}
	}
}
