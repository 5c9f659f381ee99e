package optimizers

// rmsprop is torch.optim.RMSprop's scaling. With lr set (the float32
// chains, without momentum) it also applies the learning rate, in torch's
// rounding order, and counts its updates.
type rmsprop[T Float] struct {
	alpha, eps, mu float64
	centered       bool
	lr             Schedule
}

var (
	_ Transform   = rmsprop[float64]{}
	_ Transform32 = rmsprop[float32]{}
)

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
	return ScaleByRMSPropOf[float64](alpha, eps, momentum, centered)
}

// ScaleByRMSPropOf is ScaleByRMSProp over values of type T, the slots kept
// in T.
func ScaleByRMSPropOf[T Float](alpha, eps, momentum float64, centered bool) TransformOf[T] {
	return rmsprop[T]{alpha: alpha, eps: eps, mu: momentum, centered: centered}
}

const rmspropName = "rmsprop"

// Init checks the hyperparameters and allocates the zeroed slots.
func (r rmsprop[T]) Init(params ParamsOf[T]) (StateOf[T], error) {
	if err := firstErr(halfOpen("alpha", r.alpha), positive("eps", r.eps), nonNegative("momentum", r.mu)); err != nil {
		return StateOf[T]{}, err
	}
	s := StateOf[T]{Slots: map[string]ParamsOf[T]{"square_avg": newSlot(params, 0)}}
	if r.centered {
		s.Slots["grad_avg"] = newSlot(params, 0)
	}
	if r.mu > 0 {
		s.Slots["momentum_buffer"] = newSlot(params, 0)
	}
	return s, nil
}

// Update scales every update. With the learning rate folded in (lr set)
// it computes torch's u = (lr·g)/d, lr the schedule's at its count.
func (r rmsprop[T]) Update(u ParamsOf[T], s StateOf[T], _ ParamsOf[T]) (StateOf[T], error) {
	sq, err := s.slot(rmspropName, "square_avg")
	if err != nil {
		return s, err
	}
	alpha, c, eps, mu := T(r.alpha), T(1-r.alpha), T(r.eps), T(r.mu)
	var lr T
	if r.lr != nil {
		lr = T(r.lr(s.Count))
		s.Count++
	}
	var gavg, bufs ParamsOf[T]
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
		var m, b []T
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
			v[i] = T(alpha*v[i]) + T(T(c*gi)*gi)
			var d T
			if r.centered {
				m[i] = T(alpha*m[i]) + T(c*gi)
				d = T(sqrt(v[i]-T(m[i]*m[i])) + eps)
			} else {
				d = T(sqrt(v[i]) + eps)
			}
			switch {
			case r.mu > 0:
				b[i] = T(mu*b[i]) + T(gi/d)
				g[i] = b[i]
			case r.lr != nil:
				g[i] = T(lr*gi) / d
			default:
				g[i] = gi / d
			}
		}
	}
	return s, nil
}
