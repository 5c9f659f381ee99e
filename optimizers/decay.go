package optimizers

import (
	"fmt"

	"github.com/descent-ml/descent/internal/lex"
)

// decay adds λ·w to the updates.
type decay struct{ lambda float64 }

var _ Transform = decay{}

// AddDecayedWeights adds weight decay to the updates: u ← u + λ·w.
//
// Placed before a rescaling stage it is coupled weight decay, the gradient
// of an L2 penalty (λ/2)‖w‖², as the weight_decay option of torch.optim's
// SGD, Adagrad, RMSprop and Adam: the decay is rescaled with the gradient.
// Placed after the rescaling stage and before ScaleByLearningRate it is
// decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight Decay
// Regularization", ICLR): w ← w − lr·(u + λw) = w·(1 − lr·λ) − lr·u, the
// update of torch.optim.AdamW.
func AddDecayedWeights(lambda float64) Transform { return decay{lambda} }

// Init checks λ ≥ 0; the stage keeps no state.
func (d decay) Init(Params) (State, error) {
	return State{}, nonNegative("weight-decay", d.lambda)
}

// Update adds λ·w to every update.
func (d decay) Update(u Params, s State, params Params) (State, error) {
	for k, g := range u {
		w := params[k]
		if len(w) != len(g) {
			return s, fmt.Errorf("optimizers: weight decay: parameter %s has %d values, its update %d", lex.Quote(k), len(w), len(g))
		}
		for i := range g {
			g[i] += d.lambda * w[i]
		}
	}
	return s, nil
}
