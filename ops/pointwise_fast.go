package ops

import (
	"math"

	"github.com/descent-ml/descent/internal/vec"
)

// The piecewise-linear activations relu and leaky relu have kernels of
// their own: relu's are AVX2 vector loops (internal/vec), leaky relu's a
// loop in the element type with the select inlined, instead of a call
// through fn.f (and, in float32, two conversions) per element. On the
// digits MLP (128×128 hidden values) the generic path was about 45% of a
// float64 training step; see BenchmarkPointwise. Their results are
// bit-identical to fn.f's and fn.df's for every input: NaN propagates
// forward as math.Max does, and the derivative is taken as 0 at x ≤ 0 and
// at NaN.

// fastForward returns the elementwise kernel of fn with parameter a, or
// nil when fn has none of its own.
func fastForward[T Float](fn *pointwise, a float64) func([]T, [][]T) error {
	switch fn {
	case reluFn:
		return func(out []T, in [][]T) error { reluForward(out, in[0]); return nil }
	case leakyReLUFn:
		return func(out []T, in [][]T) error { leakyForward(out, in[0], a); return nil }
	}
	return nil
}

// fastGrad returns the kernel of fn's gradient, out = g·f′(x), or nil.
func fastGrad[T Float](fn *pointwise, a float64) func([]T, [][]T) error {
	switch fn {
	case reluFn:
		return func(out []T, in [][]T) error { reluBackward(out, in[0], in[1]); return nil }
	case leakyReLUFn:
		return func(out []T, in [][]T) error { leakyBackward(out, in[0], in[1], T(a)); return nil }
	}
	return nil
}

// reluForward writes out = max(x, 0), NaN for NaN, as math.Max(x, 0), in
// vector code (internal/vec).
func reluForward[T Float](out, x []T) {
	switch o := any(out).(type) {
	case []float64:
		vec.ReLU64(o, any(x).([]float64))
	case []float32:
		vec.ReLU32(o, any(x).([]float32))
	}
}

// reluBackward writes out = g·[x > 0], as g·step(x > 0) does: g·1 for
// x > 0 and g·0 otherwise (NaN x included), in vector code.
func reluBackward[T Float](out, x, g []T) {
	switch o := any(out).(type) {
	case []float64:
		vec.ReLUGrad64(o, any(x).([]float64), any(g).([]float64))
	case []float32:
		vec.ReLUGrad32(o, any(x).([]float32), any(g).([]float32))
	}
}

// leakyForward writes x for x > 0 and s·x otherwise, the product taken
// in float64 and rounded once, as fn.f does, and selected on the bits as
// reluBackward does.
func leakyForward[T Float](out, x []T, s float64) {
	x = x[:len(out)]
	for i, v := range x {
		out[i] = pick(v, v, T(s*float64(v)))
	}
}

// leakyBackward writes g for x > 0 and g·s otherwise.
func leakyBackward[T Float](out, x, g []T, s T) {
	x, g = x[:len(out)], g[:len(out)]
	for i, v := range x {
		out[i] = pick(v, g[i], g[i]*s)
	}
}

// pick returns a when x > 0 and b otherwise, without a branch on x.
func pick[T Float](x, a, b T) T {
	switch xv := any(x).(type) {
	case float64:
		r := math.Float64bits(float64(b))
		if math.Float64bits(xv)-1 < 0x7ff0000000000000 {
			r = math.Float64bits(float64(a))
		}
		return T(math.Float64frombits(r))
	case float32:
		r := math.Float32bits(float32(b))
		if math.Float32bits(xv)-1 < 0x7f800000 {
			r = math.Float32bits(float32(a))
		}
		return T(math.Float32frombits(r))
	}
	return b
}
