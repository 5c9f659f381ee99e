package ops

import (
	"fmt"
	"math"
)

// LinearGrad is the hand-derived gradient of a linear model ŷ = X·W + b
// (X n×d row-major, W d×1, b scalar) under a regression loss, for tests and
// benchmarks. With r = ŷ − y:
//
//	mse:      ∇W = (2/n)·Xᵀr,          ∇b = (2/n)·Σr
//	half-mse: ∇W = (1/n)·Xᵀr,          ∇b = (1/n)·Σr
//	mae:      ∇W = (1/n)·Xᵀsign(r),    ∇b = (1/n)·Σsign(r)
//	huber:    ∇W = (1/n)·Xᵀclip(r,±δ), ∇b = (1/n)·Σclip(r,±δ)
//
// It returns the loss too.
func LinearGrad(loss string, delta float64, X, y []float64, n, d int, W []float64, b float64) (gW []float64, gb, J float64, err error) {
	if err := shapes(X, y, n, d, 1, W); err != nil {
		return nil, 0, 0, err
	}
	if delta == 0 {
		delta = 1
	}
	gW = make([]float64, d)
	for i := 0; i < n; i++ {
		x := X[i*d : i*d+d]
		r := b - y[i]
		for j, v := range x {
			r += v * W[j]
		}
		var g float64
		switch loss {
		case "mse":
			J += r * r
			g = 2 * r
		case "half-mse":
			J += r * r / 2
			g = r
		case "mae":
			J += math.Abs(r)
			g = sign(r)
		case "huber":
			a := math.Abs(r)
			if a <= delta {
				J += r * r / 2
			} else {
				J += delta * (a - delta/2)
			}
			g = math.Max(-delta, math.Min(delta, r))
		default:
			return nil, 0, 0, fmt.Errorf("ops: no reference gradient for linear + %s", loss)
		}
		for j, v := range x {
			gW[j] += g * v
		}
		gb += g
	}
	inv := 1 / float64(n)
	for j := range gW {
		gW[j] *= inv
	}
	return gW, gb * inv, J * inv, nil
}

// LogisticGrad is the hand-derived gradient of binary cross-entropy for a
// logistic model z = X·W + b: ∇W = Xᵀ(σ(z)−y)/n, ∇b = Σ(σ(z)−y)/n.
func LogisticGrad(X, y []float64, n, d int, W []float64, b float64) (gW []float64, gb, J float64, err error) {
	if err := shapes(X, y, n, d, 1, W); err != nil {
		return nil, 0, 0, err
	}
	gW = make([]float64, d)
	for i := 0; i < n; i++ {
		x := X[i*d : i*d+d]
		z := b
		for j, v := range x {
			z += v * W[j]
		}
		J += softplus(z) - y[i]*z
		g := sigmoid(z) - y[i]
		for j, v := range x {
			gW[j] += g * v
		}
		gb += g
	}
	inv := 1 / float64(n)
	for j := range gW {
		gW[j] *= inv
	}
	return gW, gb * inv, J * inv, nil
}

// SoftmaxGrad is the hand-derived gradient of softmax cross-entropy for
// Z = X·W + b (W d×k row-major, b k) with one-hot targets Y (n×k):
// ∇W = Xᵀ(softmax(Z)−Y)/n, ∇b = Σᵢ(softmax(Zᵢ)−Yᵢ)/n.
func SoftmaxGrad(X, Y []float64, n, d, k int, W, b []float64) (gW, gb []float64, J float64, err error) {
	if err := shapes(X, Y, n, d, k, W); err != nil {
		return nil, nil, 0, err
	}
	if len(b) != k {
		return nil, nil, 0, fmt.Errorf("ops: b has %d values, want %d", len(b), k)
	}
	gW = make([]float64, d*k)
	gb = make([]float64, k)
	z := make([]float64, k)
	for i := 0; i < n; i++ {
		x := X[i*d : i*d+d]
		copy(z, b)
		for j, v := range x {
			for c := 0; c < k; c++ {
				z[c] += v * W[j*k+c]
			}
		}
		m := z[0]
		for _, v := range z {
			m = math.Max(m, v)
		}
		var s float64
		for _, v := range z {
			s += math.Exp(v - m)
		}
		lse := m + math.Log(s)
		yr := Y[i*k : i*k+k]
		for c := 0; c < k; c++ {
			J -= yr[c] * (z[c] - lse)
			g := math.Exp(z[c]-lse) - yr[c]
			gb[c] += g
			for j, v := range x {
				gW[j*k+c] += g * v
			}
		}
	}
	inv := 1 / float64(n)
	for i := range gW {
		gW[i] *= inv
	}
	for i := range gb {
		gb[i] *= inv
	}
	return gW, gb, J * inv, nil
}

func shapes(X, y []float64, n, d, k int, W []float64) error {
	if n <= 0 || d <= 0 {
		return fmt.Errorf("ops: need n > 0 and d > 0, got n=%d d=%d", n, d)
	}
	if len(X) != n*d {
		return fmt.Errorf("ops: X has %d values, want %d×%d", len(X), n, d)
	}
	if len(y) != n*k {
		return fmt.Errorf("ops: y has %d values, want %d×%d", len(y), n, k)
	}
	if len(W) != d*k {
		return fmt.Errorf("ops: W has %d values, want %d×%d", len(W), d, k)
	}
	return nil
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

func softplus(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }
