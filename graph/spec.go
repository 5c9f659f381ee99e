package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Param is a named tensor of the problem: a learnable parameter, or a
// buffer (non-trainable state such as batch norm's running mean). Init
// holds its initial values in row-major order; nil means zeros.
type Param struct {
	Name  string
	Shape []int
	Init  []float64
}

// Size is the number of values in the parameter (1 for a scalar).
func (p Param) Size() int { return shapeSize(p.Shape) }

// MaxValues bounds the values of one parameter, buffer or batch tensor
// (2^31, 16 GiB of float64), so a hostile shape fails before anything is
// allocated.
const MaxValues = 1 << 31

// Spec describes a differentiable problem: its data shapes and the two
// halves of the expression. Parameters are declared by Forward through the
// Scope where they are used (Scope.Param); the engine finds them by
// building the graph once. Params may also list some up front.
type Spec struct {
	// Dtype is tensor.Float64 or tensor.Float32. The zero value means Float64.
	Dtype tensor.Dtype
	// Params are parameters declared up front, in addition to those that
	// Forward declares.
	Params []Param
	// Input and Target are the shapes of one row of X and of Y: X is
	// (n, Input...) and Y is (n, Target...). Both are nil for an objective
	// of the parameters alone.
	Input, Target []int
	// Forward builds the prediction from s.X and the parameters. For an
	// objective without data it builds the objective itself.
	Forward func(s *Scope) (*G.Node, error)
	// Loss turns the prediction and s.Y into a scalar. Nil means the
	// prediction is the loss (objectives without data).
	Loss func(s *Scope, pred *G.Node) (*G.Node, error)
	// RowMean declares that the loss is a mean over rows of per-row terms,
	// so a batch may be split into row blocks whose losses and gradients are
	// averaged with weights rows/n. A model that computes statistics across
	// rows (batch norm) vetoes the split through Scope.Batchwise.
	RowMean bool
	// Seed seeds the initializers of parameters declared by Forward. Each
	// parameter draws from its own stream, keyed by its full name, so adding
	// a layer does not change the others' initial values.
	Seed uint64
	// Budget bounds the values one compiled program holds (parameters,
	// data, every intermediate and gradient); 0 means DefaultBudget. A
	// model or batch past it fails with an error before anything is
	// allocated.
	Budget int
}

// DefaultBudget is the default bound on the values of one compiled
// program: 2^27, 1 GiB of float64.
const DefaultBudget = 1 << 27

func (s *Spec) budget() int {
	if s.Budget > 0 {
		return s.Budget
	}
	return DefaultBudget
}

// InputSize is the number of values in one row of X (0 without data).
func (s *Spec) InputSize() int { return dataSize(s.Input) }

// TargetSize is the number of values in one row of Y (0 without data).
func (s *Spec) TargetSize() int { return dataSize(s.Target) }

// HasData reports whether the problem takes data (X and Y).
func (s *Spec) HasData() bool { return s.Input != nil || s.Target != nil }

func dataSize(shape []int) int {
	if shape == nil {
		return 0
	}
	return shapeSize(shape)
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
	if s.Forward == nil {
		return fmt.Errorf("graph: the problem has no Forward function")
	}
	if err := checkShape("X row", s.Input); err != nil {
		return err
	}
	if err := checkShape("Y row", s.Target); err != nil {
		return err
	}
	if s.HasData() && (len(s.Input) == 0 || len(s.Target) == 0) {
		return fmt.Errorf("graph: a problem with data needs both an input shape and a target shape, got %v and %v", s.Input, s.Target)
	}
	seen := map[string]bool{}
	for _, p := range s.Params {
		if err := checkParam(p, "parameter"); err != nil {
			return err
		}
		if seen[p.Name] {
			return fmt.Errorf("graph: parameter %q is declared twice", p.Name)
		}
		seen[p.Name] = true
		if p.Init != nil && len(p.Init) != p.Size() {
			return fmt.Errorf("graph: parameter %q has shape %v (%d values) but %d initial values", p.Name, p.Shape, p.Size(), len(p.Init))
		}
	}
	return nil
}

func checkParam(p Param, what string) error {
	if p.Name == "" {
		return fmt.Errorf("graph: a %s has an empty name", what)
	}
	for _, d := range p.Shape {
		if d <= 0 {
			return fmt.Errorf("graph: %s %q has shape %v; every dimension must be positive", what, p.Name, p.Shape)
		}
	}
	if _, ok := checkedSize(p.Shape); !ok {
		return fmt.Errorf("graph: %s %q has shape %v, more than %d values", what, p.Name, p.Shape, MaxValues)
	}
	return nil
}

func checkShape(what string, shape []int) error {
	for _, d := range shape {
		if d <= 0 {
			return fmt.Errorf("graph: the %s shape %v has a dimension <= 0", what, shape)
		}
	}
	if _, ok := checkedSize(shape); !ok {
		return fmt.Errorf("graph: the %s shape %v has more than %d values", what, shape, MaxValues)
	}
	return nil
}

// checkedSize multiplies the dimensions, reporting false past MaxValues
// (or on a negative dimension) without overflowing.
func checkedSize(shape []int) (int, bool) {
	n := 1
	for _, d := range shape {
		if d < 0 || (d > 0 && n > MaxValues/d) {
			return 0, false
		}
		n *= d
	}
	return n, n <= MaxValues
}

func shapeSize(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}
