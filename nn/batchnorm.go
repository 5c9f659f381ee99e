package nn

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// BatchNorm1d is torch.nn.BatchNorm1d (Ioffe & Szegedy 2015) over a
// (batch, features) or (batch, channels, length) input; num_features is
// inferred from dimension 1. See BatchNorm2d for what it computes.
type BatchNorm1d struct {
	// Eps is added to the variance; 0 means 1e-5.
	Eps float64 `arg:"eps"`
	// Momentum m of the running statistics, running ← (1−m)·running +
	// m·batch; nil means 0.1.
	Momentum *float64 `arg:"momentum"`
	// Affine adds the learnable weight γ (ones) and bias β (zeros); nil
	// means true.
	Affine *bool `arg:"affine"`
	// TrackRunningStats keeps running_mean, running_var and
	// num_batches_tracked and normalizes with them in evaluation; nil
	// means true. Without them, batch statistics are used in both modes.
	TrackRunningStats *bool `arg:"track_running_stats"`
}

// BatchNorm2d is torch.nn.BatchNorm2d over (batch, channels, height,
// width) images; num_features is the channel count, inferred.
//
// In training each channel is normalized with its batch mean μ and biased
// variance σ² over the batch and the spatial positions,
// y = γ·(x − μ)/√(σ² + ε) + β, and the running statistics are updated with
// the unbiased variance: running_mean ← (1−m)·running_mean + m·μ,
// running_var ← (1−m)·running_var + m·σ²·M/(M−1), num_batches_tracked ← +1.
// In evaluation the running statistics replace the batch's. Parameters
// weight and bias and buffers running_mean, running_var and
// num_batches_tracked carry torch's state_dict names. A training batch
// is never split into row blocks.
type BatchNorm2d struct {
	// Eps is added to the variance; 0 means 1e-5.
	Eps float64 `arg:"eps"`
	// Momentum m of the running statistics; nil means 0.1.
	Momentum *float64 `arg:"momentum"`
	// Affine adds weight and bias; nil means true.
	Affine *bool `arg:"affine"`
	// TrackRunningStats keeps the running statistics; nil means true.
	TrackRunningStats *bool `arg:"track_running_stats"`
}

var (
	_ Module = (*BatchNorm1d)(nil)
	_ Module = (*BatchNorm2d)(nil)
)

// Validate implements validator.
func (b *BatchNorm1d) Validate() error { return bnConfig(b.Eps, b.Momentum) }

// Validate implements validator.
func (b *BatchNorm2d) Validate() error { return bnConfig(b.Eps, b.Momentum) }

func bnConfig(eps float64, mom *float64) error {
	if eps < 0 || math.IsNaN(eps) || math.IsInf(eps, 0) {
		return fmt.Errorf("eps must be a finite number > 0, got %v", eps)
	}
	if mom != nil && (*mom < 0 || *mom > 1 || math.IsNaN(*mom)) {
		return fmt.Errorf("momentum must be in [0,1], got %v", *mom)
	}
	return nil
}

// Forward implements Module.
func (b *BatchNorm1d) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if d := x.Dims(); d != 2 && d != 3 {
		return nil, fmt.Errorf("batchnorm1d needs (batch, features) or (batch, channels, length), got shape %v", x.Shape())
	}
	return batchNorm(s, x, b.Eps, b.Momentum, b.Affine, b.TrackRunningStats)
}

// Forward implements Module.
func (b *BatchNorm2d) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if x.Dims() != 4 {
		return nil, fmt.Errorf("batchnorm2d needs (batch, channels, height, width), got shape %v", x.Shape())
	}
	return batchNorm(s, x, b.Eps, b.Momentum, b.Affine, b.TrackRunningStats)
}

func batchNorm(s *graph.Scope, x *G.Node, eps float64, momentum *float64, affine, track *bool) (*G.Node, error) {
	if err := bnConfig(eps, momentum); err != nil {
		return nil, err
	}
	if eps == 0 {
		eps = 1e-5
	}
	mom := 0.1
	if momentum != nil {
		mom = *momentum
	}
	c := x.Shape()[1]
	var w, bias *G.Node
	var err error
	if affine == nil || *affine {
		if w, err = s.Param("weight", []int{c}, Constant(1)); err != nil {
			return nil, err
		}
		if bias, err = s.Param("bias", []int{c}, nil); err != nil {
			return nil, err
		}
	}
	if track != nil && !*track {
		s.Batchwise()
		return ops.BatchNormTrain(x, w, bias, eps)
	}
	rm, err := s.Buffer("running_mean", []int{c}, nil)
	if err != nil {
		return nil, err
	}
	rv, err := s.Buffer("running_var", []int{c}, Constant(1))
	if err != nil {
		return nil, err
	}
	nbt, err := s.Buffer("num_batches_tracked", []int{}, nil)
	if err != nil {
		return nil, err
	}
	if !s.Training {
		return ops.BatchNormEval(x, rm, rv, w, bias, eps)
	}
	s.Batchwise()
	y, err := ops.BatchNormTrain(x, w, bias, eps)
	if err != nil {
		return nil, err
	}
	newMean, err := ops.BatchNormRunning(rm, x, mom, false)
	if err != nil {
		return nil, err
	}
	newVar, err := ops.BatchNormRunning(rv, x, mom, true)
	if err != nil {
		return nil, err
	}
	count, err := G.Add(nbt, scalarLike(s, 1))
	if err != nil {
		return nil, err
	}
	for _, u := range []struct {
		name string
		v    *G.Node
	}{{"running_mean", newMean}, {"running_var", newVar}, {"num_batches_tracked", count}} {
		if err := s.Update(u.name, u.v); err != nil {
			return nil, err
		}
	}
	return y, nil
}

// scalarLike is a scalar constant of the scope's dtype.
func scalarLike(s *graph.Scope, v float64) *G.Node {
	if s.Dtype == tensor.Float32 {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}
