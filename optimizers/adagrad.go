package optimizers

import "math"

// adagrad is torch.optim.Adagrad's scaling.
type adagrad struct{ initial, eps float64 }

var _ Transform = adagrad{}

// ScaleByAdagrad is Adagrad's per-coordinate scaling (Duchi, Hazan & Singer
// 2011, "Adaptive Subgradient Methods for Online Learning and Stochastic
// Optimization", JMLR 12), as torch.optim.Adagrad:
//
//	s ← s + g²,   u = g / (√s + ε)
//
// with s starting at initialAccumulator ≥ 0 and ε > 0 (torch's default
// 1e-10). Its state is the slot "sum". Adagrad's lr_decay is a schedule,
// InverseTimeDecay, not part of this stage.
func ScaleByAdagrad(initialAccumulator, eps float64) Transform {
	return adagrad{initial: initialAccumulator, eps: eps}
}

const adagradName = "adagrad"

// Init checks the hyperparameters and fills the accumulator.
func (a adagrad) Init(params Params) (State, error) {
	if err := firstErr(nonNegative("initial-accumulator", a.initial), positive("eps", a.eps)); err != nil {
		return State{}, err
	}
	return State{Slots: map[string]Params{"sum": newSlot(params, a.initial)}}, nil
}

// Update scales every update.
func (a adagrad) Update(u Params, s State, _ Params) (State, error) {
	sums, err := s.slot(adagradName, "sum")
	if err != nil {
		return s, err
	}
	for k, g := range u {
		acc, err := values(sums, adagradName, "sum", k, len(g))
		if err != nil {
			return s, err
		}
		for i, gi := range g {
			acc[i] += gi * gi
			g[i] = gi / (math.Sqrt(acc[i]) + a.eps)
		}
	}
	return s, nil
}
