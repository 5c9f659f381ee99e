package models

import (
	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Logistic is logistic regression: the logit z = X·W + b, with
// P(y=1|x) = σ(z). Its prediction is the logit, to pair with the bce loss
// computed from logits. W (d,1) and b (1) start at zero.
type Logistic struct{ Features int }

// Dims implements Sized.
func (m Logistic) Dims() (int, int) { return m.Features, 1 }

// Forward implements Model.
func (m Logistic) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if m.Features < 0 {
		return nil, checkPositive("logistic", "features", m.Features)
	}
	return affine(s, x, "logistic", m.Features, 1)
}
