package graph

import (
	"fmt"
	"strconv"
	"strings"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// kernel returns the code that computes node n (slot s) from the slots in.
// Inputs are read from p.vals at run time, because data slots and reshape
// aliases are rebound between runs; the output buffer is fixed.
func kernel[T Float](p *program[T], n *G.Node, s int, in []int) (func() error, error) {
	op := n.Op()
	name := op.String()
	out := p.vals[s]
	shapeOf := func(i int) tensor.Shape { return p.shapes[in[i]] }
	if f, err := nativeKernel(p, n, in, out); f != nil || err != nil {
		return f, err
	}
	switch fmt.Sprintf("%T", op) {
	case "gorgonia.constantScalar", "gorgonia.constantTensor":
		if v := n.Value(); v != nil {
			if err := fill(out, v); err != nil {
				return nil, fmt.Errorf("graph: constant %v: %w", n, err)
			}
		}
		return nil, nil
	case "gorgonia.reshapeOp":
		return func() error { p.vals[s] = p.vals[in[0]]; return nil }, nil
	case "gorgonia.sizeOp":
		if v, ok := strings.CutPrefix(name, "SizeOf="); ok {
			if k, err := strconv.Atoi(v); err == nil {
				out[0] = T(k)
				return nil, nil
			}
		}
	case "gorgonia.elemBinOp":
		f := strings.Fields(name)
		if len(f) == 2 && f[1] == "true" || len(f) == 2 && isArith(f[0]) {
			if code, ok := binCodes[f[0]]; ok {
				la, lb := sizeOf(p.shapes[in[0]]), sizeOf(p.shapes[in[1]])
				if (la == len(out) || la == 1) && (lb == len(out) || lb == 1) {
					return func() error { binary(code, out, p.vals[in[0]], p.vals[in[1]]); return nil }, nil
				}
			}
		}
	case "gorgonia.elemUnaryOp":
		// softplus keeps e^(−|x|), in float64, for a later sigmoid of the
		// same x (the bce loss and its gradient), so each element takes one
		// exp; the result is bit-identical to the uncached sigmoid, so the
		// order Gorgonia sorts the two nodes in does not matter.
		if name == "softplus" {
			e := make([]float64, len(out))
			p.expNegAbs[in[0]] = e
			return func() error { softplusKeep(out, e, p.vals[in[0]]); return nil }, nil
		}
		if e, ok := p.expNegAbs[in[0]]; ok && name == "sigmoid" {
			return func() error { sigmoidFrom(out, e, p.vals[in[0]]); return nil }, nil
		}
		if code, ok := unaryCodes[name]; ok {
			return func() error { unary(code, out, p.vals[in[0]]); return nil }, nil
		}
	case "gorgonia.minBetween", "gorgonia.maxBetween":
		if sizeOf(shapeOf(0)) == len(out) && sizeOf(shapeOf(1)) == len(out) {
			code := opMin
			if name == "MaxBetween" {
				code = opMax
			}
			return func() error { binary(code, out, p.vals[in[0]], p.vals[in[1]]); return nil }, nil
		}
	case "gorgonia.sumOp":
		if axes, ok := parseAxes(name, "Σ"); ok {
			if f := sumKernel(p, in[0], shapeOf(0), axes, out); f != nil {
				return f, nil
			}
		}
	case "*gorgonia.repeatOp", "gorgonia.repeatOp":
		if sizeOf(shapeOf(0)) == sizeOf(n.Shape()) && !p.targets[n] {
			// An identity repeat, like a reshape, aliases its input.
			p.vals[s] = p.vals[in[0]]
			return func() error { p.vals[s] = p.vals[in[0]]; return nil }, nil
		}
		if sizeOf(shapeOf(0)) == 1 && broadcastOnly(p, n) {
			// Every consumer broadcasts a single value itself: keep one.
			p.vals[s] = out[:1]
			return func() error { out[0] = p.vals[in[0]][0]; return nil }, nil
		}
		if f := repeatKernel(p, in[0], shapeOf(0), n.Shape(), out); f != nil {
			return f, nil
		}
	case "gorgonia.linAlgBinOp":
		tA := strings.HasPrefix(name, "Aᵀ") || strings.HasPrefix(name, "aᵀ")
		tB := strings.HasSuffix(name, "ᵀ")
		if f := linalgKernel(p, in, shapeOf(0), shapeOf(1), n.Shape(), tA, tB, out); f != nil {
			return f, nil
		}
	case "*gorgonia.softmaxOp":
		if axis, isLog, ok := parseSoftmax(name, "Softmax{"); ok {
			if rows, cols, ok := lastAxis(shapeOf(0), axis); ok {
				// Keep the probabilities, which the gradient needs.
				probs := make([]T, len(out))
				p.probs[s] = probs
				return func() error { softmax(out, probs, p.vals[in[0]], rows, cols, isLog); return nil }, nil
			}
		}
	case "*gorgonia.softmaxDiffOp":
		if axis, isLog, ok := parseSoftmax(name, "SoftmaxDiff{"); ok {
			if rows, cols, ok := lastAxis(shapeOf(0), axis); ok {
				if probs, ok := p.probs[in[1]]; ok {
					return func() error { softmaxDiff(out, probs, p.vals[in[2]], rows, cols, isLog); return nil }, nil
				}
			}
		}
	}
	return fallback(p, n, in, out), nil
}

// broadcastOnly reports whether n is read only by elementwise arithmetic
// kernels, which broadcast a one-value operand, and is not itself an output.
func broadcastOnly[T Float](p *program[T], n *G.Node) bool {
	if p.targets[n] || len(p.users[n]) == 0 {
		return false
	}
	for _, u := range p.users[n] {
		switch fmt.Sprintf("%T", u.Op()) {
		case "gorgonia.elemBinOp":
			if f := strings.Fields(u.Op().String()); len(f) != 2 || !isArith(f[0]) {
				return false
			}
		case "*gorgonia.repeatOp", "gorgonia.repeatOp", "gorgonia.reshapeOp":
			// Transparent when it only passes the value on: an identity
			// repeat or a reshape, itself read only by broadcasting kernels.
			if kids := children(p.g, u); len(kids) == 0 || sizeOf(kids[0].Shape()) != sizeOf(u.Shape()) || !broadcastOnly(p, u) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isArith(sym string) bool {
	switch sym {
	case "+", "-", "⊙", "÷", "^":
		return true
	}
	return false
}

// parseAxes reads "Σ[0 1]" as [0 1].
func parseAxes(name, prefix string) ([]int, bool) {
	rest, ok := strings.CutPrefix(name, prefix+"[")
	if !ok {
		return nil, false
	}
	rest, ok = strings.CutSuffix(rest, "]")
	if !ok {
		return nil, false
	}
	var axes []int
	for _, f := range strings.Fields(rest) {
		a, err := strconv.Atoi(f)
		if err != nil {
			return nil, false
		}
		axes = append(axes, a)
	}
	return axes, true
}

// parseSoftmax reads "Softmax{-1, true}()" as axis -1, log true.
func parseSoftmax(name, prefix string) (axis int, isLog, ok bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false, false
	}
	end := strings.Index(rest, "}")
	if end < 0 {
		return 0, false, false
	}
	f := strings.Split(rest[:end], ",")
	if len(f) != 2 {
		return 0, false, false
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(f[0]))
	l, err2 := strconv.ParseBool(strings.TrimSpace(f[1]))
	if err1 != nil || err2 != nil {
		return 0, false, false
	}
	return a, l, true
}

// lastAxis says whether axis is the last axis of a vector or matrix and
// returns the matrix as rows×cols.
func lastAxis(s tensor.Shape, axis int) (rows, cols int, ok bool) {
	switch len(s) {
	case 1:
		if axis == -1 || axis == 0 {
			return 1, s[0], true
		}
	case 2:
		if axis == -1 || axis == 1 {
			return s[0], s[1], true
		}
	}
	return 0, 0, false
}

// as2D views a scalar, vector or matrix shape as rows×cols, a vector being
// a column, as Gorgonia's repeat treats it.
func as2D(s tensor.Shape) (int, int, bool) {
	switch {
	case s.IsScalar():
		return 1, 1, true
	case len(s) == 1:
		return s[0], 1, true
	case len(s) == 2:
		return s[0], s[1], true
	}
	return 0, 0, false
}

func sumKernel[T Float](p *program[T], src int, s tensor.Shape, axes []int, out []T) func() error {
	rows, cols, ok := as2D(s)
	if !ok || len(s) > 2 {
		return nil
	}
	all := len(axes) == len(s) || (len(s) == 1 && len(axes) == 1 && axes[0] == 0)
	switch {
	case all:
		return func() error { out[0] = sum(p.vals[src]); return nil }
	case len(s) == 2 && len(axes) == 1 && axes[0] == 0:
		return func() error { colSums(out, p.vals[src], rows, cols); return nil }
	case len(s) == 2 && len(axes) == 1 && axes[0] == 1:
		return func() error { rowSums(out, p.vals[src], rows, cols); return nil }
	}
	return nil
}

func repeatKernel[T Float](p *program[T], src int, from, to tensor.Shape, out []T) func() error {
	r0, c0, ok0 := as2D(from)
	r1, c1, ok1 := as2D(to)
	if !ok0 || !ok1 || r1%r0 != 0 || c1%c0 != 0 {
		return nil
	}
	return func() error { repeat(out, p.vals[src], r0, c0, r1/r0, c1/c0); return nil }
}

// fallback runs any other op through its own Do, wrapping the input
// buffers as Gorgonia values and copying the result out. It allocates, so
// the common ops all have native kernels.
func fallback[T Float](p *program[T], n *G.Node, in []int, out []T) func() error {
	op := n.Op()
	return func() error {
		args := make([]G.Value, len(in))
		for i, s := range in {
			args[i] = asValue(p.vals[s], p.shapes[s])
		}
		v, err := doOp(op, args)
		if err != nil {
			return err
		}
		return fill(out, v)
	}
}

func doOp(op G.Op, args []G.Value) (v G.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return op.Do(args...)
}

func asValue[T Float](buf []T, s tensor.Shape) G.Value {
	switch b := any(buf).(type) {
	case []float64:
		if s.IsScalar() {
			return G.NewF64(b[0])
		}
		return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(append([]float64(nil), b...)))
	case []float32:
		if s.IsScalar() {
			return G.NewF32(b[0])
		}
		return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(append([]float32(nil), b...)))
	}
	return nil
}
