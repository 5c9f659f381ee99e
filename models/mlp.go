package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// MLP is a multilayer perceptron with layers W1,b1,…,WL,bL, Wi of shape
// (in,out), each applied as X·Wi + bi, the hidden layers followed by the
// activation and the last one left linear (logits or a regression output).
//
// Weights start from a seeded draw: He et al. (2015) normal N(0, 2/in) for
// relu, Glorot & Bengio (2010) uniform U(±√(6/(in+out))) for tanh and
// sigmoid. Biases start at zero. The same seed gives the same weights.
type MLP struct {
	Features, Outputs int
	Hidden            []int
	// Activation is relu, tanh or sigmoid; "" means relu.
	Activation string
	// Seed seeds the initial weights.
	Seed uint64

	params []graph.Param
}

// NewMLP validates the sizes and draws the initial weights.
func NewMLP(features, outputs int, hidden []int, activation string, seed uint64) (*MLP, error) {
	if activation == "" {
		activation = "relu"
	}
	if activation != "relu" && activation != "tanh" && activation != "sigmoid" {
		return nil, fmt.Errorf("models: mlp activation must be relu, tanh or sigmoid, got %q", activation)
	}
	if err := checkPositive("mlp", "features", features); err != nil {
		return nil, err
	}
	if err := checkPositive("mlp", "outputs", outputs); err != nil {
		return nil, err
	}
	for i, h := range hidden {
		if h <= 0 {
			return nil, fmt.Errorf("models: mlp hidden layer %d must have > 0 units, got %d", i+1, h)
		}
	}
	m := &MLP{Features: features, Outputs: outputs, Hidden: append([]int(nil), hidden...), Activation: activation, Seed: seed}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	sizes := append(append([]int{features}, hidden...), outputs)
	for l := 0; l+1 < len(sizes); l++ {
		in, out := sizes[l], sizes[l+1]
		w := make([]float64, in*out)
		for i := range w {
			if activation == "relu" {
				w[i] = rng.NormFloat64() * math.Sqrt(2/float64(in))
			} else {
				a := math.Sqrt(6 / float64(in+out))
				w[i] = (2*rng.Float64() - 1) * a
			}
		}
		m.params = append(m.params,
			graph.Param{Name: fmt.Sprintf("W%d", l+1), Shape: []int{in, out}, Init: w},
			graph.Param{Name: fmt.Sprintf("b%d", l+1), Shape: []int{out}})
	}
	return m, nil
}

// Dims implements Sized.
func (m *MLP) Dims() (int, int) { return m.Features, m.Outputs }

// Params implements Model.
func (m *MLP) Params() []graph.Param { return m.params }

// Forward implements Model.
func (m *MLP) Forward(s *graph.Scope) (*G.Node, error) {
	act, err := ops.ActivationByName(m.Activation)
	if err != nil {
		return nil, err
	}
	h := s.X
	layers := len(m.params) / 2
	for l := 1; l <= layers; l++ {
		if h, err = affine(s, h, fmt.Sprintf("W%d", l), fmt.Sprintf("b%d", l)); err != nil {
			return nil, err
		}
		if l < layers {
			if h, err = act(h); err != nil {
				return nil, err
			}
		}
	}
	return h, nil
}
