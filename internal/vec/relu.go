package vec

import "math"

// ReLU32 sets out[i] = max(x[i], 0) for i < len(out), as math.Max does: NaN
// for NaN, +0 for −0. x must hold at least len(out) values.
func ReLU32(out, x []float32) {
	x = x[:len(out)]
	n := 0
	if useAVX2 {
		n = len(out) &^ 31
		if n > 0 {
			reluF32AVX2(&out[0], &x[0], n)
		}
	}
	for i := n; i < len(out); i++ {
		out[i] = relu32(x[i])
	}
}

// ReLU64 is ReLU32 in float64.
func ReLU64(out, x []float64) {
	x = x[:len(out)]
	n := 0
	if useAVX2 {
		n = len(out) &^ 15
		if n > 0 {
			reluF64AVX2(&out[0], &x[0], n)
		}
	}
	for i := n; i < len(out); i++ {
		out[i] = relu64(x[i])
	}
}

// ReLUGrad32 sets out[i] = g[i]·1 where x[i] > 0 and g[i]·0 elsewhere (NaN
// x included): the upstream gradient times the ReLU's derivative, which is
// 0 at 0 (PyTorch's threshold_backward), with g·0's sign and NaN for an
// infinite or NaN g. x and g must hold at least len(out) values.
func ReLUGrad32(out, x, g []float32) {
	x, g = x[:len(out)], g[:len(out)]
	n := 0
	if useAVX2 {
		n = len(out) &^ 31
		if n > 0 {
			reluGradF32AVX2(&out[0], &x[0], &g[0], n)
		}
	}
	for i := n; i < len(out); i++ {
		out[i] = g[i] * step32(x[i])
	}
}

// ReLUGrad64 is ReLUGrad32 in float64.
func ReLUGrad64(out, x, g []float64) {
	x, g = x[:len(out)], g[:len(out)]
	n := 0
	if useAVX2 {
		n = len(out) &^ 15
		if n > 0 {
			reluGradF64AVX2(&out[0], &x[0], &g[0], n)
		}
	}
	for i := n; i < len(out); i++ {
		out[i] = g[i] * step64(x[i])
	}
}

// relu32 selects on the bits: no branch on the sign, which mispredicts on
// about every other pre-activation.
func relu32(v float32) float32 {
	b := math.Float32bits(v)
	r := b
	if int32(b) < 0 { // negative, −0 or a NaN with its sign bit set
		r = 0
	}
	if b&(1<<31-1) > 0x7f800000 { // NaN
		r = b
	}
	return math.Float32frombits(r)
}

func relu64(v float64) float64 {
	b := math.Float64bits(v)
	r := b
	if int64(b) < 0 {
		r = 0
	}
	if b&(1<<63-1) > 0x7ff0000000000000 {
		r = b
	}
	return math.Float64frombits(r)
}

// step32 is 1 for x > 0 and 0 otherwise: x > 0 exactly when its bits, less
// one, are below +∞'s (+0 wraps around; negative values and NaNs lie above).
func step32(x float32) float32 {
	var m uint32
	if math.Float32bits(x)-1 < 0x7f800000 {
		m = 0x3f800000 // 1.0
	}
	return math.Float32frombits(m)
}

func step64(x float64) float64 {
	var m uint64
	if math.Float64bits(x)-1 < 0x7ff0000000000000 {
		m = 0x3ff0000000000000
	}
	return math.Float64frombits(m)
}
