package bench

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// agreeProblems are run by the agreement tests; the 100000-row ones only
// without -short.
var agreeProblems = []string{
	"linreg-5x1", "linreg-1000x10", "logreg-1000x10", "softmax-1000x10x4",
	"mlp-300x8-16-12x5", "mlp-digits",
}

var agreeProblemsLong = []string{"linreg-100000x100", "logreg-100000x100", "softmax-100000x100x10"}

// run builds s with New and runs steps steps; it returns the parameters.
func run(t testing.TB, s Stepper, err error, steps int) map[string][]float64 {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer closeStepper(s)
	for range steps {
		if err := s.Step(); err != nil {
			t.Fatal(err)
		}
	}
	return s.Params()
}

// relDiff is max |a − b| / max |b| over every parameter.
func relDiff(a, b map[string][]float64) float64 {
	var diff, scale float64
	for name, bv := range b {
		for i, v := range bv {
			diff = math.Max(diff, math.Abs(a[name][i]-v))
			scale = math.Max(scale, math.Abs(v))
		}
	}
	return diff / scale
}

// TestHandwrittenAgree runs every Go contender, and the fused step on 1, 2
// and 3 workers, 5 steps from the same start; all must agree with handgo
// to 1e-10.
func TestHandwrittenAgree(t *testing.T) {
	names := agreeProblems
	if !testing.Short() {
		names = append(names, agreeProblemsLong...)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			p, err := ParseProblem(name)
			if err != nil {
				t.Fatal(err)
			}
			d, err := NewData(p)
			if err != nil {
				t.Fatal(err)
			}
			const steps = 5
			ref := run(t, must(newHandGo(p, d)), nil, steps)
			type variant struct {
				name string
				new  func() (Stepper, error)
			}
			var variants []variant
			for _, w := range []int{1, 2, 3} {
				variants = append(variants, variant{fmt.Sprintf("fused/%dworkers", w), func() (Stepper, error) { return newFusedWorkers(p, d, w) }})
			}
			for _, c := range Contenders() {
				variants = append(variants, variant{c.Name, func() (Stepper, error) { return c.New(p, d) }})
			}
			for _, v := range variants {
				s, err := v.new()
				if err == ErrUnsupported {
					continue
				}
				got := run(t, s, err, steps)
				if err := checkParams(p, got); err != nil {
					t.Errorf("%s: %v", v.name, err)
					continue
				}
				if diff := relDiff(got, ref); !(diff <= 1e-10) {
					t.Errorf("%s: parameters differ from handgo by %.3g (relative) after %d steps", v.name, diff, steps)
				}
			}
		})
	}
}

func must(s Stepper, err error) Stepper {
	if err != nil {
		panic(err)
	}
	return s
}

// TestLinRegClosedForm checks the plain step against the closed forms
// computed with gonum: from zero, one SGD step is w₁ = lr·(2/n)·Xᵀy,
// b₁ = lr·(2/n)·Σy; at the least-squares solution the gradient vanishes,
// so a step leaves the parameters where they are.
func TestLinRegClosedForm(t *testing.T) {
	for _, name := range []string{"linreg-5x1", "linreg-1000x10"} {
		t.Run(name, func(t *testing.T) {
			p, _ := ParseProblem(name)
			d, _ := NewData(p)
			n, D := p.N, p.D
			X := mat.NewDense(n, D, d.X)
			y := mat.NewVecDense(n, d.Y)

			var xty mat.VecDense
			xty.MulVec(X.T(), y)
			var sumY float64
			for _, v := range d.Y {
				sumY += v
			}
			scale := p.LR * 2 / float64(n)
			want := map[string][]float64{"W": make([]float64, D), "b": {scale * sumY}}
			for j := range D {
				want["W"][j] = scale * xty.AtVec(j)
			}
			for _, c := range []Contender{handGoContender, fusedContender, gorgoniaContender} {
				got := run(t, must(c.New(p, d)), nil, 1)
				if diff := relDiff(got, want); !(diff <= 1e-10) {
					t.Errorf("%s: one step from zero differs from lr·(2/n)·Xᵀy by %.3g", c.Name, diff)
				}
			}

			// Least squares on [X 1] by QR.
			A := mat.NewDense(n, D+1, nil)
			for i := range n {
				for j := range D {
					A.Set(i, j, d.X[i*D+j])
				}
				A.Set(i, D, 1)
			}
			var qr mat.QR
			qr.Factorize(A)
			var sol mat.VecDense
			if err := qr.SolveVecTo(&sol, false, y); err != nil {
				t.Fatal(err)
			}
			opt := map[string][]float64{"W": make([]float64, D), "b": {sol.AtVec(D)}}
			for j := range D {
				opt["W"][j] = sol.AtVec(j)
			}
			h := must(newHandGo(p, d)).(*handGo)
			copy(h.params[0], opt["W"])
			copy(h.params[1], opt["b"])
			if err := h.Step(); err != nil {
				t.Fatal(err)
			}
			if diff := relDiff(h.Params(), opt); !(diff <= 1e-10) {
				t.Errorf("a step from the least-squares solution moved it by %.3g (relative)", diff)
			}
		})
	}
}

// TestGradientFiniteDifference recovers the plain step's gradient from one
// full-batch SGD step from the start, g = (θ₀ − θ₁)/lr, and compares it
// with central differences of Loss.
func TestGradientFiniteDifference(t *testing.T) {
	for _, name := range []string{"linreg-30x3", "logreg-40x3", "softmax-40x3x4", "mlp-40x3-5x3"} {
		t.Run(name, func(t *testing.T) {
			p, _ := ParseProblem(name)
			p.Batch, p.Optimizer = 0, "sgd"
			d, _ := NewData(p)
			init := InitParams(p)
			after := run(t, must(newHandGo(p, d)), nil, 1)
			names := ParamNames(p)
			var theta, got []float64
			for _, nm := range names {
				theta = append(theta, init[nm]...)
				for i, v := range init[nm] {
					got = append(got, (v-after[nm][i])/p.LR)
				}
			}
			loss := func(x []float64) float64 {
				params, off := map[string][]float64{}, 0
				for _, nm := range names {
					params[nm] = x[off : off+len(init[nm])]
					off += len(init[nm])
				}
				J, err := Loss(p, d, params)
				if err != nil {
					t.Fatal(err)
				}
				return J
			}
			want := fd.Gradient(nil, loss, theta, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			for i := range want {
				if math.Abs(got[i]-want[i]) > 1e-7*math.Max(1, math.Abs(want[i])) {
					t.Errorf("∂J/∂θ[%d]: step gives %.10g, finite differences %.10g", i, got[i], want[i])
				}
			}
		})
	}
}
