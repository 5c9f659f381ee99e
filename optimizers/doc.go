// Package optimizers is Descent's optimizer layer, after optax: small
// Transforms that turn gradients into updates, composed with Chain into the
// named optimizers of torch.optim, with their exact semantics.
//
// # Notation
//
// g is the gradient, w a parameter, t the 1-based number of the update,
// lr the learning rate of the update (a Schedule of the 0-based step), and
// an Optimizer applies w ← w − u, u the chain's output.
//
//	gd        u = lr·g                                   torch.optim.SGD
//	momentum  b ← μ·b + (1−τ)·g (b ← g at t = 1), u = lr·b
//	nesterov  b as momentum with τ = 0, u = lr·(g + μ·b)   (Sutskever et al. 2013)
//	adagrad   s ← s + g², u = lr/(1+(t−1)·δ)·g/(√s + ε)     (Duchi et al. 2011)
//	rmsprop   v ← α·v + (1−α)·g², u = lr·g/(√v + ε)        (Tieleman & Hinton 2012)
//	adam      m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
//	          u = lr·m̂/(√v̂ + ε)                           (Kingma & Ba 2015)
//	adamw     w ← w·(1 − lr·λ), then adam                  (Loshchilov & Hutter 2019)
//
// Coupled weight decay (g ← g + λ·w) is an option of all but adamw.
// Gradient clipping (Pascanu et al. 2013), by global norm or by value,
// comes first in the chain; the learning rate, scheduled, last:
//
//	adam  = Chain(ClipByGlobalNorm(c), AddDecayedWeights(λ), ScaleByAdam(β1, β2, ε, false), ScaleByLearningRate(lr))
//	adamw = Chain(ScaleByAdam(β1, β2, ε, false), AddDecayedWeights(λ), ScaleByLearningRate(lr))
//
// # Fidelity
//
// The tests replay PyTorch 1.13's float64 trajectories (testdata/gen_golden.py)
// for every optimizer, option, schedule and clipping mode, and agree to
// 1e-10 relative after 100 steps. The operations are ordered as torch orders
// them except where the chain splits torch's fused expressions, which
// changes the last bit of a step, not more.
//
// # float32
//
// The transforms, states and optimizers are generic over the element type
// (Float: float64 or float32). Params, State, Transform and Optimizer are
// the float64 instantiations, built by New and the constructors above;
// New32 builds an Optimizer32 over Params32 with float32 state, the way
// networks are trained. It computes each step as torch.optim's
// single-tensor implementations do on float32 CPU tensors: learning rates,
// schedules and Adam's bias corrections in float64 (Python floats), every
// operation on the values in float32, rounded as torch's kernels round
// them, its chains following torch's expressions where New's split them
// (New32 lists where). The tests replay torch 1.13's float32 trajectories
// (testdata/gen_golden.py float32, ATen's baseline CPU kernels, whose
// float32 operations are not fused into multiply-adds) for every case of
// the float64 golden file, and agree bit for bit after 1, 10 and 100 steps.
//
// # Configuration and defaults
//
// A Config's zero value is gd with torch's defaults, and each zero field is
// the chosen optimizer's default. An option given explicitly, zero
// included, is named in Config.Set (the CLI sets it from the flags the user
// typed; FromFlags builds such a Config), and is validated as given: eps 0
// is then an error rather than "the default eps".
//
// # State
//
// A State holds a stage's step count and its slots (moment estimates,
// momentum buffers) keyed by parameter name, and a chain's State the states
// of its stages. Optimizer.MarshalState writes it as JSON; a run stopped
// after step k and resumed with UnmarshalState follows the bit-identical
// trajectory of the uninterrupted run.
package optimizers
