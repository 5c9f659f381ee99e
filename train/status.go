// Package train runs gradient descent: the loop over epochs and batches,
// the stop rules, the divergence guard, hooks for recording or stopping a
// run, its position for an exact resume, and the metrics of a result.
package train

// Status says why a run ended.
type Status int

const (
	// MaxEpochs: the run did every epoch it was given.
	MaxEpochs Status = iota
	// LossTolerance: |J(t) − J(t−1)| fell below the loss tolerance.
	LossTolerance
	// GradientTolerance: ‖∇J‖₂ fell below the gradient tolerance.
	GradientTolerance
	// EarlyStopping: the validation loss did not improve for Patience epochs.
	EarlyStopping
	// Diverged: the loss or a gradient became NaN or ±Inf.
	Diverged
	// Interrupted: the context was cancelled (Ctrl-C).
	Interrupted
	// Stopped: a hook asked the run to stop.
	Stopped
)

var statusNames = [...]string{"max-epochs", "loss-tolerance", "gradient-tolerance", "early-stopping", "diverged", "interrupted", "stopped"}

// String implements fmt.Stringer.
func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return "unknown"
	}
	return statusNames[s]
}

// MarshalText implements encoding.TextMarshaler, so JSON shows the name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
