package optimizers

import "math"

// adagrad is torch.optim.Adagrad's scaling (Duchi, Hazan & Singer 2011):
// s ← s + g², update g/(√s + ε). Its lr_decay is applied to the learning
// rate by the Optimizer.
type adagrad struct {
	base
	init, eps float64
}

var _ Transform = (*adagrad)(nil)

// ScaleByAdagrad accumulates squared gradients from initialAccumulator and
// divides by their root: s ← s + g², u = g/(√s + ε).
func ScaleByAdagrad(initialAccumulator, eps float64) Transform {
	return &adagrad{init: initialAccumulator, eps: eps}
}

func (a *adagrad) Init(params Params, s *State) error {
	a.slot(s, "sum", params, a.init)
	return nil
}

func (a *adagrad) Update(u Params, s *State, _ Params) error {
	sum, err := a.get(s, "sum")
	if err != nil {
		return err
	}
	for k, g := range u {
		acc := sum[k]
		for i, gi := range g {
			acc[i] += gi * gi
			g[i] = gi / (math.Sqrt(acc[i]) + a.eps)
		}
	}
	return nil
}
