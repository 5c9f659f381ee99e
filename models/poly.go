package models

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
)

// Poly is a polynomial of degree K in one feature x:
// ŷ = b + Σₖ Wₖ·xᵏ for k = 1..K, W of shape (K,1) and b of shape (1), both
// zero at the start. The powers [x, x², …, xᴷ] are built in the graph.
type Poly struct{ Degree int }

// Dims implements Sized.
func (m Poly) Dims() (int, int) { return 1, 1 }

// Forward implements Model.
func (m Poly) Forward(s *graph.Scope, x *G.Node) (out *G.Node, err error) {
	if err := checkPositive("poly", "degree", m.Degree); err != nil {
		return nil, err
	}
	if x == nil || x.Dims() != 2 || x.Shape()[1] != 1 {
		return nil, fmt.Errorf("models: poly:%d takes one feature, X has shape %v", m.Degree, shapeOf(x))
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("models: poly: %v", r)
		}
	}()
	exps := make([]float64, m.Degree)
	for k := range exps {
		exps[k] = float64(k + 1)
	}
	var e *G.Node
	if s.Dtype == tensor.Float32 {
		e32 := make([]float32, m.Degree)
		for k, v := range exps {
			e32[k] = float32(v)
		}
		e = s.G.Constant(tensor.New(tensor.WithShape(1, m.Degree), tensor.WithBacking(e32)))
	} else {
		e = s.G.Constant(tensor.New(tensor.WithShape(1, m.Degree), tensor.WithBacking(exps)))
	}
	// Φ[i,k] = X[i,0]^(k+1): X repeated across, exponents repeated down.
	phi := G.Must(G.BroadcastPow(x, e, []byte{1}, []byte{0}))
	return affine(s, phi, fmt.Sprintf("poly:%d", m.Degree), m.Degree, 1)
}

func shapeOf(x *G.Node) any {
	if x == nil {
		return "none"
	}
	return x.Shape()
}
