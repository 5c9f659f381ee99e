package bench

import "gonum.org/v1/gonum/floats"

// shortVec is the length under which the kernels below loop in Go rather
// than call gonum's assembly, whose call costs more than a short loop.
const shortVec = 16

// dot is Σ x[j]·y[j], through gonum's SIMD kernel for long vectors.
func dot(x, y []float64) float64 {
	if len(x) >= shortVec {
		return floats.Dot(x, y)
	}
	y = y[:len(x)]
	var s float64
	for j, v := range x {
		s += v * y[j]
	}
	return s
}

// axpy is dst += a·x, through gonum's SIMD kernel for long vectors.
func axpy(dst []float64, a float64, x []float64) {
	if len(x) >= shortVec {
		floats.AddScaled(dst, a, x)
		return
	}
	dst = dst[:len(x)]
	for j, v := range x {
		dst[j] += a * v
	}
}
