// Package models holds Descent's models: each is its named learnable
// parameters plus a forward function from X to a prediction, written as
// Gorgonia graph operations. No model has gradient code; gradients come
// from Gorgonia's reverse-mode differentiation in package graph.
package models

import (
	"gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Model is a set of named parameters and a forward expression.
type Model interface {
	// Params lists the learnable parameters with their shapes and initial values.
	Params() []graph.Param
	// Forward builds the prediction from s.X and the parameter nodes.
	Forward(s *graph.Scope) (*gorgonia.Node, error)
}

// Sized is a model that knows its input and output widths.
type Sized interface {
	// Dims returns the number of input features and of prediction columns.
	Dims() (inputs, outputs int)
}

var (
	_ Sized = Linear{}
	_ Sized = Poly{}
	_ Sized = Logistic{}
	_ Sized = Softmax{}
	_ Sized = (*MLP)(nil)
)
