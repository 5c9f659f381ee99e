package models

import (
	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Softmax is multinomial logistic regression: logits Z = X·W + b with W of
// shape (d,k) and b of shape (k), both zero at the start; the class
// probabilities are softmax(Z) row by row. Its prediction is the logits,
// to pair with the xent loss.
type Softmax struct{ Features, Classes int }

// Dims implements Sized.
func (m Softmax) Dims() (int, int) { return m.Features, m.Classes }

// Forward implements Model.
func (m Softmax) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if m.Features < 0 {
		return nil, checkPositive("softmax", "features", m.Features)
	}
	if err := checkPositive("softmax", "classes", m.Classes); err != nil {
		return nil, err
	}
	return affine(s, x, "softmax", m.Features, m.Classes)
}
