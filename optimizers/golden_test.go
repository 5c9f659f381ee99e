package optimizers_test

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/descent-ml/descent/optimizers"
)

// goldenTol is the agreement asked of every parameter after steps 1, 10
// and 100: |ours − torch| ≤ goldenTol·max(1, |torch|).
const goldenTol = 1e-10

// relDev is |a − b| / max(1, |b|).
func relDev(a, b float64) float64 { return math.Abs(a-b) / math.Max(1, math.Abs(b)) }

// configOf turns a golden case's flag-named options into a Config through
// FromFlags, the CLI's path: every option in the case is explicit.
func configOf(t testing.TB, m map[string]any) optimizers.Config {
	t.Helper()
	values, bools := map[string]float64{}, map[string]bool{}
	var name, schedule string
	for k, v := range m {
		switch v := v.(type) {
		case string:
			if k == "name" {
				name = v
			} else {
				schedule = v
			}
		case bool:
			bools[k] = v
		case float64:
			values[k] = v
		default:
			t.Fatalf("option %s has type %T", k, v)
		}
	}
	c, err := optimizers.FromFlags(name, values, bools)
	if err != nil {
		t.Fatal(err)
	}
	c.Schedule = schedule
	return c
}

// TestGoldenTrajectories replays PyTorch's trajectories: every optimizer's
// defaults, each option alone, schedules and clipping, on the linear and
// MLP problems, 100 full-batch steps from torch's starting point with the
// hand-written gradients of problems_test.go.
func TestGoldenTrajectories(t *testing.T) {
	g := loadGolden(t)
	worst := map[string]float64{}
	for _, c := range g.Cases {
		t.Run(c.Problem+"/"+c.Name, func(t *testing.T) {
			pr := problemFor(t, g, c.Problem)
			o, err := optimizers.New(configOf(t, c.Config))
			if err != nil {
				t.Fatal(err)
			}
			p, grad := pr.params()
			if err := o.Init(p); err != nil {
				t.Fatal(err)
			}
			for step := 1; step <= 100; step++ {
				pr.grad(p, grad)
				if err := o.Step(p, grad); err != nil {
					t.Fatal(err)
				}
				want, ok := c.Steps[fmt.Sprint(step)]
				if !ok {
					continue
				}
				for name, w := range want {
					got := p[name]
					if len(got) != len(w) {
						t.Fatalf("%s has %d values, torch %d", name, len(got), len(w))
					}
					for i := range w {
						d := relDev(got[i], w[i])
						opt := strings.Split(c.Name, "/")[0]
						worst[opt] = math.Max(worst[opt], d)
						if d > goldenTol {
							t.Errorf("step %d: %s[%d] = %.17g, torch %.17g (relative deviation %.2g)", step, name, i, got[i], w[i], d)
						}
					}
				}
			}
		})
	}
	names := make([]string, 0, len(worst))
	for k := range worst {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		t.Logf("%-9s max relative deviation from torch %s over all its cases: %.2e", k, g.Torch, worst[k])
	}
	if len(names) != len(optimizers.Names()) {
		t.Errorf("golden cases cover %v, want every one of %v", names, optimizers.Names())
	}
}

// TestGoldenSchedules compares every schedule with torch's scheduler, the
// rate of each of 100 steps at base rate 0.1. Torch steps its schedulers
// recursively (lr ← lr·γ), ours are closed forms, so they agree to
// rounding, not bit for bit.
func TestGoldenSchedules(t *testing.T) {
	g := loadGolden(t)
	if len(g.Schedules) == 0 {
		t.Fatal("no schedules in golden.json")
	}
	for spec, want := range g.Schedules {
		s, err := optimizers.ParseSchedule(spec, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		var worst float64
		for step, w := range want {
			d := math.Abs(s(step)-w) / 0.1 // relative to the base rate: w may be 0
			worst = math.Max(worst, d)
			if d > 1e-12 {
				t.Errorf("%s: step %d: lr %.17g, torch %.17g", spec, step, s(step), w)
			}
		}
		t.Logf("%-26s max relative deviation from torch's scheduler: %.1e", spec, worst)
	}
}
