package graph_test

import (
	"fmt"
	"testing"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// TestStepAllocations measures heap allocations of a steady-state Step
// (after warm-up, so every program is compiled) with testing.AllocsPerRun.
//
// Measured on go1.26.8 linux/amd64, 2 cores (AllocsPerRun, 200 or 20 runs):
//
//	linear 5×1, float64 or float32:          1 (8 B: kind, engine.go:324, escapes
//	                                           because the go func() below captures it)
//	linear 20000×10 split (1 worker runs):   2 (+ the captured sync.WaitGroup)
//	MLP 10→64→1, 20000 rows, 2 / 4 workers:  3 / 5 (+ one closure per extra worker),
//	                                           blocks of 128 rows
//
// DESIGN.md asks for zero. The bounds sit one above the measurements:
// 2 for an unsplit step, workers+2 for a split one.
func TestStepAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are measured without -short")
	}
	wide, err := models.NewMLP(10, 1, []int{64}, "relu", 1)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		m       models.Model
		n       int
		opt     graph.Options
		dt      tensor.Dtype
		mostAll float64
	}{
		{"linear-5x1", models.Linear{Features: 1}, 5, graph.Options{Workers: 1}, tensor.Float64, 2},
		{"linear-5x1-f32", models.Linear{Features: 1}, 5, graph.Options{Workers: 1}, tensor.Float32, 2},
		{"linear-20000x10-split", models.Linear{Features: 10}, 20000, graph.Options{Workers: 2, BlockRows: 1000}, tensor.Float64, 4},
		{"linear-20000x10-split-f32", models.Linear{Features: 10}, 20000, graph.Options{Workers: 2, BlockRows: 1000}, tensor.Float32, 4},
		// Blocks of 128 rows keep gonum's Dgemm serial: from 4 64×64 tiles
		// of output up it spawns a goroutine per tile and allocates (about
		// 68 allocations per 1000-row block of this MLP).
		{"mlp-20000x10-split-w2", wide, 20000, graph.Options{Workers: 2, BlockRows: 128}, tensor.Float64, 4},
		{"mlp-20000x10-split-w4", wide, 20000, graph.Options{Workers: 4, BlockRows: 128}, tensor.Float64, 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec, err := traced(models.Problem{Model: c.m, Dtype: c.dt}.Spec())
			if err != nil {
				t.Fatal(err)
			}
			X, Y := draw(spec, "real", c.n, 3)
			e := newEngine(t, spec, c.opt, randomParams(spec, 1, -1, 1))
			for i := 0; i < 3; i++ { // warm up: compile every block size
				step(t, e, X, Y, c.n)
			}
			runs := 200
			if c.n > 1000 {
				runs = 20
			}
			var stepErr error
			allocs := testing.AllocsPerRun(runs, func() {
				if _, err := e.Step(X, Y, c.n); err != nil {
					stepErr = err
				}
			})
			if stepErr != nil {
				t.Fatal(stepErr)
			}
			t.Logf("%s: %v allocations per Step", c.name, allocs)
			if allocs > c.mostAll {
				t.Errorf("%v allocations per steady-state Step, want at most %v", allocs, c.mostAll)
			}
		})
	}
}

// TestPredictAllocations measures a steady-state Predict into a caller's
// buffer, which should allocate nothing either.
func TestPredictAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are measured without -short")
	}
	for _, n := range []int{5, 20000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			spec, err := traced(models.Problem{Model: models.Linear{Features: 10}}.Spec())
			if err != nil {
				t.Fatal(err)
			}
			X, _ := draw(spec, "real", n, 3)
			e := newEngine(t, spec, graph.Options{Workers: 1, BlockRows: 1000}, randomParams(spec, 1, -1, 1))
			out := make([]float64, n)
			if _, err := e.Predict(X, n, out); err != nil {
				t.Fatal(err)
			}
			allocs := testing.AllocsPerRun(100, func() {
				if _, err := e.Predict(X, n, out); err != nil {
					t.Fatal(err)
				}
			})
			t.Logf("Predict %d×10: %v allocations", n, allocs)
			if allocs > 0 {
				t.Errorf("%v allocations per steady-state Predict, want 0", allocs)
			}
		})
	}
}
