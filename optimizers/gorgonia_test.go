package optimizers_test

import (
	"fmt"
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/optimizers"
)

// gorgoniaSteps is the length of every trajectory compared.
const gorgoniaSteps = 100

// gorgoniaRun runs one of Gorgonia v0.9.18's solvers on the linear
// regression fixture through a TapeMachine and returns W and b after every
// step (gorgoniaSteps × [W…, b]).
func gorgoniaRun(f fixture, solver G.Solver) (traj [][]float64, err error) {
	defer func() { // Gorgonia's Must panics; a test reports it
		if r := recover(); r != nil {
			err = fmt.Errorf("gorgonia panicked: %v", r)
		}
	}()
	g := G.NewGraph()
	X := G.NewMatrix(g, tensor.Float64, G.WithShape(f.N, f.D), G.WithName("X"),
		G.WithValue(tensor.New(tensor.WithShape(f.N, f.D), tensor.WithBacking(append([]float64(nil), f.X...)))))
	y := G.NewMatrix(g, tensor.Float64, G.WithShape(f.N, 1), G.WithName("y"),
		G.WithValue(tensor.New(tensor.WithShape(f.N, 1), tensor.WithBacking(append([]float64(nil), f.Y...)))))
	W := G.NewMatrix(g, tensor.Float64, G.WithShape(f.D, 1), G.WithName("W"),
		G.WithValue(tensor.New(tensor.WithShape(f.D, 1), tensor.WithBacking(append([]float64(nil), f.Init["W"]...)))))
	b := G.NewMatrix(g, tensor.Float64, G.WithShape(1, 1), G.WithName("b"),
		G.WithValue(tensor.New(tensor.WithShape(1, 1), tensor.WithBacking(append([]float64(nil), f.Init["b"]...)))))
	pred := G.Must(G.BroadcastAdd(G.Must(G.Mul(X, W)), b, nil, []byte{0}))
	loss := G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(pred, y))))))
	if _, err := G.Grad(loss, W, b); err != nil {
		return nil, err
	}
	vm := G.NewTapeMachine(g, G.BindDualValues(W, b))
	defer vm.Close()
	model := G.NodesToValueGrads(G.Nodes{W, b})
	for step := 0; step < gorgoniaSteps; step++ {
		// With BindDualValues the gradients accumulate across runs
		// (Gorgonia issue #543): zero them, whatever the solver did.
		// (Before the first run there is no gradient yet.)
		for _, n := range []*G.Node{W, b} {
			if gv, err := n.Grad(); err == nil {
				if d, ok := gv.(*tensor.Dense); ok && d != nil {
					d.Zero()
				}
			}
		}
		if err := vm.RunAll(); err != nil {
			return nil, err
		}
		if err := solver.Step(model); err != nil {
			return nil, err
		}
		vm.Reset() // RunAll without Reset silently does nothing
		row := append(append([]float64(nil), W.Value().Data().([]float64)...), b.Value().Data().([]float64)...)
		traj = append(traj, row)
	}
	return traj, nil
}

// referenceRun runs one of our optimizers the same way.
func referenceRun(t *testing.T, f fixture, cfg optimizers.Config) [][]float64 {
	t.Helper()
	o, err := optimizers.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pr := linearProblem(f)
	p, grad := pr.params()
	if err := o.Init(p); err != nil {
		t.Fatal(err)
	}
	var traj [][]float64
	for step := 0; step < gorgoniaSteps; step++ {
		pr.grad(p, grad)
		if err := o.Step(p, grad); err != nil {
			t.Fatal(err)
		}
		traj = append(traj, append(append([]float64(nil), p["W"]...), p["b"]...))
	}
	return traj
}

// barzilaiBorweinRun is the reference for Gorgonia's Barzilai–Borwein
// solver, which we do not offer: the first step uses lr, each later one
// the "short" BB step η = sᵀy/yᵀy, s = wₜ − wₜ₋₁, y = gₜ − gₜ₋₁ (Barzilai &
// Borwein 1988), over all parameters at once, keeping the last η when
// y = 0 (exact convergence) rather than dividing 0 by 0.
func barzilaiBorweinRun(f fixture, lr float64) [][]float64 {
	pr := linearProblem(f)
	p, grad := pr.params()
	var prevW, prevG []float64
	var traj [][]float64
	flat := func(q optimizers.Params) []float64 { return append(append([]float64(nil), q["W"]...), q["b"]...) }
	for step := 0; step < gorgoniaSteps; step++ {
		pr.grad(p, grad)
		w, g := flat(p), flat(grad)
		if prevW != nil {
			var sy, yy float64
			for i := range w {
				s, y := w[i]-prevW[i], g[i]-prevG[i]
				sy += s * y
				yy += y * y
			}
			if yy > 0 { // at exact convergence y = 0: keep the last step
				lr = sy / yy
			}
		}
		prevW, prevG = w, g
		for _, k := range []string{"W", "b"} {
			for i := range p[k] {
				p[k][i] -= lr * grad[k][i]
			}
		}
		traj = append(traj, flat(p))
	}
	return traj
}

// maxDeviation is the largest relative deviation of a from b over every
// step and value, and the first step (1-based) where it exceeds 1e-10.
func maxDeviation(a, b [][]float64) (worst float64, first int) {
	for s := range b {
		for i := range b[s] {
			d := relDev(a[s][i], b[s][i])
			if math.IsNaN(d) {
				d = math.Inf(1)
			}
			if d > goldenTol && first == 0 {
				first = s + 1
			}
			worst = math.Max(worst, d)
		}
	}
	return worst, first
}

// TestGorgoniaSolvers measures how far Gorgonia v0.9.18's built-in
// solvers stray from the reference (torch.optim's semantics, proven by
// TestGoldenTrajectories) on the linear regression fixture, with the same
// hyperparameters. Gorgonia's disagreement is logged, not failed on: the
// test asserts only that every solver runs and that a second run
// reproduces the first bit for bit. The causes, from solvers.go, are in
// each case's note.
func TestGorgoniaSolvers(t *testing.T) {
	f := loadGolden(t).Problems.Linear
	cases := []struct {
		name   string
		solver func() G.Solver
		ref    func() [][]float64
		note   string
	}{
		{"VanillaSolver", func() G.Solver { return G.NewVanillaSolver(G.WithLearnRate(0.05)) },
			func() [][]float64 { return referenceRun(t, f, optimizers.Config{Name: "gd", LR: 0.05}) },
			"w ← w − η·g, as torch"},
		{"VanillaSolver+L2", func() G.Solver { return G.NewVanillaSolver(G.WithLearnRate(0.05), G.WithL2Reg(0.1)) },
			func() [][]float64 {
				return referenceRun(t, f, optimizers.Config{Name: "gd", LR: 0.05, WeightDecay: 0.1})
			}, "g ← g + λw, coupled, as torch"},
		{"VanillaSolver+clip", func() G.Solver { return G.NewVanillaSolver(G.WithLearnRate(0.05), G.WithClip(0.5)) },
			func() [][]float64 {
				return referenceRun(t, f, optimizers.Config{Name: "gd", LR: 0.05, ClipValue: 0.5})
			}, "clamp to ±c, as clip_grad_value_ (but after L2, where torch clips before)"},
		{"Momentum", func() G.Solver { return G.NewMomentum(G.WithLearnRate(0.01), G.WithMomentum(0.9)) },
			func() [][]float64 { return referenceRun(t, f, optimizers.Config{Name: "momentum", LR: 0.01}) },
			"v ← μv − ηg, w ← w + v: torch's b = −v/η at constant η"},
		{"Momentum+L2", func() G.Solver {
			return G.NewMomentum(G.WithLearnRate(0.01), G.WithMomentum(0.9), G.WithL2Reg(0.1))
		},
			func() [][]float64 {
				return referenceRun(t, f, optimizers.Config{Name: "momentum", LR: 0.01, WeightDecay: 0.1})
			}, "L2 term is λ·v (the velocity cache), not λ·w"},
		{"AdaGradSolver", func() G.Solver { return G.NewAdaGradSolver() },
			func() [][]float64 {
				return referenceRun(t, f, optimizers.Config{Name: "adagrad", LR: 0.001, Eps: 1e-8})
			}, "ε inside the root: g/√(s + ε), torch g/(√s + ε); defaults η 0.001, ε 1e-8"},
		{"AdaGradSolver(lr 0.1)", func() G.Solver { return G.NewAdaGradSolver(G.WithLearnRate(0.1)) },
			func() [][]float64 {
				return referenceRun(t, f, optimizers.Config{Name: "adagrad", LR: 0.1, Eps: 1e-8})
			}, "WithLearnRate (and WithEps, WithL2Reg, WithClip) never reach AdaGradSolver: η stays 0.001"},
		{"RMSPropSolver", func() G.Solver {
			return G.NewRMSPropSolver(G.WithLearnRate(0.01), G.WithRho(0.99), G.WithEps(1e-8))
		},
			func() [][]float64 { return referenceRun(t, f, optimizers.Config{Name: "rmsprop", LR: 0.01}) },
			"ε inside the root: g/√(v + ε), torch g/(√v + ε)"},
		{"RMSPropSolver(defaults)", func() G.Solver { return G.NewRMSPropSolver(G.WithLearnRate(0.01)) },
			func() [][]float64 { return referenceRun(t, f, optimizers.Config{Name: "rmsprop", LR: 0.01}) },
			"default ρ 0.999 where torch's α is 0.99, and ε inside the root"},
		{"RMSPropSolver+L2", func() G.Solver {
			return G.NewRMSPropSolver(G.WithLearnRate(0.01), G.WithRho(0.99), G.WithEps(1e-8), G.WithL2Reg(0.1))
		},
			func() [][]float64 {
				return referenceRun(t, f, optimizers.Config{Name: "rmsprop", LR: 0.01, WeightDecay: 0.1})
			}, "L2 is w ← w − λw after the step: decoupled and not scaled by η; torch adds λw to g"},
		{"RMSPropSolver+clip", func() G.Solver {
			return G.NewRMSPropSolver(G.WithLearnRate(0.01), G.WithRho(0.99), G.WithEps(1e-8), G.WithClip(0.5))
		},
			func() [][]float64 {
				return referenceRun(t, f, optimizers.Config{Name: "rmsprop", LR: 0.01, ClipValue: 0.5})
			}, "clips g only after adding the unclipped g² to the cache"},
		{"AdamSolver", func() G.Solver { return G.NewAdamSolver(G.WithLearnRate(0.01)) },
			func() [][]float64 { return referenceRun(t, f, optimizers.Config{Name: "adam", LR: 0.01}) },
			"√(v/(1−β2ᵗ)) where torch has √v/√(1−β2ᵗ): rounding only"},
		{"AdamSolver+L2", func() G.Solver { return G.NewAdamSolver(G.WithLearnRate(0.01), G.WithL2Reg(0.05)) },
			func() [][]float64 {
				return referenceRun(t, f, optimizers.Config{Name: "adam", LR: 0.01, WeightDecay: 0.05})
			}, "g ← g + λw, coupled, as torch"},
		{"AdamW", func() G.Solver { return G.NewAdamW(G.WithLearnRate(0.01)) },
			func() [][]float64 { return referenceRun(t, f, optimizers.Config{Name: "adamw", LR: 0.01}) },
			"`w, err = tensor.Mul(w, decay)` rebinds w to a new tensor, so the bound weights never change; and m ← (1−β1ᵗ)·m + β1ᵗ·g, v likewise (b1 = 1−β1ᵗ, a1 = β1ᵗ where β1 and 1−β1 belong)"},
		{"BarzilaiBorweinSolver", func() G.Solver { return G.NewBarzilaiBorweinSolver(G.WithLearnRate(0.01)) },
			func() [][]float64 { return barzilaiBorweinRun(f, 0.01) },
			"short BB step sᵀy/yᵀy (reference in this file); at exact convergence y = 0 and η = 0/0: the weights turn NaN"},
	}
	t.Logf("%-24s %-12s %-12s %-6s %s", "solver", "max rel dev", "first >1e-10", "moved", "cause (gorgonia@v0.9.18/solvers.go)")
	for _, c := range cases {
		a, err := gorgoniaRun(f, c.solver())
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		again, err := gorgoniaRun(f, c.solver())
		if err != nil {
			t.Errorf("%s, second run: %v", c.name, err)
			continue
		}
		for s := range a {
			for i := range a[s] {
				if math.Float64bits(a[s][i]) != math.Float64bits(again[s][i]) {
					t.Fatalf("%s: step %d: a second run gives %v, the first %v", c.name, s+1, again[s][i], a[s][i])
				}
			}
		}
		worst, first := maxDeviation(a, c.ref())
		at := "-"
		if first > 0 {
			at = fmt.Sprintf("step %d", first)
		}
		moved := false
		for i, v := range append(append([]float64(nil), f.Init["W"]...), f.Init["b"]...) {
			moved = moved || a[len(a)-1][i] != v
		}
		t.Logf("%-24s %-12.2e %-12s %-6v %s", c.name, worst, at, moved, c.note)
	}
}
