package optimizers

import "math"

// adam is torch.optim.Adam's moment estimates (Kingma & Ba 2015), with the
// AMSGrad variant (Reddi, Kale & Kumar 2018). The 1/(1−β1ᵗ) bias correction
// of the first moment is folded into the learning rate by the Optimizer, as
// torch folds it into its step size.
type adam struct {
	base
	b1, b2, eps float64
	amsgrad     bool
}

var _ Transform = (*adam)(nil)

// ScaleByAdam keeps m ← β1·m + (1−β1)·g and v ← β2·v + (1−β2)·g² and
// returns m / (√v̂ + ε), v̂ = v/(1−β2ᵗ) (or the running maximum of v with
// AMSGrad). Multiply by lr/(1−β1ᵗ) for Adam's step; BiasCorrection1 gives
// that factor.
func ScaleByAdam(beta1, beta2, eps float64, amsgrad bool) Transform {
	return &adam{b1: beta1, b2: beta2, eps: eps, amsgrad: amsgrad}
}

func (a *adam) Init(params Params, s *State) error {
	a.slot(s, "exp_avg", params, 0)
	a.slot(s, "exp_avg_sq", params, 0)
	if a.amsgrad {
		a.slot(s, "max_exp_avg_sq", params, 0)
	}
	return nil
}

func (a *adam) Update(u Params, s *State, _ Params) error {
	ms, err := a.get(s, "exp_avg")
	if err != nil {
		return err
	}
	vs, err := a.get(s, "exp_avg_sq")
	if err != nil {
		return err
	}
	var vmax map[string][]float64
	if a.amsgrad {
		if vmax, err = a.get(s, "max_exp_avg_sq"); err != nil {
			return err
		}
	}
	t := float64(s.Count + 1)
	bc2 := math.Sqrt(1 - math.Pow(a.b2, t))
	for k, g := range u {
		m, v := ms[k], vs[k]
		for i, gi := range g {
			m[i] = a.b1*m[i] + (1-a.b1)*gi
			v[i] = a.b2*v[i] + (1-a.b2)*gi*gi
			vi := v[i]
			if a.amsgrad {
				vmax[k][i] = math.Max(vmax[k][i], vi)
				vi = vmax[k][i]
			}
			g[i] = m[i] / (math.Sqrt(vi)/bc2 + a.eps)
		}
	}
	return nil
}

// BiasCorrection1 is 1 − β1ᵗ for the t-th update (t ≥ 1).
func BiasCorrection1(beta1 float64, t int) float64 { return 1 - math.Pow(beta1, float64(t)) }
