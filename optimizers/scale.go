package optimizers

import "fmt"

// scaleByLR multiplies the updates by the scheduled learning rate.
type scaleByLR struct{ lr Schedule }

var _ Transform = scaleByLR{}

// ScaleByLearningRate multiplies the updates by the learning rate of the
// schedule at the stage's own step count t: u ← lr(t)·u, then t ← t+1.
// It is the last stage of every named optimizer; Optimizer.Step then
// subtracts the updates, w ← w − u. Its state is the count t.
func ScaleByLearningRate(lr Schedule) Transform { return scaleByLR{lr} }

// Init checks that there is a schedule.
func (s scaleByLR) Init(Params) (State, error) {
	if s.lr == nil {
		return State{}, fmt.Errorf("optimizers: ScaleByLearningRate needs a schedule")
	}
	return State{}, nil
}

// Update scales the updates by lr(t).
func (s scaleByLR) Update(u Params, st State, _ Params) (State, error) {
	if s.lr == nil {
		return st, fmt.Errorf("optimizers: ScaleByLearningRate needs a schedule")
	}
	lr := s.lr(st.Count)
	for _, g := range u {
		for i := range g {
			g[i] *= lr
		}
	}
	st.Count++
	return st, nil
}
