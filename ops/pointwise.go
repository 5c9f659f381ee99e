package ops

import (
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// pointwise is an elementwise function with a parameter a and its
// derivative, for the activations Gorgonia lacks or defines differently
// from PyTorch.
type pointwise struct {
	name string
	f    func(x, a float64) float64
	df   func(x, a float64) float64 // ∂f/∂x
}

const invSqrt2 = 0.70710678118654752440
const invSqrt2Pi = 0.39894228040143267794

var (
	// torch's relu: max(x, 0), with derivative 0 at x = 0 (threshold_backward).
	reluFn = &pointwise{"relu",
		func(x, _ float64) float64 { return math.Max(x, 0) },
		func(x, _ float64) float64 { return step(x > 0) }}
	leakyReLUFn = &pointwise{"leakyrelu",
		func(x, a float64) float64 {
			if x > 0 {
				return x
			}
			return a * x
		},
		func(x, a float64) float64 {
			if x > 0 {
				return 1
			}
			return a
		}}
	eluFn = &pointwise{"elu",
		func(x, a float64) float64 {
			if x > 0 {
				return x
			}
			return a * math.Expm1(x)
		},
		func(x, a float64) float64 {
			if x > 0 {
				return 1
			}
			return a * math.Exp(x)
		}}
	geluFn = &pointwise{"gelu",
		func(x, _ float64) float64 { return 0.5 * x * (1 + math.Erf(x*invSqrt2)) },
		func(x, _ float64) float64 {
			return 0.5*(1+math.Erf(x*invSqrt2)) + x*invSqrt2Pi*math.Exp(-0.5*x*x)
		}}
	siluFn = &pointwise{"silu",
		func(x, _ float64) float64 { return x * logistic(x) },
		func(x, _ float64) float64 {
			s := logistic(x)
			return s * (1 + x*(1-s))
		}}
)

func step(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func logistic(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// ReLUExact is max(x, 0) with PyTorch's derivative: 1 for x > 0 and 0 for
// x ≤ 0 (Gorgonia's Rectify takes 1 at 0).
func ReLUExact(x *G.Node) (*G.Node, error) { return applyPointwise(reluFn, 0, x) }

// LeakyReLU is x for x > 0 and slope·x otherwise (Maas et al. 2013);
// PyTorch's default slope is 0.01.
func LeakyReLU(x *G.Node, slope float64) (*G.Node, error) {
	return applyPointwise(leakyReLUFn, slope, x)
}

// ELU is x for x > 0 and α·(eˣ − 1) otherwise (Clevert et al. 2016).
func ELU(x *G.Node, alpha float64) (*G.Node, error) { return applyPointwise(eluFn, alpha, x) }

// GELU is the exact Gaussian error linear unit x·Φ(x) =
// ½·x·(1 + erf(x/√2)) (Hendrycks & Gimpel 2016), PyTorch's default
// (approximate='none').
func GELU(x *G.Node) (*G.Node, error) { return applyPointwise(geluFn, 0, x) }

// SiLU is x·σ(x) (Elfwing et al. 2018; "swish").
func SiLU(x *G.Node) (*G.Node, error) { return applyPointwise(siluFn, 0, x) }

func applyPointwise(fn *pointwise, a float64, x *G.Node) (*G.Node, error) {
	if math.IsNaN(a) || math.IsInf(a, 0) {
		return nil, fmt.Errorf("ops: %s parameter must be finite, got %v", fn.name, a)
	}
	return apply(&pointwiseOp{opBase: opBase{fmt.Sprintf("%s{%v,%d}", fn.name, a, x.Dims())}, fn: fn, a: a, dims: x.Dims()}, x)
}

// pointwiseOp applies fn elementwise; pointwiseGradOp multiplies the
// upstream gradient by fn's derivative at x.
type pointwiseOp struct {
	opBase
	fn   *pointwise
	a    float64
	dims int
}

func (o *pointwiseOp) Arity() int         { return 1 }
func (o *pointwiseOp) Type() hm.Type      { return fnType(o.dims, o.dims) }
func (o *pointwiseOp) DiffWRT(int) []bool { return []bool{true} }
func (o *pointwiseOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(in)
	if err != nil {
		return nil, err
	}
	return s[0].Clone(), nil
}

func (o *pointwiseOp) Do(in ...G.Value) (G.Value, error) {
	return doNative(in[0].Shape(), o.kernel64(), o.kernel32(), in...)
}

func (o *pointwiseOp) kernel64() func([]float64, [][]float64) error {
	if k := fastForward[float64](o.fn, o.a); k != nil {
		return k
	}
	return func(out []float64, in [][]float64) error {
		f, a := o.fn.f, o.a
		for i, x := range in[0] {
			out[i] = f(x, a)
		}
		return nil
	}
}

func (o *pointwiseOp) kernel32() func([]float32, [][]float32) error {
	if k := fastForward[float32](o.fn, o.a); k != nil {
		return k
	}
	return func(out []float32, in [][]float32) error {
		f, a := o.fn.f, o.a
		for i, x := range in[0] {
			out[i] = float32(f(float64(x), a))
		}
		return nil
	}
}

// NativeKernel64 implements graph.Native.
func (o *pointwiseOp) NativeKernel64([]tensor.Shape) (func([]float64, [][]float64) error, error) {
	return o.kernel64(), nil
}

// NativeKernel32 implements graph.Native.
func (o *pointwiseOp) NativeKernel32([]tensor.Shape) (func([]float32, [][]float32) error, error) {
	return o.kernel32(), nil
}

func (o *pointwiseOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	g := &pointwiseGradOp{opBase: opBase{"∂" + o.name}, fn: o.fn, a: o.a, dims: o.dims}
	d, err := apply(g, in[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{d}, nil
}

type pointwiseGradOp struct {
	opBase
	fn   *pointwise
	a    float64
	dims int
}

func (o *pointwiseGradOp) Arity() int    { return 2 }
func (o *pointwiseGradOp) Type() hm.Type { return fnType(o.dims, o.dims, o.dims) }
func (o *pointwiseGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(in)
	if err != nil {
		return nil, err
	}
	return s[0].Clone(), nil
}

func (o *pointwiseGradOp) Do(in ...G.Value) (G.Value, error) {
	return doNative(in[0].Shape(), o.kernel64(), o.kernel32(), in...)
}

func (o *pointwiseGradOp) kernel64() func([]float64, [][]float64) error {
	if k := fastGrad[float64](o.fn, o.a); k != nil {
		return k
	}
	return func(out []float64, in [][]float64) error {
		df, a, g := o.fn.df, o.a, in[1]
		for i, x := range in[0] {
			out[i] = g[i] * df(x, a)
		}
		return nil
	}
}

func (o *pointwiseGradOp) kernel32() func([]float32, [][]float32) error {
	if k := fastGrad[float32](o.fn, o.a); k != nil {
		return k
	}
	return func(out []float32, in [][]float32) error {
		df, a, g := o.fn.df, o.a, in[1]
		for i, x := range in[0] {
			out[i] = g[i] * float32(df(float64(x), a))
		}
		return nil
	}
}

// NativeKernel64 implements graph.Native.
func (o *pointwiseGradOp) NativeKernel64([]tensor.Shape) (func([]float64, [][]float64) error, error) {
	return o.kernel64(), nil
}

// NativeKernel32 implements graph.Native.
func (o *pointwiseGradOp) NativeKernel32([]tensor.Shape) (func([]float32, [][]float32) error, error) {
	return o.kernel32(), nil
}
