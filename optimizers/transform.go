package optimizers

// Params holds flat row-major values keyed by parameter name ("W", "b",
// "W1"): the parameters themselves, their gradients, or the updates a
// Transform makes of them.
type Params map[string][]float64

// Transform is one stage of an optimizer: optax's GradientTransformation
// (Babuschkin et al. 2020, "The DeepMind JAX Ecosystem").
//
// Init returns the stage's initial state for params; it looks only at the
// names and sizes of params, never at their values, and it validates the
// stage's hyperparameters.
//
// Update rewrites updates in place: on entry they are the gradients, or the
// previous stage's output. params are the current parameters (read only).
// It returns the new state. A State holds slices that Update overwrites in
// place, so the state passed in must not be used again; in exchange a
// steady-state Update allocates nothing.
type Transform interface {
	Init(params Params) (State, error)
	Update(updates Params, state State, params Params) (State, error)
}
