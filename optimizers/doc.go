// Package optimizers is Descent's optimizer layer, after optax: small
// Transforms that rewrite gradients into updates, chained into the named
// optimizers of torch.optim (gd, momentum, nesterov, adagrad, rmsprop, adam,
// adamw) with their exact semantics, plus learning-rate schedules that are
// pure functions of the step, and gradient clipping.
//
// State is explicit: a step count and named slots (momentum buffers, moment
// estimates) keyed by parameter name, serializable to JSON so that a run
// stopped after step k and resumed follows the bit-identical trajectory.
package optimizers

// Params holds flat row-major values keyed by parameter name.
type Params = map[string][]float64
