package optimizers

import "math"

// rmsprop is torch.optim.RMSprop's scaling.
type rmsprop struct {
	alpha, eps, mu float64
	centered       bool
}

var _ Transform = rmsprop{}

// ScaleByRMSProp is RMSprop (Tieleman & Hinton 2012, "Lecture 6.5 —
// RMSprop", COURSERA: Neural Networks for Machine Learning), with the
// centered variant of Graves 2013 ("Generating Sequences With Recurrent
// Neural Networks", arXiv:1308.0850), exactly as torch.optim.RMSprop:
//
//	v ← α·v + (1−α)·g²
//	d = √v + ε                       (ε outside the root)
//	d = √(v − ḡ²) + ε,  ḡ ← α·ḡ + (1−α)·g    (centered)
//	u = g/d,  or with momentum μ > 0:  b ← μ·b + g/d,  u = b
//
// where v, ḡ and b start at zero. α ∈ [0,1), ε > 0, μ ≥ 0. Its state is
// the slots "square_avg", "grad_avg" (centered) and "momentum_buffer" (μ > 0).
func ScaleByRMSProp(alpha, eps, momentum float64, centered bool) Transform {
	return rmsprop{alpha: alpha, eps: eps, mu: momentum, centered: centered}
}

const rmspropName = "rmsprop"

// Init checks the hyperparameters and allocates the zeroed slots.
func (r rmsprop) Init(params Params) (State, error) {
	if err := firstErr(halfOpen("alpha", r.alpha), positive("eps", r.eps), nonNegative("momentum", r.mu)); err != nil {
		return State{}, err
	}
	s := State{Slots: map[string]Params{"square_avg": newSlot(params, 0)}}
	if r.centered {
		s.Slots["grad_avg"] = newSlot(params, 0)
	}
	if r.mu > 0 {
		s.Slots["momentum_buffer"] = newSlot(params, 0)
	}
	return s, nil
}

// Update scales every update.
func (r rmsprop) Update(u Params, s State, _ Params) (State, error) {
	sq, err := s.slot(rmspropName, "square_avg")
	if err != nil {
		return s, err
	}
	var gavg, bufs Params
	if r.centered {
		if gavg, err = s.slot(rmspropName, "grad_avg"); err != nil {
			return s, err
		}
	}
	if r.mu > 0 {
		if bufs, err = s.slot(rmspropName, "momentum_buffer"); err != nil {
			return s, err
		}
	}
	for k, g := range u {
		v, err := values(sq, rmspropName, "square_avg", k, len(g))
		if err != nil {
			return s, err
		}
		var m, b []float64
		if r.centered {
			if m, err = values(gavg, rmspropName, "grad_avg", k, len(g)); err != nil {
				return s, err
			}
		}
		if r.mu > 0 {
			if b, err = values(bufs, rmspropName, "momentum_buffer", k, len(g)); err != nil {
				return s, err
			}
		}
		for i, gi := range g {
			v[i] = r.alpha*v[i] + (1-r.alpha)*gi*gi
			var d float64
			if r.centered {
				m[i] = r.alpha*m[i] + (1-r.alpha)*gi
				d = math.Sqrt(v[i]-m[i]*m[i]) + r.eps
			} else {
				d = math.Sqrt(v[i]) + r.eps
			}
			if r.mu > 0 {
				b[i] = r.mu*b[i] + gi/d
				g[i] = b[i]
			} else {
				g[i] = gi / d
			}
		}
	}
	return s, nil
}
