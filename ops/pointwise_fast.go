package ops

import "math"

// The piecewise-linear activations relu and leaky relu have kernels of
// their own: a loop in the element type with the select inlined, instead
// of a call through fn.f (and, in float32, two conversions) per element.
// On the digits MLP (128×128 hidden values) they cut the activation's
// share of a float64 training step from about 45% to a few percent; see
// BenchmarkPointwise. Their results are bit-identical to fn.f's and
// fn.df's for every input: NaN propagates forward as math.Max does, and
// the derivative is taken as 0 at x ≤ 0 and at NaN.

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

// reluForward writes out = max(x, 0), NaN for NaN, as math.Max(x, 0).
func reluForward[T Float](out, x []T) {
	switch o := any(out).(type) {
	case []float64:
		reluForward64(o, any(x).([]float64))
	case []float32:
		reluForward32(o, any(x).([]float32))
	}
}

// reluForward64 selects on the bits, which the compiler turns into
// conditional moves: a branch on the sign mispredicts on about every
// other value of a layer's pre-activations and ran 3–5× slower.
func reluForward64(out, x []float64) {
	x = x[:len(out)]
	for i, v := range x {
		b := math.Float64bits(v)
		r := b
		if int64(b) < 0 { // negative, −0 or a NaN with its sign bit set
			r = 0
		}
		if b&(1<<63-1) > 0x7ff0000000000000 { // NaN
			r = b
		}
		out[i] = math.Float64frombits(r)
	}
}

func reluForward32(out, x []float32) {
	x = x[:len(out)]
	for i, v := range x {
		b := math.Float32bits(v)
		r := b
		if int32(b) < 0 {
			r = 0
		}
		if b&(1<<31-1) > 0x7f800000 {
			r = b
		}
		out[i] = math.Float32frombits(r)
	}
}

// reluBackward writes out = g·[x > 0], as g·step(x > 0) does: g·1 for
// x > 0 and g·0 otherwise (NaN x included), the factor chosen on x's bits
// without a branch. x > 0 exactly when its bits, less one, are below +∞'s
// (+0 wraps around; negative values and NaNs lie above).
func reluBackward[T Float](out, x, g []T) {
	switch o := any(out).(type) {
	case []float64:
		reluBackward64(o, any(x).([]float64), any(g).([]float64))
	case []float32:
		reluBackward32(o, any(x).([]float32), any(g).([]float32))
	}
}

func reluBackward64(out, x, g []float64) {
	x, g = x[:len(out)], g[:len(out)]
	for i, v := range x {
		var m uint64
		if math.Float64bits(v)-1 < 0x7ff0000000000000 {
			m = 0x3ff0000000000000 // 1.0
		}
		out[i] = g[i] * math.Float64frombits(m)
	}
}

func reluBackward32(out, x, g []float32) {
	x, g = x[:len(out)], g[:len(out)]
	for i, v := range x {
		var m uint32
		if math.Float32bits(v)-1 < 0x7f800000 {
			m = 0x3f800000 // 1.0
		}
		out[i] = g[i] * math.Float32frombits(m)
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
