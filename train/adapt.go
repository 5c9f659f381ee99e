package train

import (
	"fmt"

	"github.com/descent-ml/descent/optimizers"
)

// Adapt makes an *optimizers.Optimizer a train.Optimizer.
func Adapt(o *optimizers.Optimizer) Optimizer { return adapted{o} }

type adapted struct{ o *optimizers.Optimizer }

func (a adapted) Step(params, grads map[string][]float64) error {
	return a.o.Step(optimizers.Params(params), optimizers.Params(grads))
}

// LR reports the optimizer's learning rate for the next step, for hooks.
func (a adapted) LR() float64 { return a.o.LR() }

// Adapt32 makes an *optimizers.Optimizer32 (float32 state) the optimizer
// of a float32 engine's run: Run steps it on the engine's Params32 and
// Grads32. Given a float64 engine, Run refuses it.
func Adapt32(o *optimizers.Optimizer32) Optimizer { return adapted32{o} }

type adapted32 struct{ o *optimizers.Optimizer32 }

var (
	_ Optimizer   = adapted32{}
	_ Optimizer32 = adapted32{}
)

// Step refuses float64 values: a float32 optimizer steps float32 ones.
func (a adapted32) Step(params, grads map[string][]float64) error {
	return fmt.Errorf("train: the optimizer is float32 (optimizers.New32) but the engine is float64; build the engine with Dtype float32, or the optimizer with optimizers.New")
}

// Step32 implements Optimizer32.
func (a adapted32) Step32(params, grads map[string][]float32) error {
	return a.o.Step(optimizers.Params32(params), optimizers.Params32(grads))
}

// LR reports the optimizer's learning rate for the next step, for hooks.
func (a adapted32) LR() float64 { return a.o.LR() }

// Optimizer32 updates a float32 engine's parameters in place. Run uses it
// when the engine is float32 (graph.Engine.Dtype); a float32 engine given
// an Optimizer that is not an Optimizer32 is refused.
type Optimizer32 interface {
	Step32(params, grads map[string][]float32) error
}
