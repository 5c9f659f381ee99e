package optimizers

import "math"

// adam is torch.optim.Adam's scaling.
type adam struct {
	b1, b2, eps float64
	amsgrad     bool
}

var _ Transform = adam{}

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
	return adam{b1: beta1, b2: beta2, eps: eps, amsgrad: amsgrad}
}

const adamName = "adam"

// Init checks the hyperparameters and allocates the zeroed moments.
func (a adam) Init(params Params) (State, error) {
	if err := firstErr(halfOpen("beta1", a.b1), halfOpen("beta2", a.b2), positive("eps", a.eps)); err != nil {
		return State{}, err
	}
	s := State{Slots: map[string]Params{"exp_avg": newSlot(params, 0), "exp_avg_sq": newSlot(params, 0)}}
	if a.amsgrad {
		s.Slots["max_exp_avg_sq"] = newSlot(params, 0)
	}
	return s, nil
}

// Update scales every update.
func (a adam) Update(u Params, s State, _ Params) (State, error) {
	ms, err := s.slot(adamName, "exp_avg")
	if err != nil {
		return s, err
	}
	vs, err := s.slot(adamName, "exp_avg_sq")
	if err != nil {
		return s, err
	}
	var vmaxs Params
	if a.amsgrad {
		if vmaxs, err = s.slot(adamName, "max_exp_avg_sq"); err != nil {
			return s, err
		}
	}
	s.Count++
	t := float64(s.Count)
	bc1 := 1 - math.Pow(a.b1, t)
	bc2 := math.Sqrt(1 - math.Pow(a.b2, t))
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
		for i, gi := range g {
			m[i] = a.b1*m[i] + (1-a.b1)*gi
			v[i] = a.b2*v[i] + (1-a.b2)*gi*gi
			if a.amsgrad {
				vbar[i] = math.Max(vbar[i], v[i])
			}
			g[i] = m[i] / (math.Sqrt(vbar[i])/bc2 + a.eps) / bc1
		}
	}
	return s, nil
}
