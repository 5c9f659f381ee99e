package nn

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// LayerNorm is torch.nn.LayerNorm over the last dimension (Ba, Kiros &
// Hinton 2016), normalized_shape being the input's last size, inferred:
// y = (x − μ)/√(σ² + ε)·γ + β with the mean and biased variance of each
// row. Parameters weight γ (ones) and bias β (zeros) have the last
// dimension's size. It behaves the same in training and evaluation, and
// rows are independent, so batches may be split.
type LayerNorm struct {
	// Eps is added to the variance; 0 means 1e-5.
	Eps float64 `arg:"eps"`
	// ElementwiseAffine adds weight and bias; nil means true.
	ElementwiseAffine *bool `arg:"elementwise_affine"`
}

var _ Module = (*LayerNorm)(nil)

// Validate implements validator.
func (l *LayerNorm) Validate() error {
	if l.Eps < 0 || math.IsNaN(l.Eps) || math.IsInf(l.Eps, 0) {
		return fmt.Errorf("eps must be a finite number > 0, got %v", l.Eps)
	}
	return nil
}

// Forward implements Module.
func (l *LayerNorm) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if x.Dims() < 2 {
		return nil, fmt.Errorf("layernorm needs (batch, …, features), got shape %v", x.Shape())
	}
	eps := l.Eps
	if eps == 0 {
		eps = 1e-5
	}
	if l.ElementwiseAffine != nil && !*l.ElementwiseAffine {
		return ops.LayerNorm(x, nil, nil, eps)
	}
	d := x.Shape()[x.Dims()-1]
	w, err := s.Param("weight", []int{d}, Constant(1))
	if err != nil {
		return nil, err
	}
	b, err := s.Param("bias", []int{d}, nil)
	if err != nil {
		return nil, err
	}
	return ops.LayerNorm(x, w, b, eps)
}
