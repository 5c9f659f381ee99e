package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Param is a named learnable parameter: its shape and its initial values
// in row-major order. A nil Init means zeros.
type Param struct {
	Name  string
	Shape []int
	Init  []float64
}

// Size is the number of values in the parameter (1 for a scalar).
func (p Param) Size() int { return shapeSize(p.Shape) }

// Scope is what a model sees while it builds its graph: the graph, the dtype,
// the data placeholders and the parameter nodes. X is n×Features and Y is
// n×Targets; both are nil for an objective of the parameters alone.
type Scope struct {
	G      *G.ExprGraph
	Dtype  tensor.Dtype
	N      int // rows in this batch (0 without data)
	X, Y   *G.Node
	Params map[string]*G.Node
}

// Param returns the node of the named parameter, or an error naming it.
func (s *Scope) Param(name string) (*G.Node, error) {
	n, ok := s.Params[name]
	if !ok {
		return nil, fmt.Errorf("graph: no parameter %q", name)
	}
	return n, nil
}

// Spec describes a differentiable problem: parameters, data widths and the
// two halves of the expression.
type Spec struct {
	// Dtype is tensor.Float64 or tensor.Float32. The zero value means Float64.
	Dtype tensor.Dtype
	// Params are the learnable parameters, in a fixed order.
	Params []Param
	// Features and Targets are the columns of X and Y. Both are 0 for an
	// objective of the parameters alone.
	Features, Targets int
	// Forward builds the prediction from s.X and the parameters. For an
	// objective without data it builds the objective itself.
	Forward func(s *Scope) (*G.Node, error)
	// Loss turns the prediction and s.Y into a scalar. Nil means the
	// prediction is the loss (objectives without data).
	Loss func(s *Scope, pred *G.Node) (*G.Node, error)
	// RowMean declares that the loss is a mean over rows of per-row terms,
	// so a batch can be split into row blocks whose losses and gradients are
	// averaged with weights rows/n. All of Descent's built-in losses are.
	RowMean bool
}

func (s *Spec) dtype() tensor.Dtype {
	if s.Dtype == (tensor.Dtype{}) {
		return tensor.Float64
	}
	return s.Dtype
}

func (s *Spec) validate() error {
	dt := s.dtype()
	if dt != tensor.Float64 && dt != tensor.Float32 {
		return fmt.Errorf("graph: dtype must be float64 or float32, got %v", dt)
	}
	if len(s.Params) == 0 {
		return fmt.Errorf("graph: the problem has no parameters")
	}
	if s.Forward == nil {
		return fmt.Errorf("graph: the problem has no Forward function")
	}
	if s.Features < 0 || s.Targets < 0 {
		return fmt.Errorf("graph: Features and Targets must be >= 0, got %d and %d", s.Features, s.Targets)
	}
	seen := map[string]bool{}
	for _, p := range s.Params {
		if p.Name == "" {
			return fmt.Errorf("graph: a parameter has an empty name")
		}
		if seen[p.Name] {
			return fmt.Errorf("graph: parameter %q is declared twice", p.Name)
		}
		seen[p.Name] = true
		for _, d := range p.Shape {
			if d <= 0 {
				return fmt.Errorf("graph: parameter %q has shape %v; every dimension must be positive", p.Name, p.Shape)
			}
		}
		if p.Init != nil && len(p.Init) != p.Size() {
			return fmt.Errorf("graph: parameter %q has shape %v (%d values) but %d initial values", p.Name, p.Shape, p.Size(), len(p.Init))
		}
	}
	return nil
}

func shapeSize(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}
