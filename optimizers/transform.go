package optimizers

// Float is the element type of parameters, updates and state: float64, the
// default, or float32, in which networks are trained (New32).
type Float interface{ ~float32 | ~float64 }

// ParamsOf holds flat row-major values of element type T keyed by
// parameter name ("W", "b", "W1"): the parameters themselves, their
// gradients, or the updates a Transform makes of them.
type ParamsOf[T Float] map[string][]T

// Params is ParamsOf[float64], the values of the float64 optimizers.
type Params = ParamsOf[float64]

// Params32 is ParamsOf[float32], the values of the float32 optimizers.
type Params32 = ParamsOf[float32]

// TransformOf is one stage of an optimizer over values of type T: optax's
// GradientTransformation (Babuschkin et al. 2020, "The DeepMind JAX
// Ecosystem").
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
//
// Hyperparameters are float64, as Python floats are in torch.optim; the
// arithmetic on the values is in T, each hyperparameter rounded to T where
// torch rounds it (a float32 tensor times a Python float is a float32
// product).
type TransformOf[T Float] interface {
	Init(params ParamsOf[T]) (StateOf[T], error)
	Update(updates ParamsOf[T], state StateOf[T], params ParamsOf[T]) (StateOf[T], error)
}

// Transform is TransformOf[float64], a stage of the float64 optimizers.
type Transform = TransformOf[float64]

// Transform32 is TransformOf[float32], a stage of the float32 optimizers.
type Transform32 = TransformOf[float32]
