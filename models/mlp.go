package models

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/nn"
)

// MLP is a multilayer perceptron: the layer sequence
// linear(H1) act linear(H2) act … linear(Outputs), the last layer left
// linear (logits or a regression output). Its parameters carry PyTorch's
// names for that nn.Sequential: "0.weight", "0.bias", "2.weight", …, each
// weight (out, in) and every value drawn from U(±1/√in), PyTorch's default,
// from Seed.
type MLP struct {
	Features, Outputs int
	Hidden            []int
	// Activation is relu, tanh or sigmoid; "" means relu.
	Activation string
	// Seed seeds the initial weights.
	Seed uint64

	seq *nn.Sequential
}

// NewMLP validates the sizes and builds the layer sequence.
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
	if len(hidden) > 64 {
		return nil, fmt.Errorf("models: mlp has %d hidden layers, at most 64 are allowed", len(hidden))
	}
	for i, h := range hidden {
		if h <= 0 || h > 1<<16 {
			return nil, fmt.Errorf("models: mlp hidden layer %d must have 1 to %d units, got %d", i+1, 1<<16, h)
		}
	}
	m := &MLP{Features: features, Outputs: outputs, Hidden: append([]int(nil), hidden...), Activation: activation, Seed: seed}
	m.seq = &nn.Sequential{}
	for _, h := range hidden {
		act, err := nn.New(activation)
		if err != nil {
			return nil, err
		}
		m.seq.Layers = append(m.seq.Layers, &nn.Linear{OutFeatures: h}, act)
	}
	m.seq.Layers = append(m.seq.Layers, &nn.Linear{OutFeatures: outputs})
	return m, nil
}

// Dims implements Sized.
func (m *MLP) Dims() (int, int) { return m.Features, m.Outputs }

// InitSeed implements Seeded.
func (m *MLP) InitSeed() uint64 { return m.Seed }

// Sequence is the MLP as an nn.Sequential.
func (m *MLP) Sequence() *nn.Sequential { return m.seq }

// Forward implements Model.
func (m *MLP) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if m.seq == nil {
		return nil, fmt.Errorf("models: an MLP must be made with NewMLP")
	}
	if x == nil || x.Dims() != 2 || x.Shape()[1] != m.Features {
		return nil, fmt.Errorf("models: mlp takes X of shape (rows, %d), got %v", m.Features, shapeOf(x))
	}
	return m.seq.Forward(s, x)
}
