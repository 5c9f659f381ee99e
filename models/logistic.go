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

// Params implements Model.
func (m Logistic) Params() []graph.Param { return Linear(m).Params() }

// Forward implements Model.
func (m Logistic) Forward(s *graph.Scope) (*G.Node, error) {
	if err := checkPositive("logistic", "features", m.Features); err != nil {
		return nil, err
	}
	return affine(s, s.X, "W", "b")
}
