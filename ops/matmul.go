package ops

import (
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MatMul is the matrix product C = op(A)·op(B), where op(X) is X or Xᵀ:
// Linear's x·Wᵀ is MatMul(x, W, false, true). It is a custom Gorgonia op
// whose gradients are again MatMuls,
//
//	C = A·B:   ∂A = ∂C·Bᵀ,  ∂B = Aᵀ·∂C
//	C = A·Bᵀ:  ∂A = ∂C·B,   ∂B = ∂Cᵀ·A
//	C = Aᵀ·B:  ∂A = B·∂Cᵀ,  ∂B = A·∂C
//	C = Aᵀ·Bᵀ: ∂A = Bᵀ·∂Cᵀ, ∂B = ∂Cᵀ·Aᵀ
//
// and whose kernels are one GEMM each, with the transposes folded in, so
// no transposed copy is ever made.
func MatMul(a, b *G.Node, transA, transB bool) (*G.Node, error) {
	if a.Dims() != 2 || b.Dims() != 2 {
		return nil, fmt.Errorf("ops: matmul needs two matrices, got shapes %v and %v", a.Shape(), b.Shape())
	}
	op := newMatMul(transA, transB)
	if _, err := op.InferShape(a.Shape(), b.Shape()); err != nil {
		return nil, err
	}
	return apply(op, a, b)
}

type matMulOp struct {
	opBase
	ta, tb bool
}

func newMatMul(ta, tb bool) *matMulOp {
	name := "MatMul{"
	if ta {
		name += "Aᵀ"
	} else {
		name += "A"
	}
	if tb {
		name += "·Bᵀ}"
	} else {
		name += "·B}"
	}
	return &matMulOp{opBase: opBase{name}, ta: ta, tb: tb}
}

// dims returns m, k (from A) and k2, n (from B).
func (o *matMulOp) dims(a, b tensor.Shape) (m, k, k2, n int) {
	m, k = a[0], a[1]
	if o.ta {
		m, k = k, m
	}
	k2, n = b[0], b[1]
	if o.tb {
		k2, n = n, k2
	}
	return
}

func (o *matMulOp) Arity() int         { return 2 }
func (o *matMulOp) Type() hm.Type      { return fnType(2, 2, 2) }
func (o *matMulOp) DiffWRT(int) []bool { return []bool{true, true} }

func (o *matMulOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(in)
	if err != nil {
		return nil, err
	}
	if len(s) != 2 || len(s[0]) != 2 || len(s[1]) != 2 {
		return nil, fmt.Errorf("ops: matmul needs two matrices, got %v", s)
	}
	m, k, k2, n := o.dims(s[0], s[1])
	if k != k2 {
		return nil, fmt.Errorf("ops: matmul of %v and %v (%s): inner sizes %d and %d differ", s[0], s[1], o.name, k, k2)
	}
	return tensor.Shape{m, n}, nil
}

func (o *matMulOp) Do(in ...G.Value) (G.Value, error) {
	out, err := o.InferShape(in[0].Shape(), in[1].Shape())
	if err != nil {
		return nil, err
	}
	k64, err := o.NativeKernel64([]tensor.Shape{in[0].Shape(), in[1].Shape()})
	if err != nil {
		return nil, err
	}
	k32, err := o.NativeKernel32([]tensor.Shape{in[0].Shape(), in[1].Shape()})
	if err != nil {
		return nil, err
	}
	return doNative(out, k64, k32, in...)
}

// NativeKernel64 implements graph.Native.
func (o *matMulOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return matMulKernel[float64](o, in)
}

// NativeKernel32 implements graph.Native.
func (o *matMulOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return matMulKernel[float32](o, in)
}

func matMulKernel[T Float](o *matMulOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("ops: matmul takes 2 inputs, got %d", len(in))
	}
	if _, err := o.InferShape(in[0], in[1]); err != nil {
		return nil, err
	}
	m, k, _, n := o.dims(in[0], in[1])
	return func(out []T, x [][]T) error {
		mm(o.ta, o.tb, m, n, k, 1, x[0], x[1], 0, out)
		return nil
	}, nil
}

// MultiplyAdds is m·n·k, by which the executor sizes its split of a batch.
func (o *matMulOp) MultiplyAdds(in []tensor.Shape) int {
	if len(in) != 2 || len(in[0]) != 2 || len(in[1]) != 2 {
		return 0
	}
	m, k, _, n := o.dims(in[0], in[1])
	return m * n * k
}

func (o *matMulOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	a, b := in[0], in[1]
	var da, db *G.Node
	var err error
	switch {
	case !o.ta && !o.tb:
		if da, err = MatMul(grad, b, false, true); err == nil {
			db, err = MatMul(a, grad, true, false)
		}
	case !o.ta && o.tb:
		if da, err = MatMul(grad, b, false, false); err == nil {
			db, err = MatMul(grad, a, true, false)
		}
	case o.ta && !o.tb:
		if da, err = MatMul(b, grad, false, true); err == nil {
			db, err = MatMul(a, grad, false, false)
		}
	default:
		if da, err = MatMul(b, grad, true, true); err == nil {
			db, err = MatMul(grad, a, true, true)
		}
	}
	if err != nil {
		return nil, err
	}
	return G.Nodes{da, db}, nil
}
