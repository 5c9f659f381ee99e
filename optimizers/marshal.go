package optimizers

import (
	"encoding/json"
	"fmt"
)

// saved is the JSON form of an Optimizer's state.
type saved struct {
	// Optimizer is the optimizer's name.
	Optimizer string `json:"optimizer"`
	// Step is the number of updates made.
	Step int `json:"step"`
	// Params are the sizes of the parameters, by name.
	Params map[string]int `json:"params"`
	// State is the chain's state, every slot keyed by parameter name.
	State State `json:"state"`
}

// MarshalState encodes the optimizer's full state as JSON: its name, the
// step count, the parameters' sizes and the chain's state (every stage's
// count and slots, keyed by parameter name). Floats are written so that
// they read back bit for bit.
func (o *Optimizer) MarshalState() ([]byte, error) {
	if o.names == nil {
		return nil, fmt.Errorf("optimizers: MarshalState before Init")
	}
	params := make(map[string]int, len(o.names))
	for i, k := range o.names {
		params[k] = o.sizes[i]
	}
	b, err := json.Marshal(saved{Optimizer: o.cfg.Name, Step: o.StepCount(), Params: params, State: o.state})
	if err != nil { // a NaN or ±Inf in a slot
		return nil, fmt.Errorf("optimizers: the optimizer state cannot be saved (has training diverged?): %w", err)
	}
	return b, nil
}

// UnmarshalState restores a state written by MarshalState by an optimizer
// of the same name and options, so that the next Step continues the saved
// run bit for bit. Init is optional: without it the parameters' names and
// sizes are taken from the saved state; after it they must match. A state
// that does not fit (other stages or slots, other sizes, a negative count)
// is an error and leaves the optimizer as it was.
func (o *Optimizer) UnmarshalState(b []byte) error {
	var s saved
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("optimizers: reading the optimizer state: %w", err)
	}
	if s.Optimizer != o.cfg.Name {
		return fmt.Errorf("optimizers: the saved state is for optimizer %q, not %s", s.Optimizer, o.cfg.Name)
	}
	shape := make(Params, len(s.Params))
	for k, n := range s.Params {
		if n < 0 {
			return fmt.Errorf("optimizers: the saved state gives parameter %q a size of %d", k, n)
		}
		shape[k] = make([]float64, n)
	}
	if o.names != nil {
		if err := sameShape(shape, o.initShape(), "the saved state's parameters"); err != nil {
			return err
		}
	}
	fresh, err := o.chain.Init(shape)
	if err != nil {
		return err
	}
	if err := fresh.fits(s.State, ""); err != nil {
		return err
	}
	fresh.assign(s.State)
	if last := fresh.Stages[len(fresh.Stages)-1].Count; s.Step != last {
		return fmt.Errorf("optimizers: the saved state says step %d, its learning-rate stage %d", s.Step, last)
	}
	o.adopt(fresh, shape)
	return nil
}
