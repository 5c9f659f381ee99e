package optimizers

import "math"

// rmsprop is torch.optim.RMSprop (Tieleman & Hinton 2012; the centered
// variant of Graves 2013).
type rmsprop struct {
	base
	alpha, eps, mu float64
	centered       bool
}

var _ Transform = (*rmsprop)(nil)

// ScaleByRMSProp keeps v ← α·v + (1−α)·g² and divides by √v + ε (ε outside
// the root, as torch). Centered subtracts the squared running mean of g
// first: √(v − ḡ²) + ε. With momentum μ > 0 the update is the buffer
// b ← μ·b + g/(√v + ε).
func ScaleByRMSProp(alpha, eps, momentum float64, centered bool) Transform {
	return &rmsprop{alpha: alpha, eps: eps, mu: momentum, centered: centered}
}

func (r *rmsprop) Init(params Params, s *State) error {
	r.slot(s, "square_avg", params, 0)
	if r.centered {
		r.slot(s, "grad_avg", params, 0)
	}
	if r.mu > 0 {
		r.slot(s, "momentum_buffer", params, 0)
	}
	return nil
}

func (r *rmsprop) Update(u Params, s *State, _ Params) error {
	sq, err := r.get(s, "square_avg")
	if err != nil {
		return err
	}
	var ga, buf map[string][]float64
	if r.centered {
		if ga, err = r.get(s, "grad_avg"); err != nil {
			return err
		}
	}
	if r.mu > 0 {
		if buf, err = r.get(s, "momentum_buffer"); err != nil {
			return err
		}
	}
	for k, g := range u {
		v := sq[k]
		for i, gi := range g {
			v[i] = r.alpha*v[i] + (1-r.alpha)*gi*gi
			var avg float64
			if r.centered {
				m := ga[k]
				m[i] = r.alpha*m[i] + (1-r.alpha)*gi
				avg = math.Sqrt(v[i]-m[i]*m[i]) + r.eps
			} else {
				avg = math.Sqrt(v[i]) + r.eps
			}
			if r.mu > 0 {
				b := buf[k]
				b[i] = r.mu*b[i] + gi/avg
				g[i] = b[i]
			} else {
				g[i] = gi / avg
			}
		}
	}
	return nil
}
