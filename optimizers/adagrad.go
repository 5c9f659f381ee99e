package optimizers

// adagrad is torch.optim.Adagrad's scaling. With lr set (the float32
// chains) it also applies the learning rate, in torch's rounding order, and
// counts its updates.
type adagrad[T Float] struct {
	initial, eps float64
	lr           Schedule
}

var (
	_ Transform   = adagrad[float64]{}
	_ Transform32 = adagrad[float32]{}
)

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
	return ScaleByAdagradOf[float64](initialAccumulator, eps)
}

// ScaleByAdagradOf is ScaleByAdagrad over values of type T, the
// accumulator kept in T.
func ScaleByAdagradOf[T Float](initialAccumulator, eps float64) TransformOf[T] {
	return adagrad[T]{initial: initialAccumulator, eps: eps}
}

const adagradName = "adagrad"

// Init checks the hyperparameters and fills the accumulator.
func (a adagrad[T]) Init(params ParamsOf[T]) (StateOf[T], error) {
	if err := firstErr(nonNegative("initial-accumulator", a.initial), positive("eps", a.eps)); err != nil {
		return StateOf[T]{}, err
	}
	return StateOf[T]{Slots: map[string]ParamsOf[T]{"sum": newSlot(params, a.initial)}}, nil
}

// Update scales every update. With the learning rate folded in (lr set)
// it computes torch's u = (lr·g)/(√s + ε), lr the schedule's at its count.
func (a adagrad[T]) Update(u ParamsOf[T], s StateOf[T], _ ParamsOf[T]) (StateOf[T], error) {
	sums, err := s.slot(adagradName, "sum")
	if err != nil {
		return s, err
	}
	eps := T(a.eps)
	var lr T
	if a.lr != nil {
		lr = T(a.lr(s.Count))
		s.Count++
	}
	for k, g := range u {
		acc, err := values(sums, adagradName, "sum", k, len(g))
		if err != nil {
			return s, err
		}
		for i, gi := range g {
			acc[i] += T(gi * gi)
			if a.lr != nil {
				g[i] = T(lr*gi) / T(sqrt(acc[i])+eps)
			} else {
				g[i] = gi / (sqrt(acc[i]) + eps)
			}
		}
	}
	return s, nil
}
