package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Residual is the skip connection y = x + F(x) of He et al. (2016), F
// being Body, whose layers build in the residual's own scope (so
// residual(conv2d(8,3,padding=1) relu) at index 2 of a sequence has
// "2.0.weight"). F must keep x's shape.
type Residual struct {
	Body *Sequential `arg:"body,pos,req"`
}

// Forward implements Module.
func (r *Residual) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if r.Body == nil {
		return nil, fmt.Errorf("residual has no body")
	}
	f, err := r.Body.Forward(s, x)
	if err != nil {
		return nil, err
	}
	if !f.Shape().Eq(x.Shape()) {
		return nil, fmt.Errorf("its body turns shape %v into %v; a residual needs the same shape", x.Shape(), f.Shape())
	}
	return G.Add(x, f)
}
