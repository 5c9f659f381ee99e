package ops

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Float is the set of element types Descent's kernels run on.
type Float interface{ ~float32 | ~float64 }

// tensorType is the Gorgonia type of a value of rank dims whose element
// type is the type variable a.
func tensorType(dims int) hm.Type {
	a := hm.TypeVariable('a')
	if dims == 0 {
		return a
	}
	return G.TensorType{Dims: dims, Of: a}
}

// fnType is the type of an op from inputs of the given ranks to an output
// of rank out.
func fnType(out int, in ...int) hm.Type {
	ts := make([]hm.Type, 0, len(in)+1)
	for _, d := range in {
		ts = append(ts, tensorType(d))
	}
	return hm.NewFnType(append(ts, tensorType(out))...)
}

// opBase gives a custom op the methods Gorgonia needs that depend only on
// its name: hashing, and the analysis flags of a pure op that allocates
// its result.
type opBase struct{ name string }

func (o opBase) ReturnsPtr() bool      { return false }
func (o opBase) CallsExtern() bool     { return false }
func (o opBase) OverwritesInput() int  { return -1 }
func (o opBase) WriteHash(h hash.Hash) { fmt.Fprint(h, o.name) }
func (o opBase) String() string        { return o.name }
func (o opBase) Hashcode() uint32 {
	h := fnv.New32a()
	o.WriteHash(h)
	return h.Sum32()
}

// shapesOf turns InferShape's arguments into shapes.
func shapesOf(in []G.DimSizer) ([]tensor.Shape, error) {
	out := make([]tensor.Shape, len(in))
	for i, d := range in {
		s, ok := d.(tensor.Shape)
		if !ok {
			return nil, fmt.Errorf("ops: input %d has no shape", i)
		}
		out[i] = s
	}
	return out, nil
}

// valueData returns a Gorgonia value's backing slice and shape.
func valueData(v G.Value) (any, tensor.Shape, error) {
	switch t := v.(type) {
	case *tensor.Dense:
		return t.Data(), t.Shape(), nil
	case *G.F64:
		return []float64{float64(*t)}, tensor.Shape{}, nil
	case *G.F32:
		return []float32{float32(*t)}, tensor.Shape{}, nil
	}
	return nil, nil, fmt.Errorf("ops: unsupported value %T", v)
}

// doNative runs a kernel pair on Gorgonia values, for an op's Do (the path
// Gorgonia's own machines take). The result is a new dense tensor, or a
// scalar value for shape ().
func doNative(out tensor.Shape, k64 func([]float64, [][]float64) error, k32 func([]float32, [][]float32) error, in ...G.Value) (G.Value, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("ops: no inputs")
	}
	first, _, err := valueData(in[0])
	if err != nil {
		return nil, err
	}
	size := 1
	for _, d := range out {
		size *= d
	}
	switch first.(type) {
	case []float64:
		args := make([][]float64, len(in))
		for i, v := range in {
			d, _, err := valueData(v)
			if err != nil {
				return nil, err
			}
			s, ok := d.([]float64)
			if !ok {
				return nil, fmt.Errorf("ops: input %d is %T, input 0 is []float64", i, d)
			}
			args[i] = s
		}
		buf := make([]float64, size)
		if err := k64(buf, args); err != nil {
			return nil, err
		}
		if len(out) == 0 {
			return G.NewF64(buf[0]), nil
		}
		return tensor.New(tensor.WithShape(out.Clone()...), tensor.WithBacking(buf)), nil
	case []float32:
		args := make([][]float32, len(in))
		for i, v := range in {
			d, _, err := valueData(v)
			if err != nil {
				return nil, err
			}
			s, ok := d.([]float32)
			if !ok {
				return nil, fmt.Errorf("ops: input %d is %T, input 0 is []float32", i, d)
			}
			args[i] = s
		}
		buf := make([]float32, size)
		if err := k32(buf, args); err != nil {
			return nil, err
		}
		if len(out) == 0 {
			return G.NewF32(buf[0]), nil
		}
		return tensor.New(tensor.WithShape(out.Clone()...), tensor.WithBacking(buf)), nil
	}
	return nil, fmt.Errorf("ops: unsupported element type %T", first)
}

// apply builds op over the inputs, turning a Gorgonia panic into an error.
func apply(op G.Op, in ...*G.Node) (out *G.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("ops: %v: %v", op, r)
		}
	}()
	return G.ApplyOp(op, in...)
}
