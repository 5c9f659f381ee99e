package models

import (
	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Linear is ŷ = X·W + b with W of shape (d,1) and b of shape (1), both
// initialised to zero.
type Linear struct{ Features int }

// Dims implements Sized.
func (m Linear) Dims() (int, int) { return m.Features, 1 }

// Params implements Model.
func (m Linear) Params() []graph.Param {
	return []graph.Param{{Name: "W", Shape: []int{m.Features, 1}}, {Name: "b", Shape: []int{1}}}
}

// Forward implements Model.
func (m Linear) Forward(s *graph.Scope) (*G.Node, error) {
	if err := checkPositive("linear", "features", m.Features); err != nil {
		return nil, err
	}
	return affine(s, s.X, "W", "b")
}
