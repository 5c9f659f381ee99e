package bench

import (
	"fmt"
	"math"
)

// Loss is p's objective over the whole data set at params, the figure the
// harness compares across contenders after the same number of steps:
//
//	linreg:       J = (1/n)·Σ (ŷ_i − y_i)²
//	logreg:       J = (1/n)·Σ softplus(z_i) − y_i·z_i
//	softmax, mlp: J = (1/n)·Σ logsumexp(z_i) − z_i,class_i
//
// with z = X·W + b (the mlp's hidden layers being ReLU(h·Wl + bl)); a
// cnn's is its mean softmax cross-entropy, computed by netLoss.
func Loss(p Problem, d *Data, params map[string][]float64) (float64, error) {
	if !p.Dense() {
		return netLoss(p, d, params)
	}
	names := ParamNames(p)
	for l, io := range p.Layers() {
		W, b := params[names[2*l]], params[names[2*l+1]]
		if len(W) != io[0]*io[1] || len(b) != io[1] {
			return 0, fmt.Errorf("bench: loss of %s: %s has %d values and %s has %d, want %d and %d",
				p.Name, names[2*l], len(W), names[2*l+1], len(b), io[0]*io[1], io[1])
		}
	}
	var J float64
	layers := p.Layers()
	h := make([]float64, 0, 64)
	next := make([]float64, 0, 64)
	for i := range p.N {
		h = append(h[:0], d.X[i*p.D:(i+1)*p.D]...)
		for l, io := range layers {
			in, out := io[0], io[1]
			W, b := params[names[2*l]], params[names[2*l+1]]
			next = append(next[:0], b...)
			for a := range in {
				for c := range out {
					next[c] += h[a] * W[a*out+c]
				}
			}
			if l < len(layers)-1 {
				for c, v := range next {
					next[c] = math.Max(v, 0)
				}
			}
			h, next = next, h
		}
		switch p.Kind {
		case "linreg":
			r := h[0] - d.Y[i]
			J += r * r
		case "logreg":
			J += softplus(h[0]) - d.Y[i]*h[0]
		default:
			J += logSumExp(h) - h[d.Class[i]]
		}
	}
	return J / float64(p.N), nil
}

// softplus is log(1 + eˣ), computed without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// sigmoid is 1/(1 + e⁻ˣ), computed without overflow.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// logSumExp is log Σ exp(z_c), shifted by max z.
func logSumExp(z []float64) float64 {
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, v)
	}
	var s float64
	for _, v := range z {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}
