package graph_test

import (
	"fmt"
	"testing"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// TestStepAllocations measures heap allocations of a steady-state Step
// (after warm-up, so every program is compiled) with testing.AllocsPerRun,
// and asks for none, as DESIGN.md does: a split batch hands its ranges to
// long-lived worker goroutines over a channel (no goroutine, no closure per
// step), and the programs of every block size are compiled for every
// worker slot the first time a batch is split (prepareSplit), so no later
// step compiles one, whichever worker runs which range.
//
// Measured on go1.26.8 linux/amd64, 2 cores: 0 in every case (before, a
// split step made a goroutine and a closure per extra worker: 1 to 5).
func TestStepAllocations(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts are measured without -short and without the race detector")
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
		{"linear-5x1", models.Linear{Features: 1}, 5, graph.Options{Workers: 1}, tensor.Float64, 0},
		{"linear-5x1-f32", models.Linear{Features: 1}, 5, graph.Options{Workers: 1}, tensor.Float32, 0},
		{"linear-20000x10-split", models.Linear{Features: 10}, 20000, graph.Options{Workers: 2, BlockRows: 1000}, tensor.Float64, 0},
		{"linear-20000x10-split-f32", models.Linear{Features: 10}, 20000, graph.Options{Workers: 2, BlockRows: 1000}, tensor.Float32, 0},
		{"mlp-20000x10-split-w2", wide, 20000, graph.Options{Workers: 2, BlockRows: 128}, tensor.Float64, 0},
		{"mlp-20000x10-split-w4", wide, 20000, graph.Options{Workers: 4, BlockRows: 128}, tensor.Float64, 0},
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
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts are measured without -short and without the race detector")
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
