package optimizers

import "math"

// adam is torch.optim.Adam's scaling. With lr set (the float32 chains) it
// also applies the learning rate, in torch's rounding order.
type adam[T Float] struct {
	b1, b2, eps float64
	amsgrad     bool
	lr          Schedule
}

var (
	_ Transform   = adam[float64]{}
	_ Transform32 = adam[float32]{}
)

// ScaleByAdam is Adam's scaling (Kingma & Ba 2015, "Adam: A Method for
// Stochastic Optimization", ICLR), with the AMSGrad variant (Reddi, Kale &
// Kumar 2018, "On the Convergence of Adam and Beyond", ICLR), as
// torch.optim.Adam and AdamW compute it. At the t-th update (t ≥ 1):
//
//	m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g²
//	v̄ = max(v̄, v) under AMSGrad, else v̄ = v
//	u = (m / (√v̄/√(1−β2ᵗ) + ε)) / (1−β1ᵗ)
//
// that is m̂/(√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v̄/(1−β2ᵗ), with ε added
// after the bias correction of the root, as torch does. β1, β2 ∈ [0,1),
// ε > 0. Its state is the count t and the slots "exp_avg", "exp_avg_sq"
// and, under AMSGrad, "max_exp_avg_sq".
func ScaleByAdam(beta1, beta2, eps float64, amsgrad bool) Transform {
	return ScaleByAdamOf[float64](beta1, beta2, eps, amsgrad)
}

// ScaleByAdamOf is ScaleByAdam over values of type T, the moments kept in T.
func ScaleByAdamOf[T Float](beta1, beta2, eps float64, amsgrad bool) TransformOf[T] {
	return adam[T]{b1: beta1, b2: beta2, eps: eps, amsgrad: amsgrad}
}

const adamName = "adam"

// Init checks the hyperparameters and allocates the zeroed moments.
func (a adam[T]) Init(params ParamsOf[T]) (StateOf[T], error) {
	if err := firstErr(halfOpen("beta1", a.b1), halfOpen("beta2", a.b2), positive("eps", a.eps)); err != nil {
		return StateOf[T]{}, err
	}
	s := StateOf[T]{Slots: map[string]ParamsOf[T]{"exp_avg": newSlot(params, 0), "exp_avg_sq": newSlot(params, 0)}}
	if a.amsgrad {
		s.Slots["max_exp_avg_sq"] = newSlot(params, 0)
	}
	return s, nil
}

// Update scales every update. With the learning rate folded in (lr set)
// it computes torch's single-tensor expression
//
//	u = (s·m) / (√v̄/√(1−β2ᵗ) + ε),   s = lr/(1−β1ᵗ)
//
// with s and √(1−β2ᵗ) in float64, as Python computes them, then rounded to T.
func (a adam[T]) Update(u ParamsOf[T], s StateOf[T], _ ParamsOf[T]) (StateOf[T], error) {
	ms, err := s.slot(adamName, "exp_avg")
	if err != nil {
		return s, err
	}
	vs, err := s.slot(adamName, "exp_avg_sq")
	if err != nil {
		return s, err
	}
	var vmaxs ParamsOf[T]
	if a.amsgrad {
		if vmaxs, err = s.slot(adamName, "max_exp_avg_sq"); err != nil {
			return s, err
		}
	}
	s.Count++
	t := float64(s.Count)
	bc1 := 1 - math.Pow(a.b1, t)
	bc2 := math.Sqrt(1 - math.Pow(a.b2, t))
	b1, b2, c1, c2, eps := T(a.b1), T(a.b2), T(1-a.b1), T(1-a.b2), T(a.eps)
	var step T
	if a.lr != nil {
		step = T(a.lr(s.Count-1) / bc1)
	}
	for k, g := range u {
		m, err := values(ms, adamName, "exp_avg", k, len(g))
		if err != nil {
			return s, err
		}
		v, err := values(vs, adamName, "exp_avg_sq", k, len(g))
		if err != nil {
			return s, err
		}
		vbar := v
		if a.amsgrad {
			if vbar, err = values(vmaxs, adamName, "max_exp_avg_sq", k, len(g)); err != nil {
				return s, err
			}
		}
		// Every T(…) rounds, as torch's separate kernels do, and keeps the
		// compiler from fusing a multiply and an add.
		for i, gi := range g {
			m[i] = T(b1*m[i]) + T(c1*gi)
			v[i] = T(b2*v[i]) + T(T(c2*gi)*gi)
			if a.amsgrad {
				vbar[i] = max(vbar[i], v[i])
			}
			if a.lr != nil {
				d := T(T(sqrt(vbar[i])/T(bc2)) + eps)
				g[i] = T(step*m[i]) / d
			} else {
				g[i] = m[i] / (T(sqrt(vbar[i])/T(bc2)) + eps) / T(bc1)
			}
		}
	}
	return s, nil
}

// sqrt is the correctly rounded square root in T: the float64 root of a
// float32 rounds to the float32 root (53 ≥ 2·24 + 2 bits).
func sqrt[T Float](x T) T { return T(math.Sqrt(float64(x))) }
