package graph_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

type accumCase struct {
	name string
	p    models.Problem
	n    int
	opt  graph.Options
}

func accumCases(t *testing.T) []accumCase {
	m, err := models.NewMLP(3, 2, []int{4}, "sigmoid", 1)
	if err != nil {
		t.Fatal(err)
	}
	return []accumCase{
		{"linear-5x1", models.Problem{Model: models.Linear{Features: 1}}, 5, graph.Options{Workers: 1}},
		{"mlp-20x3", models.Problem{Model: m, Loss: "xent"}, 20, graph.Options{Workers: 1}},
		{"linear-l2-20x3", models.Problem{Model: models.Linear{Features: 3}, L2: 0.1}, 20, graph.Options{Workers: 1}},
		{"linear-split-2000x3", models.Problem{Model: models.Linear{Features: 3}}, 2000, graph.Options{Workers: 2, BlockRows: 150}},
		{"rosenbrock", models.Problem{Model: models.Rosenbrock{X0: -1.2, Y0: 1}}, 0, graph.Options{}},
	}
}

// TestNoAccumulation steps 1000 times on one batch at fixed parameters and
// requires bit-identical loss and gradients every time: nothing carries
// over from one step to the next (Gorgonia's dual values accumulate,
// issue #543). Loss and Predict between steps must leave Grads alone.
func TestNoAccumulation(t *testing.T) {
	steps := 1000
	if testing.Short() {
		steps = 100
	}
	for _, c := range accumCases(t) {
		for _, dt := range dtypes {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				p := c.p
				p.Dtype = dt
				spec, err := traced(p.Spec())
				if err != nil {
					t.Fatal(err)
				}
				var X, Y []float64
				if c.n > 0 {
					X, Y = draw(spec, "real", c.n, 41)
					if p.LossName() == "xent" {
						Y = onehot(42, c.n, spec.TargetSize())
					}
				}
				e := newEngine(t, spec, c.opt, randomParams(spec, 1, -1, 1))
				l0, g0 := step(t, e, X, Y, c.n)
				for i := 1; i < steps; i++ {
					l, g := step(t, e, X, Y, c.n)
					if l != l0 || !slices.EqualFunc(g, g0, slices.Equal) {
						t.Fatalf("step %d: loss %v grads %v, step 0: loss %v grads %v", i, l, g, l0, g0)
					}
					if i%100 == 0 {
						if _, err := e.Loss(X, Y, c.n); err != nil {
							t.Fatal(err)
						}
						if c.n > 0 {
							if _, err := e.Predict(X, c.n, nil); err != nil {
								t.Fatal(err)
							}
						}
						for j, prm := range spec.Params {
							if !slices.Equal(e.Grads()[prm.Name], g0[j]) {
								t.Fatalf("after Loss/Predict, Grads()[%q] = %v, want the last Step's %v", prm.Name, e.Grads()[prm.Name], g0[j])
							}
						}
					}
				}
			})
		}
	}
}

// TestGradsFollowParams changes the parameters between steps, in place
// through Params (Params32 for float32) and through SetParams, and requires the gradients of a
// fresh engine at the new parameters, bit for bit.
func TestGradsFollowParams(t *testing.T) {
	for _, c := range accumCases(t) {
		for _, dt := range dtypes {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				p := c.p
				p.Dtype = dt
				spec, err := traced(p.Spec())
				if err != nil {
					t.Fatal(err)
				}
				var X, Y []float64
				if c.n > 0 {
					X, Y = draw(spec, "real", c.n, 43)
					if p.LossName() == "xent" {
						Y = onehot(44, c.n, spec.TargetSize())
					}
				}
				e := newEngine(t, spec, c.opt, randomParams(spec, 1, -1, 1))
				for round := 0; round < 4; round++ {
					step(t, e, X, Y, c.n)
					next := randomParams(spec, uint64(100+round), -1, 1)
					if round%2 == 0 {
						for name, v := range next {
							if p32 := e.Params32(); p32 != nil { // a float32 engine's truth
								for i, x := range v {
									p32[name][i] = float32(x)
								}
								continue
							}
							copy(e.Params()[name], v)
						}
					} else if err := e.SetParams(next); err != nil {
						t.Fatal(err)
					}
					l, g := step(t, e, X, Y, c.n)
					lf, gf := step(t, newEngine(t, spec, c.opt, next), X, Y, c.n)
					if l != lf || !slices.EqualFunc(g, gf, slices.Equal) {
						t.Fatalf("round %d: after new params loss %v grads %v; a fresh engine gives %v %v", round, l, g, lf, gf)
					}
				}
			})
		}
	}
}

// TestGradsAreOverwritten checks that Grads is written, not added to, even
// when the slices were dirtied by the caller between steps.
func TestGradsAreOverwritten(t *testing.T) {
	for _, opt := range []graph.Options{{Workers: 1}, {Workers: 3, BlockRows: 64}} {
		t.Run(fmt.Sprintf("workers=%d", opt.Workers), func(t *testing.T) {
			spec, err := traced(models.Problem{Model: models.Linear{Features: 2}}.Spec())
			if err != nil {
				t.Fatal(err)
			}
			X, Y := draw(spec, "real", 500, 5)
			e := newEngine(t, spec, opt, randomParams(spec, 2, -1, 1))
			_, g0 := step(t, e, X, Y, 500)
			for _, g := range e.Grads() {
				for i := range g {
					g[i] = 1e9
				}
			}
			_, g1 := step(t, e, X, Y, 500)
			if !slices.EqualFunc(g0, g1, slices.Equal) {
				t.Errorf("gradients after the caller scribbled on Grads: %v, before %v", g1, g0)
			}
		})
	}
}
