package bench

import (
	"fmt"
	"math"
)

// handGoContender is the plain Go step with a hand-derived gradient: a
// straightforward forward pass that stores every layer's output for the
// batch, then a backward pass over the stored values. It allocates nothing
// per step but makes no effort beyond that: one goroutine, naive loops.
var handGoContender = Contender{Name: "handgo", Handwritten: true, New: newHandGo}

// handGo treats every kind as a dense network: the linear kinds are one
// layer, an mlp has ReLU hidden layers. With B the batch rows, Zl the
// layer outputs and Al = ReLU(Zl), the gradients are
//
//	dZ_L = 2(z−y)/B (linreg), (σ(z)−y)/B (logreg), (softmax(z)−onehot)/B
//	∇Wl = A_{l−1}ᵀ·dZl,  ∇bl = Σ_rows dZl,  dZ_{l−1} = (dZl·Wlᵀ) ⊙ [Z_{l−1} > 0]
type handGo struct {
	p      Problem
	d      *Data
	layers [][2]int
	names  []string
	params [][]float64 // W1, b1, W2, b2, …
	grads  [][]float64
	z, a   [][]float64 // per layer, B×out: pre-activations and ReLU outputs
	dz     [][]float64 // per layer, B×out
	upd    *updater
	step   int
}

var _ Stepper = (*handGo)(nil)

func newHandGo(p Problem, d *Data) (Stepper, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if !p.Dense() {
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, p.Kind)
	}
	p = p.withDefaults()
	h := &handGo{p: p, d: d, layers: p.Layers(), names: ParamNames(p)}
	init := InitParams(p)
	var sizes []int
	for _, name := range h.names {
		h.params = append(h.params, init[name])
		h.grads = append(h.grads, make([]float64, len(init[name])))
		sizes = append(sizes, len(init[name]))
	}
	B := p.BatchRows()
	for _, io := range h.layers {
		h.z = append(h.z, make([]float64, B*io[1]))
		h.a = append(h.a, make([]float64, B*io[1]))
		h.dz = append(h.dz, make([]float64, B*io[1]))
	}
	h.upd = newUpdater(p, sizes)
	return h, nil
}

// Step runs one forward pass, one backward pass and the update.
func (h *handGo) Step() error {
	p, L := h.p, len(h.layers)
	B, s0 := p.BatchRows(), p.BatchStart(h.step)
	h.step++
	X := h.d.X[s0*p.D : (s0+B)*p.D]
	if p.Kind == "linreg" || p.Kind == "logreg" {
		h.stepLinear(X, h.d.Y[s0:s0+B])
		return nil
	}

	// Forward: Zl = A_{l−1}·Wl + bl, Al = ReLU(Zl) on hidden layers.
	in := X
	for l, io := range h.layers {
		inw, out := io[0], io[1]
		W, b, Z := h.params[2*l], h.params[2*l+1], h.z[l]
		for i := range B {
			for c := range out {
				Z[i*out+c] = b[c]
			}
			for a := range inw {
				xa := in[i*inw+a]
				for c := range out {
					Z[i*out+c] += xa * W[a*out+c]
				}
			}
		}
		if l < L-1 {
			A := h.a[l]
			for k, v := range Z {
				A[k] = math.Max(v, 0)
			}
			in = A
		}
	}

	// Loss gradient with respect to the last layer's output.
	out := h.layers[L-1][1]
	Z, dZ := h.z[L-1], h.dz[L-1]
	invB := 1 / float64(B)
	switch p.Kind {
	case "linreg":
		for i := range B {
			dZ[i] = 2 * (Z[i] - h.d.Y[s0+i]) * invB
		}
	case "logreg":
		for i := range B {
			dZ[i] = (sigmoid(Z[i]) - h.d.Y[s0+i]) * invB
		}
	default:
		for i := range B {
			z, dz := Z[i*out:(i+1)*out], dZ[i*out:(i+1)*out]
			m := math.Inf(-1)
			for _, v := range z {
				m = math.Max(m, v)
			}
			var s float64
			for c, v := range z {
				dz[c] = math.Exp(v - m)
				s += dz[c]
			}
			for c := range dz {
				dz[c] *= invB / s
			}
			dz[h.d.Class[s0+i]] -= invB
		}
	}

	// Backward.
	for l := L - 1; l >= 0; l-- {
		inw, out := h.layers[l][0], h.layers[l][1]
		prev := X
		if l > 0 {
			prev = h.a[l-1]
		}
		W, gW, gb, dZ := h.params[2*l], h.grads[2*l], h.grads[2*l+1], h.dz[l]
		clear(gW)
		clear(gb)
		for i := range B {
			for a := range inw {
				pa := prev[i*inw+a]
				for c := range out {
					gW[a*out+c] += pa * dZ[i*out+c]
				}
			}
			for c := range out {
				gb[c] += dZ[i*out+c]
			}
		}
		if l > 0 {
			dPrev, zPrev := h.dz[l-1], h.z[l-1]
			for i := range B {
				for a := range inw {
					if zPrev[i*inw+a] <= 0 {
						dPrev[i*inw+a] = 0
						continue
					}
					var s float64
					for c := range out {
						s += W[a*out+c] * dZ[i*out+c]
					}
					dPrev[i*inw+a] = s
				}
			}
		}
	}

	h.upd.tick()
	for i := range h.params {
		h.upd.apply(i, h.params[i], h.grads[i])
	}
	return nil
}

// stepLinear is Step for one output: a pass over X for the residuals
// rᵢ = xᵢ·w + b − yᵢ (σ(xᵢ·w + b) − yᵢ for logreg), then a pass for
// ∇w = (c/B)·Xᵀr and ∇b = (c/B)·Σr, c being 2 for linreg and 1 for logreg.
func (h *handGo) stepLinear(X, y []float64) {
	D, B := h.p.D, len(y)
	w, b, r := h.params[0], h.params[1], h.dz[0]
	for i := range B {
		z := b[0]
		for j := range D {
			z += X[i*D+j] * w[j]
		}
		if h.p.Kind == "logreg" {
			z = sigmoid(z)
		}
		r[i] = z - y[i]
	}
	scale := 1 / float64(B)
	if h.p.Kind == "linreg" {
		scale *= 2
	}
	gw, gb := h.grads[0], h.grads[1]
	clear(gw)
	gb[0] = 0
	for i := range B {
		ri := r[i] * scale
		for j := range D {
			gw[j] += X[i*D+j] * ri
		}
		gb[0] += ri
	}
	h.upd.tick()
	h.upd.apply(0, w, gw)
	h.upd.apply(1, b, gb)
}

// Params returns a copy of the parameters.
func (h *handGo) Params() map[string][]float64 {
	return namedCopy(h.names, h.params)
}
