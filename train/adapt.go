package train

import "github.com/descent-ml/descent/optimizers"

// Adapt makes an *optimizers.Optimizer a train.Optimizer.
func Adapt(o *optimizers.Optimizer) Optimizer { return adapted{o} }

type adapted struct{ o *optimizers.Optimizer }

func (a adapted) Step(params, grads map[string][]float64) error {
	return a.o.Step(optimizers.Params(params), optimizers.Params(grads))
}

// LR reports the optimizer's learning rate for the next step, for hooks.
func (a adapted) LR() float64 { return a.o.LR() }
