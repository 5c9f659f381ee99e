package optimizers

import "fmt"

// scaleByLR multiplies the updates by the scheduled learning rate.
type scaleByLR[T Float] struct{ lr Schedule }

var (
	_ Transform   = scaleByLR[float64]{}
	_ Transform32 = scaleByLR[float32]{}
)

// ScaleByLearningRate multiplies the updates by the learning rate of the
// schedule at the stage's own step count t: u ← lr(t)·u, then t ← t+1.
// It is the last stage of every named optimizer; Optimizer.Step then
// subtracts the updates, w ← w − u. Its state is the count t.
func ScaleByLearningRate(lr Schedule) Transform { return ScaleByLearningRateOf[float64](lr) }

// ScaleByLearningRateOf is ScaleByLearningRate over values of type T: the
// rate, a float64, is rounded to T and the product is T's.
func ScaleByLearningRateOf[T Float](lr Schedule) TransformOf[T] { return scaleByLR[T]{lr} }

// Init checks that there is a schedule.
func (s scaleByLR[T]) Init(ParamsOf[T]) (StateOf[T], error) {
	if s.lr == nil {
		return StateOf[T]{}, fmt.Errorf("optimizers: ScaleByLearningRate needs a schedule")
	}
	return StateOf[T]{}, nil
}

// Update scales the updates by lr(t).
func (s scaleByLR[T]) Update(u ParamsOf[T], st StateOf[T], _ ParamsOf[T]) (StateOf[T], error) {
	if s.lr == nil {
		return st, fmt.Errorf("optimizers: ScaleByLearningRate needs a schedule")
	}
	lr := T(s.lr(st.Count))
	for _, g := range u {
		for i := range g {
			g[i] *= lr
		}
	}
	st.Count++
	return st, nil
}
