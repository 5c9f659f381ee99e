package optimizers

import (
	"fmt"

	"github.com/descent-ml/descent/internal/lex"
)

// decay adds λ·w to the updates.
type decay[T Float] struct{ lambda float64 }

var (
	_ Transform   = decay[float64]{}
	_ Transform32 = decay[float32]{}
)

// AddDecayedWeights adds weight decay to the updates: u ← u + λ·w.
//
// Placed before a rescaling stage it is coupled weight decay, the gradient
// of an L2 penalty (λ/2)‖w‖², as the weight_decay option of torch.optim's
// SGD, Adagrad, RMSprop and Adam: the decay is rescaled with the gradient.
// Placed after the rescaling stage and before ScaleByLearningRate it is
// decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight Decay
// Regularization", ICLR): w ← w − lr·(u + λw) = w·(1 − lr·λ) − lr·u, the
// update of torch.optim.AdamW.
func AddDecayedWeights(lambda float64) Transform { return AddDecayedWeightsOf[float64](lambda) }

// AddDecayedWeightsOf is AddDecayedWeights over values of type T, λ
// rounded to T.
func AddDecayedWeightsOf[T Float](lambda float64) TransformOf[T] { return decay[T]{lambda} }

// Init checks λ ≥ 0; the stage keeps no state.
func (d decay[T]) Init(ParamsOf[T]) (StateOf[T], error) {
	return StateOf[T]{}, nonNegative("weight-decay", d.lambda)
}

// Update adds λ·w to every update.
func (d decay[T]) Update(u ParamsOf[T], s StateOf[T], params ParamsOf[T]) (StateOf[T], error) {
	lambda := T(d.lambda)
	for k, g := range u {
		w := params[k]
		if len(w) != len(g) {
			return s, fmt.Errorf("optimizers: weight decay: parameter %s has %d values, its update %d", lex.Quote(k), len(w), len(g))
		}
		for i := range g {
			g[i] += T(lambda * w[i])
		}
	}
	return s, nil
}
