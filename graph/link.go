package graph

import (
	"fmt"
	"strings"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// link prunes g to the ancestors of targets, gives each kept node a slot and
// a buffer, and turns each op node into a kernel.
func link[T Float](g *G.ExprGraph, dt tensor.Dtype, targets G.Nodes, budget int, reserve func(int) error) (*program[T], error) {
	sorted, err := G.Sort(g)
	if err != nil {
		return nil, fmt.Errorf("graph: sorting the graph: %w", err)
	}
	need := map[*G.Node]bool{}
	var visit func(n *G.Node)
	visit = func(n *G.Node) {
		if need[n] {
			return
		}
		need[n] = true
		for _, c := range children(g, n) {
			visit(c)
		}
	}
	for _, t := range targets {
		visit(t)
	}

	total, err := checkBudget(need, budget)
	if err != nil {
		return nil, err
	}
	if reserve != nil {
		if err := reserve(total); err != nil {
			return nil, err
		}
	}
	p := &program[T]{g: g, users: map[*G.Node][]*G.Node{}, targets: map[*G.Node]bool{},
		expNegAbs: map[int][]float64{}, probs: map[int][]T{}}
	for n := range need {
		for _, c := range children(g, n) {
			p.users[c] = append(p.users[c], n)
		}
	}
	for _, t := range targets {
		p.targets[t] = true
	}
	slot := map[*G.Node]int{}
	// G.Sort puts outputs first; walk it backwards so inputs come first.
	for i := len(sorted) - 1; i >= 0; i-- {
		n := sorted[i]
		if !need[n] {
			continue
		}
		if n.Dtype() != dt {
			return nil, fmt.Errorf("graph: node %v has dtype %v, the graph is %v", n, n.Dtype(), dt)
		}
		kids := children(g, n)
		in := make([]int, len(kids))
		for j, c := range kids {
			in[j] = slot[c]
		}
		s := len(p.code)
		slot[n] = s
		shape := n.Shape()
		p.shapes = append(p.shapes, shape)
		if placeholder(n) && sizeOf(shape) > 1 {
			p.vals = append(p.vals, nil) // bound to caller-owned storage before each run
		} else {
			p.vals = append(p.vals, make([]T, sizeOf(shape)))
		}
		p.code = append(p.code, instr[T]{node: n})
		if n.Op() == nil {
			if v := n.Value(); v != nil {
				if err := fill(p.vals[s], v); err != nil {
					return nil, fmt.Errorf("graph: input %v: %w", n, err)
				}
			}
			continue
		}
		run, err := kernel(p, n, s, in)
		if err != nil {
			return nil, err
		}
		p.code[s].run = run
		p.work += nodeWork(p, n, in)
	}
	for _, t := range targets {
		if _, ok := slot[t]; !ok {
			return nil, fmt.Errorf("graph: node %v is not part of the graph", t)
		}
	}
	return p, nil
}

func children(g *G.ExprGraph, n *G.Node) []*G.Node {
	it := g.From(n.ID())
	var out []*G.Node
	for it.Next() {
		out = append(out, it.Node().(*G.Node))
	}
	return out
}

func sizeOf(s tensor.Shape) int {
	if s.IsScalar() {
		return 1
	}
	return s.TotalSize()
}

// fill copies a Gorgonia value (a scalar or a dense tensor) into buf.
func fill[T Float](buf []T, v G.Value) error {
	switch d := v.Data().(type) {
	case float64:
		buf[0] = T(d)
	case float32:
		buf[0] = T(d)
	case []float64:
		if len(d) != len(buf) {
			return fmt.Errorf("value has %d elements, want %d", len(d), len(buf))
		}
		for i, x := range d {
			buf[i] = T(x)
		}
	case []float32:
		if len(d) != len(buf) {
			return fmt.Errorf("value has %d elements, want %d", len(d), len(buf))
		}
		for i, x := range d {
			buf[i] = T(x)
		}
	case int:
		buf[0] = T(d)
	default:
		return fmt.Errorf("unsupported value type %T", d)
	}
	return nil
}

// placeholder reports whether n is an input the caller binds: data,
// parameters, buffers. Its storage is the caller's, not the program's.
func placeholder(n *G.Node) bool { return n.Op() == nil && n.Value() == nil }

// checkBudget refuses a program whose buffers would hold more than budget
// values, naming its largest node, before anything is allocated; it
// returns the values the program allocates.
func checkBudget(need map[*G.Node]bool, budget int) (int, error) {
	total := 0
	var big *G.Node
	bigSize := 0
	for n := range need {
		sz, ok := checkedSize(n.Shape())
		if !ok {
			return 0, fmt.Errorf("graph: node %v has shape %v, more than %d values", n.Name(), n.Shape(), MaxValues)
		}
		if placeholder(n) {
			continue
		}
		if sz > bigSize {
			big, bigSize = n, sz
		}
		total += sz
		if total > budget {
			return 0, fmt.Errorf("graph: the model needs more than %d values (%d MiB of float64) for one batch; its largest tensor is %s with shape %v (%d values): use a smaller model or batch", budget, budget>>17, big.Name(), big.Shape(), bigSize)
		}
	}
	return total, nil
}

// costed is an op that says how many multiply-adds its kernel does on
// inputs of the given shapes (ops' convolutions and matrix products).
type costed interface {
	MultiplyAdds(in []tensor.Shape) int
}

// nodeWork is the multiply-adds of node n's kernel: a costed op's own
// count, m·n·k for Gorgonia's matrix products, and one per output value for
// everything else. The executor sizes its split of a batch with it.
func nodeWork[T Float](p *program[T], n *G.Node, in []int) int {
	shapes := make([]tensor.Shape, len(in))
	for i, s := range in {
		shapes[i] = p.shapes[s]
	}
	if c, ok := n.Op().(costed); ok {
		return c.MultiplyAdds(shapes)
	}
	out := sizeOf(n.Shape())
	if fmt.Sprintf("%T", n.Op()) == "gorgonia.linAlgBinOp" && len(shapes) == 2 && len(shapes[0]) == 2 {
		k := shapes[0][1]
		if strings.HasPrefix(n.Op().String(), "Aᵀ") {
			k = shapes[0][0]
		}
		return out * k
	}
	return out
}
