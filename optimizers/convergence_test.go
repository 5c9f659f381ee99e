package optimizers_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/descent-ml/descent/optimizers"
)

// surface is a test objective of a flat parameter vector with a known
// minimum: f writes ∇f(x) into g and returns f(x); reached says whether x
// (with f(x)) is within the stated tolerance of it.
type surface struct {
	name, minimum string
	start         []float64
	budget        int
	f             func(x, g []float64) float64
	reached       func(x []float64, f float64) bool
}

// separable is 20 points on the wavy circle r = 1 + 0.3·sin 3a, labelled
// ±1 by the side of the line x + y/2 = 0.2 they fall on.
func separable() (X [][2]float64, Y []float64) {
	for i := 0; i < 20; i++ {
		a := float64(i) * 2 * math.Pi / 20
		r := 1 + 0.3*math.Sin(3*a)
		x := [2]float64{r * math.Cos(a), r * math.Sin(a)}
		y := 1.0
		if x[0]+0.5*x[1] < 0.2 {
			y = -1
		}
		X, Y = append(X, x), append(Y, y)
	}
	return X, Y
}

func surfacesForConvergence() []surface {
	X, Y := separable()
	inf := func(x []float64, c ...float64) float64 {
		var m float64
		for i := range x {
			m = math.Max(m, math.Abs(x[i]-c[i]))
		}
		return m
	}
	return []surface{
		{
			// f = ½θᵀAθ, A = R·diag(1, 100)·Rᵀ rotated by 45°, so that no
			// coordinate-wise method profits from the axes: condition 100.
			name: "quadratic", minimum: "‖θ‖∞ < 1e-4, θ* = 0", start: []float64{-2, 1}, budget: 5000,
			f: func(x, g []float64) float64 {
				g[0] = 50.5*x[0] - 49.5*x[1]
				g[1] = -49.5*x[0] + 50.5*x[1]
				return 0.5 * (x[0]*g[0] + x[1]*g[1])
			},
			reached: func(x []float64, _ float64) bool { return inf(x, 0, 0) < 1e-4 },
		},
		{
			name: "rosenbrock", minimum: "‖θ − (1,1)‖∞ < 1e-3", start: []float64{-1.2, 1}, budget: 20000,
			f: func(x, g []float64) float64 {
				a, b := 1-x[0], x[1]-x[0]*x[0]
				g[0] = -2*a - 400*x[0]*b
				g[1] = 200 * b
				return a*a + 100*b*b
			},
			reached: func(x []float64, _ float64) bool { return inf(x, 1, 1) < 1e-3 },
		},
		{
			// Mean logistic loss of (w, b) on a separable set: its infimum
			// 0 is not attained.
			name: "logistic", minimum: "loss < 1e-2, all correct", start: []float64{0, 0, 0}, budget: 10000,
			f: func(x, g []float64) float64 {
				g[0], g[1], g[2] = 0, 0, 0
				var L float64
				n := float64(len(X))
				for i := range X {
					z := Y[i] * (x[0]*X[i][0] + x[1]*X[i][1] + x[2])
					L += math.Log1p(math.Exp(-z))
					s := -Y[i] / (1 + math.Exp(z)) / n
					g[0] += s * X[i][0]
					g[1] += s * X[i][1]
					g[2] += s
				}
				return L / n
			},
			reached: func(x []float64, f float64) bool {
				for i := range X {
					if Y[i]*(x[0]*X[i][0]+x[1]*X[i][1]+x[2]) <= 0 {
						return false
					}
				}
				return f < 1e-2
			},
		},
	}
}

// TestConvergence runs every optimizer, with its defaults but for a stated
// learning rate per (optimizer, problem), on the three surfaces, and checks
// that each reaches its minimum's tolerance within the problem's budget.
// It logs the table: the first step within tolerance and the loss there.
func TestConvergence(t *testing.T) {
	lrs := map[string]map[string]float64{
		"quadratic":  {"gd": 0.01, "momentum": 0.005, "nesterov": 0.01, "adagrad": 1, "rmsprop": 0.02, "adam": 0.5, "adamw": 0.5},
		"rosenbrock": {"gd": 0.002, "momentum": 0.001, "nesterov": 0.001, "adagrad": 0.5, "rmsprop": 0.001, "adam": 0.1, "adamw": 0.001},
		"logistic":   {"gd": 2, "momentum": 1, "nesterov": 1, "adagrad": 2, "rmsprop": 0.5, "adam": 0.5, "adamw": 1},
	}
	X, Y := separable()
	for i := range X {
		if m := Y[i] * (X[i][0] + 0.5*X[i][1] - 0.2); m < 0.01 {
			t.Fatalf("point %d is %v from the separating line", i, m)
		}
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n| problem (tolerance, budget) | optimizer | lr | steps to tolerance | loss there |\n|---|---|---|---|---|\n")
	for _, s := range surfacesForConvergence() {
		for _, name := range optimizers.Names() {
			lr, ok := lrs[s.name][name]
			if !ok {
				t.Fatalf("no lr for %s on %s", name, s.name)
			}
			o, err := optimizers.New(optimizers.Config{Name: name, LR: lr})
			if err != nil {
				t.Fatal(err)
			}
			x := append([]float64(nil), s.start...)
			g := make([]float64, len(x))
			p, gp := optimizers.Params{"x": x}, optimizers.Params{"x": g}
			if err := o.Init(p); err != nil {
				t.Fatal(err)
			}
			steps, f := -1, math.NaN()
			for i := 0; i <= s.budget; i++ {
				if f = s.f(x, g); s.reached(x, f) {
					steps = i
					break
				}
				if i < s.budget {
					if err := o.Step(p, gp); err != nil {
						t.Fatal(err)
					}
				}
			}
			fmt.Fprintf(&table, "| %s (%s, %d) | %s | %g | %d | %.3g |\n", s.name, s.minimum, s.budget, name, lr, steps, f)
			if steps < 0 {
				t.Errorf("%s on %s (lr %g): not within %s after %d steps: x = %v, f = %g", name, s.name, lr, s.minimum, s.budget, x, f)
			}
		}
	}
	t.Log(table.String())
}
