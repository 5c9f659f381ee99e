package models

import (
	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Linear is ŷ = X·W + b with W of shape (d,1) and b of shape (1), both
// initialised to zero. Features is d (0: take it from X).
type Linear struct{ Features int }

// Dims implements Sized.
func (m Linear) Dims() (int, int) { return m.Features, 1 }

// Forward implements Model.
func (m Linear) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if m.Features < 0 {
		return nil, checkPositive("linear", "features", m.Features)
	}
	return affine(s, x, "linear", m.Features, 1)
}
