package graph

import (
	"fmt"
	"sync"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var compileMu sync.Mutex

// Float is the set of element types a program runs on.
type Float interface{ ~float32 | ~float64 }

// program is one compiled, differentiated graph for one batch size: every
// needed node has a slot holding a buffer that is reused on every run, and
// code is the list of kernels in topological order.
type program[T Float] struct {
	g      *G.ExprGraph
	vals   [][]T
	shapes []tensor.Shape
	code   []instr[T]

	params []int // slot of each parameter, in Spec order
	grads  []int // slot of each parameter's gradient (training programs)
	x, y   int   // slots of X and Y, -1 without data
	loss   int   // slot of the scalar loss, -1 for forward-only programs
	pred   int   // slot of the prediction
	n      int   // rows

	users   map[*G.Node][]*G.Node // consumers of each node, while linking
	targets map[*G.Node]bool      // nodes read after a run

	expNegAbs map[int][]float64 // e^(−|x|) kept by softplus, by the slot of x
	probs     map[int][]T       // probabilities kept by softmax, by its slot
}

type instr[T Float] struct {
	node *G.Node
	run  func() error
}

// programKind says what a compiled program computes.
type programKind int

const (
	kindTrain   programKind = iota // loss and parameter gradients
	kindEval                       // loss only
	kindPredict                    // prediction only
)

// compile builds the graph for n rows, differentiates it when kind is
// kindTrain, prunes it to what kind needs and allocates every buffer.
// Panics from Gorgonia or from the model's own code become errors.
func compile[T Float](spec *Spec, n int, kind programKind) (p *program[T], err error) {
	// Gorgonia's graph building touches package-level state (group
	// counters, node caches), so graphs are built one at a time.
	compileMu.Lock()
	defer compileMu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("graph: building the graph for a batch of %d rows: %v", n, r)
		}
	}()
	dt := spec.dtype()
	g := G.NewGraph()
	s := &Scope{G: g, Dtype: dt, N: n, Params: make(map[string]*G.Node, len(spec.Params))}
	pnodes := make(G.Nodes, len(spec.Params))
	for i, prm := range spec.Params {
		pnodes[i] = newNode(g, dt, prm.Shape, prm.Name)
		s.Params[prm.Name] = pnodes[i]
	}
	if spec.Features > 0 {
		s.X = newNode(g, dt, []int{n, spec.Features}, "X")
	}
	if spec.Targets > 0 {
		s.Y = newNode(g, dt, []int{n, spec.Targets}, "Y")
	}
	pred, err := spec.Forward(s)
	if err != nil {
		return nil, err
	}
	if pred == nil {
		return nil, fmt.Errorf("graph: Forward returned no node")
	}
	loss := pred
	if kind != kindPredict && spec.Loss != nil {
		if loss, err = spec.Loss(s, pred); err != nil {
			return nil, err
		}
	}
	if kind != kindPredict && !loss.IsScalar() {
		return nil, fmt.Errorf("graph: the loss must be a scalar, got shape %v", loss.Shape())
	}
	var grads G.Nodes
	if kind == kindTrain {
		if err := checkAffects(g, loss, pnodes, spec.Params); err != nil {
			return nil, err
		}
		if grads, err = G.Grad(loss, pnodes...); err != nil {
			return nil, fmt.Errorf("graph: differentiating the loss: %w (does every parameter affect the loss?)", err)
		}
		for i, gn := range grads {
			if !gn.Shape().Eq(pnodes[i].Shape()) && sizeOf(gn.Shape()) != sizeOf(pnodes[i].Shape()) {
				return nil, fmt.Errorf("graph: Gorgonia's gradient of %s has shape %v, the parameter has shape %v", spec.Params[i].Name, gn.Shape(), pnodes[i].Shape())
			}
		}
	}
	targets := G.Nodes{pred}
	if kind != kindPredict {
		targets = append(targets, loss)
	}
	targets = append(targets, grads...)
	p, err = link[T](g, dt, targets)
	if err != nil {
		return nil, err
	}
	p.n = n
	p.x, p.y, p.loss = -1, -1, -1
	p.pred = p.slotOf(pred)
	if kind != kindPredict {
		p.loss = p.slotOf(loss)
	}
	if s.X != nil {
		p.x = p.slotOf(s.X)
	}
	if s.Y != nil {
		p.y = p.slotOf(s.Y)
	}
	p.params = make([]int, len(pnodes))
	for i, pn := range pnodes {
		p.params[i] = p.slotOf(pn)
	}
	if kind == kindTrain {
		p.grads = make([]int, len(grads))
		for i, gn := range grads {
			p.grads[i] = p.slotOf(gn)
		}
	}
	return p, nil
}

func newNode(g *G.ExprGraph, dt tensor.Dtype, shape []int, name string) *G.Node {
	switch len(shape) {
	case 0:
		return G.NewScalar(g, dt, G.WithName(name))
	case 1:
		return G.NewVector(g, dt, G.WithShape(shape...), G.WithName(name))
	case 2:
		return G.NewMatrix(g, dt, G.WithShape(shape...), G.WithName(name))
	default:
		return G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName(name))
	}
}

// slotOf returns the slot of a node that link kept; -1 if it was pruned or
// is not part of the graph (a node Forward left dangling).
func (p *program[T]) slotOf(n *G.Node) int {
	for i, in := range p.code {
		if in.node == n {
			return i
		}
	}
	return -1
}

// run executes every kernel once. A kernel that panics (a BLAS length
// check, say) becomes an error naming its op.
func (p *program[T]) run() (err error) {
	i := 0
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("graph: running %v: %v", p.code[i].node.Op(), r)
		}
	}()
	for i = range p.code {
		if f := p.code[i].run; f != nil {
			if err = f(); err != nil {
				return fmt.Errorf("graph: running %v: %w", p.code[i].node.Op(), err)
			}
		}
	}
	return nil
}

// bind points a data slot at caller-owned storage, without copying.
func (p *program[T]) bind(slot int, v []T) { p.vals[slot] = v }

// checkAffects names the first parameter the loss does not depend on, which
// Gorgonia would only report as a non-differentiable map.
func checkAffects(g *G.ExprGraph, loss *G.Node, pnodes G.Nodes, params []Param) error {
	seen := map[*G.Node]bool{}
	stack := []*G.Node{loss}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		stack = append(stack, children(g, n)...)
	}
	for i, pn := range pnodes {
		if !seen[pn] {
			return fmt.Errorf("graph: parameter %q (shape %v) does not affect the loss, so it has no gradient", params[i].Name, params[i].Shape)
		}
	}
	return nil
}
