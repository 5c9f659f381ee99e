// Package models holds Descent's models: each is a forward function from
// X to a prediction, written as Gorgonia graph operations, that declares
// its parameters where it uses them. No model has gradient code; gradients
// come from Gorgonia's reverse-mode differentiation in package graph.
package models

import (
	"github.com/descent-ml/descent/nn"
)

// Model is a module whose Forward builds the prediction from the data
// node x (nil for an objective of the parameters alone).
type Model = nn.Module

// Sized is a model that knows its input and output widths, so that a
// Problem needs no Input and Target shapes for it.
type Sized interface {
	// Dims returns the number of input features and of prediction columns.
	Dims() (inputs, outputs int)
}

// Seeded is a model that carries the seed of its initial values.
type Seeded interface {
	InitSeed() uint64
}

var (
	_ Sized = Linear{}
	_ Sized = Poly{}
	_ Sized = Logistic{}
	_ Sized = Softmax{}
	_ Sized = (*MLP)(nil)
)
