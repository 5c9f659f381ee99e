package nn

import (
	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Module is a piece of a network. Forward builds its output from x,
// declaring its parameters and buffers through s (already scoped to the
// module's name); s.Training says whether a training step is being built.
type Module interface {
	Forward(s *graph.Scope, x *G.Node) (*G.Node, error)
}

// validator is a module whose configuration can be checked before any
// graph is built.
type validator interface {
	Validate() error
}

// Validate checks a module's configuration, if it has a Validate method.
func Validate(m Module) error {
	if v, ok := m.(validator); ok {
		return v.Validate()
	}
	return nil
}
