package nn

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// The activations are elementwise (softmax and log-softmax: along the last
// dimension) and have no parameters. Each is PyTorch's, derivative at the
// kinks included.

// ReLU is max(x, 0) (Nair & Hinton 2010); its derivative is 0 at x = 0.
type ReLU struct{}

// Forward implements Module.
func (ReLU) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) { return ops.ReLUExact(x) }

// LeakyReLU is x for x > 0, negative_slope·x otherwise (Maas et al. 2013).
type LeakyReLU struct {
	// NegativeSlope is 0.01 when nil; 0 is relu.
	NegativeSlope *float64 `arg:"negative_slope,pos"`
}

// Forward implements Module.
func (l *LeakyReLU) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) {
	a := 0.01
	if l.NegativeSlope != nil {
		a = *l.NegativeSlope
	}
	return ops.LeakyReLU(x, a)
}

// ELU is x for x > 0, α·(eˣ − 1) otherwise (Clevert et al. 2016).
type ELU struct {
	// Alpha is 1 when nil; 0 is relu.
	Alpha *float64 `arg:"alpha,pos"`
}

func (l *ELU) alpha() float64 {
	if l.Alpha == nil {
		return 1
	}
	return *l.Alpha
}

// Validate implements validator.
func (l *ELU) Validate() error {
	if a := l.alpha(); a < 0 || math.IsNaN(a) {
		return fmt.Errorf("alpha must be >= 0, got %v", a)
	}
	return nil
}

// Forward implements Module.
func (l *ELU) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) {
	return ops.ELU(x, l.alpha())
}

// GELU is the exact x·Φ(x) = ½·x·(1 + erf(x/√2)) (Hendrycks & Gimpel 2016).
type GELU struct{}

// Forward implements Module.
func (GELU) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) { return ops.GELU(x) }

// SiLU is x·σ(x) (Elfwing et al. 2018).
type SiLU struct{}

// Forward implements Module.
func (SiLU) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) { return ops.SiLU(x) }

// Tanh is the hyperbolic tangent.
type Tanh struct{}

// Forward implements Module.
func (Tanh) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) { return G.Tanh(x) }

// Sigmoid is σ(x) = 1/(1 + e^(−x)).
type Sigmoid struct{}

// Forward implements Module.
func (Sigmoid) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) { return G.Sigmoid(x) }

// Softmax is exp(xᵢ)/Σⱼ exp(xⱼ) along the last dimension of a (batch,
// classes) input (torch's dim=1 for it).
type Softmax struct{}

// Forward implements Module.
func (Softmax) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) {
	if x.Dims() != 2 {
		return nil, fmt.Errorf("softmax needs (batch, classes), got shape %v", x.Shape())
	}
	return G.SoftMax(x)
}

// LogSoftmax is log softmax(x) along the last dimension of a (batch,
// classes) input, computed as x − logsumexp(x).
type LogSoftmax struct{}

// Forward implements Module.
func (LogSoftmax) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) {
	if x.Dims() != 2 {
		return nil, fmt.Errorf("logsoftmax needs (batch, classes), got shape %v", x.Shape())
	}
	return G.LogSoftMax(x)
}
