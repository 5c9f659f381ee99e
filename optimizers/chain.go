package optimizers

import "fmt"

// chain applies its stages in order.
type chain []Transform

var _ Transform = chain(nil)

// Chain composes transforms, optax's chain: each stage's Update rewrites
// the previous stage's output, u ← tₙ(…t₂(t₁(g))), and the chain's state
// is its stages' states, in order (State.Stages).
func Chain(ts ...Transform) Transform { return chain(append([]Transform(nil), ts...)) }

// Init initializes every stage.
func (c chain) Init(params Params) (State, error) {
	s := State{Stages: make([]State, len(c))}
	for i, t := range c {
		if t == nil {
			return State{}, fmt.Errorf("optimizers: chain stage %d is nil", i)
		}
		st, err := t.Init(params)
		if err != nil {
			return State{}, err
		}
		s.Stages[i] = st
	}
	return s, nil
}

// Update runs every stage in order.
func (c chain) Update(u Params, s State, params Params) (State, error) {
	if len(s.Stages) != len(c) {
		return s, fmt.Errorf("optimizers: chain of %d stages given a state of %d (was Init called?)", len(c), len(s.Stages))
	}
	for i, t := range c {
		st, err := t.Update(u, s.Stages[i], params)
		if err != nil {
			return s, err
		}
		s.Stages[i] = st
	}
	return s, nil
}
