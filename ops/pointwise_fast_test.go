package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// pointwiseInputs are special values and a spread of ordinary ones.
func pointwiseInputs() []float64 {
	v := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(),
		-math.NaN(), math.Float64frombits(0xfff8000000000001), 5e-324, -5e-324,
		math.MaxFloat64, -math.MaxFloat64, 1e-40, -1e-40, math.MaxFloat32, -math.MaxFloat32}
	r := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		v = append(v, (r.Float64()-0.5)*math.Pow(10, float64(r.IntN(20)-10)))
	}
	return v
}

// same reports whether a and b are the same float64 value, NaN with NaN
// and −0 apart from +0.
func same(a, b float64) bool {
	if a != a || b != b {
		return a != a && b != b
	}
	return math.Float64bits(a) == math.Float64bits(b)
}

// TestFastPointwiseMatchesGeneric checks the relu and leaky relu kernels
// against the generic path through fn.f and fn.df, value by value, in both
// element types, including the gradient of every special value against
// every special upstream gradient.
func TestFastPointwiseMatchesGeneric(t *testing.T) {
	xs := pointwiseInputs()
	gs := append([]float64{1, -2.5, 0, math.Copysign(0, -1), math.Inf(1), math.NaN()}, xs[17:40]...)
	for _, c := range []struct {
		fn *pointwise
		a  float64
	}{{reluFn, 0}, {leakyReLUFn, 0.01}, {leakyReLUFn, 0.25}, {leakyReLUFn, -3}} {
		t.Run(fmt.Sprintf("%s/%v", c.fn.name, c.a), func(t *testing.T) {
			f64, g64 := fastForward[float64](c.fn, c.a), fastGrad[float64](c.fn, c.a)
			f32, g32 := fastForward[float32](c.fn, c.a), fastGrad[float32](c.fn, c.a)
			if f64 == nil || g64 == nil || f32 == nil || g32 == nil {
				t.Fatal("no fast kernel")
			}
			out := make([]float64, len(xs))
			if err := f64(out, [][]float64{xs}); err != nil {
				t.Fatal(err)
			}
			x32 := make([]float32, len(xs))
			for i, x := range xs {
				x32[i] = float32(x)
			}
			out32 := make([]float32, len(xs))
			if err := f32(out32, [][]float32{x32}); err != nil {
				t.Fatal(err)
			}
			for i, x := range xs {
				if want := c.fn.f(x, c.a); !same(out[i], want) {
					t.Errorf("f(%v) = %v, want %v", x, out[i], want)
				}
				if want := float32(c.fn.f(float64(x32[i]), c.a)); !same(float64(out32[i]), float64(want)) {
					t.Errorf("float32 f(%v) = %v, want %v", x32[i], out32[i], want)
				}
			}
			for _, g := range gs {
				gv := make([]float64, len(xs))
				g32v := make([]float32, len(xs))
				for i := range gv {
					gv[i], g32v[i] = g, float32(g)
				}
				if err := g64(out, [][]float64{xs, gv}); err != nil {
					t.Fatal(err)
				}
				if err := g32(out32, [][]float32{x32, g32v}); err != nil {
					t.Fatal(err)
				}
				for i, x := range xs {
					if want := g * c.fn.df(x, c.a); !same(out[i], want) {
						t.Errorf("g·f′(%v) with g = %v: %v, want %v", x, g, out[i], want)
					}
					if want := float32(g) * float32(c.fn.df(float64(x32[i]), c.a)); !same(float64(out32[i]), float64(want)) {
						t.Errorf("float32 g·f′(%v) with g = %v: %v, want %v", x32[i], g, out32[i], want)
					}
				}
			}
		})
	}
	if fastForward[float64](geluFn, 0) != nil || fastGrad[float64](siluFn, 0) != nil {
		t.Error("gelu and silu have no fast kernels")
	}
}

// BenchmarkPointwise times relu forward and backward on a digits-MLP
// hidden layer (128×128 values of mixed sign): the fast kernels against
// the generic path through fn.f and fn.df.
func BenchmarkPointwise(b *testing.B) {
	const n = 128 * 128
	r := rand.New(rand.NewPCG(7, 8))
	x, g, out := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		x[i], g[i] = r.NormFloat64(), r.NormFloat64()
	}
	generic := &pointwiseOp{fn: &pointwise{name: "relu-generic", f: reluFn.f, df: reluFn.df}}
	genericGrad := &pointwiseGradOp{fn: generic.fn}
	fast := &pointwiseOp{fn: reluFn}
	fastGradOp := &pointwiseGradOp{fn: reluFn}
	for _, c := range []struct {
		name string
		k    func([]float64, [][]float64) error
		in   [][]float64
	}{
		{"relu/generic", generic.kernel64(), [][]float64{x}},
		{"relu/fast", fast.kernel64(), [][]float64{x}},
		{"relu-grad/generic", genericGrad.kernel64(), [][]float64{x, g}},
		{"relu-grad/fast", fastGradOp.kernel64(), [][]float64{x, g}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.k(out, c.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
