package models

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// affine builds X·W + b with W of shape (in, out) and b of shape (out),
// both starting at zero, broadcasting the bias over the rows. want is the
// model's declared feature count (0: take X's).
func affine(s *graph.Scope, x *G.Node, model string, want, out int) (y *G.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			y, err = nil, fmt.Errorf("models: %s: %v·W + b: %v", model, x.Shape(), r)
		}
	}()
	if x == nil || x.Dims() != 2 {
		var sh any = "none"
		if x != nil {
			sh = x.Shape()
		}
		return nil, fmt.Errorf("models: %s needs X of shape (rows, features), got %v", model, sh)
	}
	in := x.Shape()[1]
	if want > 0 && in != want {
		return nil, fmt.Errorf("models: X has shape %v but W has shape (%d, %d): %d features against %d", x.Shape(), want, out, in, want)
	}
	W, err := s.Param("W", []int{in, out}, nil)
	if err != nil {
		return nil, err
	}
	B, err := s.Param("b", []int{out}, nil)
	if err != nil {
		return nil, err
	}
	return G.BroadcastAdd(G.Must(G.Mul(x, W)), B, nil, []byte{0})
}

func checkPositive(model, what string, v int) error {
	if v <= 0 {
		return fmt.Errorf("models: %s needs %s > 0, got %d", model, what, v)
	}
	return nil
}
