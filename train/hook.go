package train

import "errors"

// ErrStop, returned by a hook, ends the run with status Stopped.
var ErrStop = errors.New("train: stopped by hook")

// Step is what a hook sees after each step's forward and backward pass and
// before the update: Params are the values the loss and gradients were
// computed at. The maps are the engine's own; copy what you keep. For a
// float32 engine they are exact float64 copies of its float32 values,
// refreshed each step (made only when the run has hooks), and writing
// them changes nothing.
type Step struct {
	Epoch, Step int // 1-based
	Rows        int // rows in the batch
	Loss        float64
	GradNorm    float64
	LR          float64
	Params      map[string][]float64
	Grads       map[string][]float64
}

// Epoch is what a hook sees at the end of each epoch.
type Epoch struct {
	Epoch int
	Steps int // steps so far
	// Loss is the row-weighted mean of the epoch's batch losses.
	Loss float64
	// ValLoss is the validation loss after the epoch; NaN without validation data.
	ValLoss float64
	// ValAccuracy is the validation accuracy of a classifier; NaN otherwise.
	ValAccuracy float64
}

// Hook observes a run. A non-nil error stops it: ErrStop with status
// Stopped, any other error is returned by Run.
type Hook interface {
	OnStep(s *Step) error
	OnEpoch(e *Epoch) error
}

// Funcs adapts plain functions to a Hook; nil fields do nothing.
type Funcs struct {
	Step  func(s *Step) error
	Epoch func(e *Epoch) error
}

var _ Hook = Funcs{}

// OnStep implements Hook.
func (f Funcs) OnStep(s *Step) error {
	if f.Step == nil {
		return nil
	}
	return f.Step(s)
}

// OnEpoch implements Hook.
func (f Funcs) OnEpoch(e *Epoch) error {
	if f.Epoch == nil {
		return nil
	}
	return f.Epoch(e)
}
