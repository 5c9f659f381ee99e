package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// Linear is torch.nn.Linear: y = x·Wᵀ + b over the last dimension, with
// weight W of shape (out_features, in_features) and bias b of shape
// (out_features). in_features is inferred from the input. Both start from
// U(±1/√in_features) (kaiming_uniform_ with a = √5).
type Linear struct {
	OutFeatures int `arg:"out_features,pos,req"`
	// Bias adds b; nil means true.
	Bias *bool `arg:"bias"`
}

// Validate implements validator.
func (l *Linear) Validate() error {
	if l.OutFeatures <= 0 || l.OutFeatures > 1<<24 {
		return fmt.Errorf("out_features must be in [1, %d], got %d", 1<<24, l.OutFeatures)
	}
	return nil
}

// Forward implements Module.
func (l *Linear) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	sh := x.Shape()
	if len(sh) < 2 {
		return nil, fmt.Errorf("its input has shape %v; linear needs (batch, features)", sh)
	}
	in := sh[len(sh)-1]
	w, err := s.Param("weight", []int{l.OutFeatures, in}, KaimingUniform(in))
	if err != nil {
		return nil, err
	}
	x2 := x
	if len(sh) > 2 {
		if x2, err = G.Reshape(x, []int{sh[:len(sh)-1].TotalSize(), in}); err != nil {
			return nil, err
		}
	}
	y, err := ops.MatMul(x2, w, false, true)
	if err != nil {
		return nil, err
	}
	if l.Bias == nil || *l.Bias {
		b, err := s.Param("bias", []int{l.OutFeatures}, KaimingUniform(in))
		if err != nil {
			return nil, err
		}
		if y, err = G.BroadcastAdd(y, b, nil, []byte{0}); err != nil {
			return nil, err
		}
	}
	if len(sh) > 2 {
		out := append(append([]int{}, sh[:len(sh)-1]...), l.OutFeatures)
		return G.Reshape(y, out)
	}
	return y, nil
}
