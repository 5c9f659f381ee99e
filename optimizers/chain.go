package optimizers

import "fmt"

// chain applies its stages in order.
type chain[T Float] []TransformOf[T]

var (
	_ Transform   = chain[float64](nil)
	_ Transform32 = chain[float32](nil)
)

// Chain composes transforms, optax's chain: each stage's Update rewrites
// the previous stage's output, u ← tₙ(…t₂(t₁(g))), and the chain's state
// is its stages' states, in order (State.Stages).
func Chain(ts ...Transform) Transform { return ChainOf(ts...) }

// ChainOf is Chain over values of type T.
func ChainOf[T Float](ts ...TransformOf[T]) TransformOf[T] {
	return chain[T](append([]TransformOf[T](nil), ts...))
}

// Init initializes every stage.
func (c chain[T]) Init(params ParamsOf[T]) (StateOf[T], error) {
	s := StateOf[T]{Stages: make([]StateOf[T], len(c))}
	for i, t := range c {
		if t == nil {
			return StateOf[T]{}, fmt.Errorf("optimizers: chain stage %d is nil", i)
		}
		st, err := t.Init(params)
		if err != nil {
			return StateOf[T]{}, err
		}
		s.Stages[i] = st
	}
	return s, nil
}

// Update runs every stage in order.
func (c chain[T]) Update(u ParamsOf[T], s StateOf[T], params ParamsOf[T]) (StateOf[T], error) {
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
