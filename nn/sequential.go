package nn

import (
	"encoding/json"
	"fmt"
	"strconv"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Sequential applies its layers in order, as torch.nn.Sequential does:
// layer i builds under the name i, so its parameters are "i.weight",
// "i.bias", … Every layer takes an index, activations and flatten
// included. An error names the layer: "layer 5 linear(10): …".
type Sequential struct {
	Layers []Module
}

var _ Module = (*Sequential)(nil)

// Seq returns a Sequential of the given layers.
func Seq(layers ...Module) *Sequential { return &Sequential{Layers: layers} }

// Forward implements Module.
func (q *Sequential) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if len(q.Layers) == 0 {
		return nil, fmt.Errorf("nn: an empty Sequential")
	}
	for i, l := range q.Layers {
		y, err := forward(l, s.In(strconv.Itoa(i)), x)
		if err != nil {
			return nil, fmt.Errorf("layer %s %s: %w", s.Name(strconv.Itoa(i)), describe(l), err)
		}
		x = y
	}
	return x, nil
}

// forward runs a module, turning a panic in graph building into an error.
func forward(m Module, s *graph.Scope, x *G.Node) (y *G.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			y, err = nil, fmt.Errorf("%v", r)
		}
	}()
	y, err = m.Forward(s, x)
	if err == nil && y == nil {
		err = fmt.Errorf("Forward returned no node")
	}
	return y, err
}

// describe names a module for an error message: its grammar form when it
// is registered, its Go type otherwise.
func describe(m Module) string {
	if _, ok := m.(*Sequential); ok {
		return "sequential"
	}
	if s, err := Format(m); err == nil {
		return s
	}
	return fmt.Sprintf("%T", m)
}

// Validate checks every layer.
func (q *Sequential) Validate() error {
	for i, l := range q.Layers {
		if err := Validate(l); err != nil {
			return fmt.Errorf("layer %d %s: %w", i, describe(l), err)
		}
	}
	return nil
}

// String is the sequence in the layer grammar (or Go types for layers
// that are not registered).
func (q *Sequential) String() string {
	s, err := Format(q)
	if err != nil {
		return fmt.Sprintf("%v", q.Layers)
	}
	return s
}

// MarshalJSON writes the sequence as its grammar string, so a module
// holding a Sequential saves its architecture.
func (q *Sequential) MarshalJSON() ([]byte, error) {
	s, err := Format(q)
	if err != nil {
		return nil, err
	}
	return json.Marshal(s)
}

// UnmarshalJSON reads a grammar string.
func (q *Sequential) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("nn: a sequence is stored as its layer string: %w", err)
	}
	p, err := Parse(s)
	if err != nil {
		return err
	}
	*q = *p
	return nil
}
