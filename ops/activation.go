package ops

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Activation is an elementwise (or, for softmax, row-wise) nonlinearity.
type Activation func(x *G.Node) (*G.Node, error)

// Sigmoid is σ(x) = 1/(1+e^(−x)).
func Sigmoid(x *G.Node) (*G.Node, error) { return G.Sigmoid(x) }

// Tanh is the hyperbolic tangent.
func Tanh(x *G.Node) (*G.Node, error) { return G.Tanh(x) }

// ReLU is max(x, 0) (Nair & Hinton 2010), with derivative 1 for x ≥ 0.
func ReLU(x *G.Node) (*G.Node, error) { return G.Rectify(x) }

// Softmax is exp(xᵢ)/Σⱼexp(xⱼ) along each row of a matrix.
func Softmax(x *G.Node) (*G.Node, error) { return G.SoftMax(x) }

// ActivationByName returns relu, tanh, sigmoid or softmax.
func ActivationByName(name string) (Activation, error) {
	switch name {
	case "relu":
		return ReLU, nil
	case "tanh":
		return Tanh, nil
	case "sigmoid":
		return Sigmoid, nil
	case "softmax":
		return Softmax, nil
	}
	return nil, fmt.Errorf("ops: unknown activation %q (want relu, tanh, sigmoid or softmax)", name)
}
