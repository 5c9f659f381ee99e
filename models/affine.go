package models

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// affine builds X·W + b, broadcasting the bias vector over the rows.
func affine(s *graph.Scope, x *G.Node, w, b string) (out *G.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("models: %v·%s + %s: %v", x.Shape(), w, b, r)
		}
	}()
	W, err := s.Param(w)
	if err != nil {
		return nil, err
	}
	B, err := s.Param(b)
	if err != nil {
		return nil, err
	}
	if x.Shape()[1] != W.Shape()[0] {
		return nil, fmt.Errorf("models: X has shape %v but %s has shape %v: %d features against %d", x.Shape(), w, W.Shape(), x.Shape()[1], W.Shape()[0])
	}
	return G.BroadcastAdd(G.Must(G.Mul(x, W)), B, nil, []byte{0})
}

func checkPositive(model, what string, v int) error {
	if v <= 0 {
		return fmt.Errorf("models: %s needs %s > 0, got %d", model, what, v)
	}
	return nil
}
