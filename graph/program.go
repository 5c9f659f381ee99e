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

	params  []int    // slot of each parameter, in the engine's order (-1: unused)
	grads   []int    // slot of each parameter's gradient (training programs)
	buffers []int    // slot of each buffer, in the engine's order (-1: unused)
	updates []update // buffer updates a training step makes
	x, y    int      // slots of X and Y, -1 without data
	step    int      // slot of the step counter, -1 if unused
	loss    int      // slot of the scalar loss, -1 for forward-only programs
	pred    int      // slot of the prediction
	n       int      // rows

	batchwise bool // the build computes statistics across rows
	work      int  // multiply-adds of one run: its products and convolutions (nodeWork)

	users   map[*G.Node][]*G.Node // consumers of each node, while linking
	targets map[*G.Node]bool      // nodes read after a run

	expNegAbs map[int][]float64 // e^(−|x|) kept by softplus, by the slot of x
	probs     map[int][]T       // probabilities kept by softmax, by its slot
}

// update copies a training step's new value of a buffer into it.
type update struct{ slot, buffer int }

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

// decls are the parameters and buffers an engine adopted from its first
// build; every later build must declare the same ones.
type decls struct {
	params, buffers []Param
	batchwise       bool
}

// compile builds the graph for n rows, differentiates it when kind is
// kindTrain, prunes it to what kind needs and allocates every buffer. d is
// nil for the first build, which traces what Forward declares (returned
// in the builder). Panics from Gorgonia or from the model's own code
// become errors.
func compile[T Float](spec *Spec, d *decls, n int, kind programKind, reserve func(int) error) (p *program[T], b *builder, err error) {
	// Gorgonia's graph building touches package-level state (group
	// counters, node caches), so graphs are built one at a time.
	compileMu.Lock()
	defer compileMu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			p, b, err = nil, nil, fmt.Errorf("graph: building the graph for a batch of %d rows: %v", n, r)
		}
	}()
	dt := spec.dtype()
	g := G.NewGraph()
	s := newScope(g, dt, n, kind == kindTrain, spec.Seed)
	b = s.b
	for _, prm := range spec.Params {
		if _, err := s.Param(prm.Name, prm.Shape, nil); err != nil {
			return nil, nil, err
		}
	}
	if spec.HasData() {
		s.X = newNode(g, dt, append([]int{n}, spec.Input...), "X")
		s.Y = newNode(g, dt, append([]int{n}, spec.Target...), "Y")
	}
	pred, err := spec.Forward(s)
	if err != nil {
		return nil, nil, err
	}
	if pred == nil {
		return nil, nil, fmt.Errorf("graph: Forward returned no node")
	}
	params, buffers := b.params, b.buffers
	if d != nil {
		if msg := sameDecls("parameter", d.params, b.params); msg != "" {
			return nil, nil, fmt.Errorf("graph: %s (Forward must declare the same parameters in every build and mode)", msg)
		}
		if msg := sameDecls("buffer", d.buffers, b.buffers); msg != "" {
			return nil, nil, fmt.Errorf("graph: %s (Forward must declare the same buffers in every build and mode)", msg)
		}
		params, buffers = d.params, d.buffers
	}
	if len(params) == 0 {
		return nil, nil, fmt.Errorf("graph: the problem has no parameters")
	}
	pnodes := make(G.Nodes, len(params))
	for i, prm := range params {
		pnodes[i] = s.Params[prm.Name]
	}
	loss := pred
	if kind != kindPredict && spec.Loss != nil {
		if loss, err = spec.Loss(s, pred); err != nil {
			return nil, nil, err
		}
	}
	if kind != kindPredict && !loss.IsScalar() {
		return nil, nil, fmt.Errorf("graph: the loss must be a scalar, got shape %v", loss.Shape())
	}
	var grads G.Nodes
	if kind == kindTrain {
		if err := checkAffects(g, loss, pnodes, params); err != nil {
			return nil, nil, err
		}
		if grads, err = G.Grad(loss, pnodes...); err != nil {
			return nil, nil, fmt.Errorf("graph: differentiating the loss: %w (does every parameter affect the loss?)", err)
		}
		for i, gn := range grads {
			if !gn.Shape().Eq(pnodes[i].Shape()) && sizeOf(gn.Shape()) != sizeOf(pnodes[i].Shape()) {
				return nil, nil, fmt.Errorf("graph: Gorgonia's gradient of %s has shape %v, the parameter has shape %v", params[i].Name, gn.Shape(), pnodes[i].Shape())
			}
		}
	}
	targets := G.Nodes{pred}
	if kind != kindPredict {
		targets = append(targets, loss)
	}
	targets = append(targets, grads...)
	for _, name := range b.updateOrder {
		targets = append(targets, b.updates[name])
	}
	p, err = link[T](g, dt, targets, spec.budget(), reserve)
	if err != nil {
		return nil, nil, err
	}
	p.n = n
	p.x, p.y, p.loss, p.step = -1, -1, -1, -1
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
	if b.step != nil {
		p.step = p.slotOf(b.step)
	}
	p.params = make([]int, len(pnodes))
	for i, pn := range pnodes {
		p.params[i] = p.slotOf(pn)
	}
	p.buffers = make([]int, len(buffers))
	bufIndex := map[string]int{}
	for i, bf := range buffers {
		p.buffers[i] = p.slotOf(b.bufNodes[bf.Name])
		bufIndex[bf.Name] = i
	}
	for _, name := range b.updateOrder {
		p.updates = append(p.updates, update{slot: p.slotOf(b.updates[name]), buffer: bufIndex[name]})
	}
	if kind == kindTrain {
		p.grads = make([]int, len(grads))
		for i, gn := range grads {
			p.grads[i] = p.slotOf(gn)
		}
	}
	return p, b, nil
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
