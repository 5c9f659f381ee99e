package graph

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Init draws a parameter's initial values, row-major, for its shape. rng is
// the parameter's own stream (seeded from Spec.Seed and the full name).
// A nil Init means zeros.
type Init func(shape []int, rng *rand.Rand) []float64

// Scope is what a model sees while it builds its graph: the graph, the
// dtype, the batch, the mode, and a name prefix under which it declares
// its parameters and buffers. X is (n, Input...) and Y is (n, Target...);
// both are nil for an objective of the parameters alone.
//
// Names nest with "." as the separator: s.In("conv1").Param("weight", …)
// declares "conv1.weight", as in a PyTorch state_dict.
type Scope struct {
	G     *G.ExprGraph
	Dtype tensor.Dtype
	N     int // rows in this batch (0 without data)
	X, Y  *G.Node
	// Training is true while a training step's graph is built (dropout
	// drops, batch norm uses and updates batch statistics) and false for
	// evaluation and prediction.
	Training bool
	// Params holds every parameter node declared so far, by full name.
	Params map[string]*G.Node

	prefix string
	b      *builder
}

// builder is the state shared by every Scope of one graph build.
type builder struct {
	params, buffers []Param // in declaration order
	inits           map[string]Init
	bufNodes        map[string]*G.Node
	updates         map[string]*G.Node
	updateOrder     []string
	batchwise       bool
	step            *G.Node
	baseSeed        uint64
}

func newScope(g *G.ExprGraph, dt tensor.Dtype, n int, training bool, seed uint64) *Scope {
	return &Scope{G: g, Dtype: dt, N: n, Training: training, Params: map[string]*G.Node{},
		b: &builder{inits: map[string]Init{}, bufNodes: map[string]*G.Node{}, updates: map[string]*G.Node{}, baseSeed: seed}}
}

// In returns a scope whose names are prefixed with name and ".".
func (s *Scope) In(name string) *Scope {
	c := *s
	c.prefix = s.Name(name)
	return &c
}

// Name returns the full name of name in this scope.
func (s *Scope) Name(name string) string {
	if s.prefix == "" {
		return name
	}
	return s.prefix + "." + name
}

// Prefix is the scope's own full name ("" at the top).
func (s *Scope) Prefix() string { return s.prefix }

// Param declares the learnable parameter name in this scope, with its
// shape and initializer, and returns its node. Declaring the same name
// again returns the same node; the shape must agree.
func (s *Scope) Param(name string, shape []int, init Init) (*G.Node, error) {
	full := s.Name(name)
	if n, ok := s.Params[full]; ok {
		if shape != nil && !slices.Equal(n.Shape(), tensor.Shape(shape)) && !(len(shape) == 0 && n.IsScalar()) {
			return nil, fmt.Errorf("graph: parameter %q is declared with shape %v, and again with %v", full, []int(n.Shape()), shape)
		}
		return n, nil
	}
	if _, ok := s.b.bufNodes[full]; ok {
		return nil, fmt.Errorf("graph: %q is declared both as a buffer and as a parameter", full)
	}
	p := Param{Name: full, Shape: slices.Clone(shape)}
	if err := checkParam(p, "parameter"); err != nil {
		return nil, err
	}
	n := newNode(s.G, s.Dtype, shape, full)
	s.Params[full] = n
	s.b.params = append(s.b.params, p)
	s.b.inits[full] = init
	return n, nil
}

// Lookup returns the node of a parameter declared earlier, by full name.
func (s *Scope) Lookup(name string) (*G.Node, error) {
	n, ok := s.Params[name]
	if !ok {
		return nil, fmt.Errorf("graph: no parameter %q", name)
	}
	return n, nil
}

// Buffer declares non-trainable state (batch norm's running statistics)
// under name in this scope and returns its node. Buffers are saved and
// loaded with the parameters; optimizers never see them. Their values
// change only through Update.
func (s *Scope) Buffer(name string, shape []int, init Init) (*G.Node, error) {
	full := s.Name(name)
	if n, ok := s.b.bufNodes[full]; ok {
		return n, nil
	}
	if _, ok := s.Params[full]; ok {
		return nil, fmt.Errorf("graph: %q is declared both as a parameter and as a buffer", full)
	}
	p := Param{Name: full, Shape: slices.Clone(shape)}
	if err := checkParam(p, "buffer"); err != nil {
		return nil, err
	}
	n := newNode(s.G, s.Dtype, shape, full)
	s.b.bufNodes[full] = n
	s.b.buffers = append(s.b.buffers, p)
	s.b.inits[full] = init
	return n, nil
}

// Update sets the value buffer name (in this scope) takes after a training
// step: value is computed by the step's graph. It is an error outside
// training, and a buffer may be updated once per step. A model with
// updates is never split into row blocks.
func (s *Scope) Update(name string, value *G.Node) error {
	full := s.Name(name)
	buf, ok := s.b.bufNodes[full]
	if !ok {
		return fmt.Errorf("graph: update of %q, which is not a declared buffer", full)
	}
	if !s.Training {
		return fmt.Errorf("graph: buffer %q can only be updated in training", full)
	}
	if _, dup := s.b.updates[full]; dup {
		return fmt.Errorf("graph: buffer %q is updated twice in one step", full)
	}
	if sizeOf(value.Shape()) != sizeOf(buf.Shape()) {
		return fmt.Errorf("graph: buffer %q has shape %v, its update has shape %v", full, buf.Shape(), value.Shape())
	}
	s.b.updates[full] = value
	s.b.updateOrder = append(s.b.updateOrder, full)
	s.b.batchwise = true
	return nil
}

// Batchwise declares that the model computes statistics across the rows
// of a batch, so the batch must never be split into row blocks.
func (s *Scope) Batchwise() { s.b.batchwise = true }

// Step returns a scalar node holding the number of training steps the
// engine has taken before this one (0 on the first). Stochastic layers
// (dropout) draw from a stream keyed by it, so a resumed run that restores
// the step count draws the same masks.
func (s *Scope) Step() *G.Node {
	if s.b.step == nil {
		s.b.step = G.NewScalar(s.G, s.Dtype, G.WithName("step"))
	}
	return s.b.step
}

// Seed returns a seed for a stochastic layer named by this scope: the
// engine's Spec.Seed mixed with the scope's name.
func (s *Scope) Seed() uint64 { return streamKey(s.b.baseSeed, s.prefix) }

// streamKey mixes a seed with a name into a stream key.
func streamKey(seed uint64, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return seed ^ h.Sum64()*0x9e3779b97f4a7c15
}

// initValues draws the initial values of p with its initializer.
func initValues(p Param, init Init, seed uint64) ([]float64, error) {
	if init == nil {
		return make([]float64, p.Size()), nil
	}
	rng := rand.New(rand.NewPCG(seed, streamKey(seed, p.Name)))
	v := init(slices.Clone(p.Shape), rng)
	if len(v) != p.Size() {
		return nil, fmt.Errorf("graph: the initializer of %q returned %d values for shape %v (%d values)", p.Name, len(v), p.Shape, p.Size())
	}
	return v, nil
}

// sameDecls reports how two declaration lists differ, "" if they agree.
func sameDecls(what string, want, got []Param) string {
	w := map[string][]int{}
	for _, p := range want {
		w[p.Name] = p.Shape
	}
	for _, p := range got {
		s, ok := w[p.Name]
		if !ok {
			return fmt.Sprintf("%s %q was not declared when the model was first built", what, p.Name)
		}
		if !slices.Equal(s, p.Shape) {
			return fmt.Sprintf("%s %q has shape %v, but %v when the model was first built", what, p.Name, p.Shape, s)
		}
		delete(w, p.Name)
	}
	for name := range w {
		return fmt.Sprintf("%s %q is not declared in this build (it was when the model was first built)", what, name)
	}
	return ""
}

// NewScope returns a top-level scope on g, for building a model's graph
// outside an Engine (to run it on Gorgonia's own machines, say). Nodes
// already in Params are returned by Param under their names.
func NewScope(g *G.ExprGraph, dt tensor.Dtype, n int, training bool) *Scope {
	return newScope(g, dt, n, training, 0)
}
