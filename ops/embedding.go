package ops

import (
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Embedding looks up rows of weight (v, d) by integer ids held as floats
// in ids (any shape, (n) or (n, l) as a rule): the output has ids' shape
// followed by d, out[…, :] = weight[id, :], as torch.nn.Embedding. Its
// gradient with respect to weight scatter-adds the upstream gradient into
// the rows that were looked up; ids get no gradient. An id that is not an
// integer in [0, v) is an error when the op runs, naming the id and its
// row (the first index of ids).
func Embedding(ids, weight *G.Node) (*G.Node, error) {
	if weight.Dims() != 2 {
		return nil, fmt.Errorf("ops: embedding needs a weight (num_embeddings, embedding_dim), got shape %v", weight.Shape())
	}
	if ids.Dims() < 1 {
		return nil, fmt.Errorf("ops: embedding needs ids of rank >= 1, got a scalar")
	}
	return apply(newEmbedding(false, weight.Shape()[0], weight.Shape()[1], ids.Dims()), ids, weight)
}

// embeddingOp is the lookup (ids, weight) → out, or with grad set the
// scatter-add (ids, ∂out) → ∂weight.
type embeddingOp struct {
	opBase
	grad bool
	v, d int
	dims int // rank of ids
}

func newEmbedding(grad bool, v, d, dims int) *embeddingOp {
	name := "Embedding"
	if grad {
		name = "∂Embedding"
	}
	return &embeddingOp{opBase: opBase{fmt.Sprintf("%s{%d×%d,%dd}", name, v, d, dims)}, grad: grad, v: v, d: d, dims: dims}
}

func (o *embeddingOp) Arity() int { return 2 }

func (o *embeddingOp) Type() hm.Type {
	if o.grad {
		return fnType(2, o.dims, o.dims+1)
	}
	return fnType(o.dims+1, o.dims, 2)
}

func (o *embeddingOp) DiffWRT(int) []bool { return []bool{false, !o.grad} }

func (o *embeddingOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(in)
	if err != nil {
		return nil, err
	}
	return o.check(s)
}

// check validates the input shapes and returns the output's.
func (o *embeddingOp) check(s []tensor.Shape) (tensor.Shape, error) {
	if len(s) != 2 {
		return nil, fmt.Errorf("ops: %s takes 2 inputs, got %d", o.name, len(s))
	}
	ids := s[0]
	if len(ids) != o.dims {
		return nil, fmt.Errorf("ops: %s needs ids of rank %d, got shape %v", o.name, o.dims, ids)
	}
	look := append(ids.Clone(), o.d)
	if o.grad {
		if !s[1].Eq(look) {
			return nil, fmt.Errorf("ops: %s: the upstream gradient has shape %v, want %v", o.name, s[1], look)
		}
		return tensor.Shape{o.v, o.d}, nil
	}
	if len(s[1]) != 2 || s[1][0] != o.v || s[1][1] != o.d {
		return nil, fmt.Errorf("ops: %s: the weight has shape %v, want (%d, %d)", o.name, s[1], o.v, o.d)
	}
	return look, nil
}

func (o *embeddingOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("ops: %s takes 2 inputs, got %d", o.name, len(in))
	}
	shapes := []tensor.Shape{in[0].Shape(), in[1].Shape()}
	out, err := o.check(shapes)
	if err != nil {
		return nil, err
	}
	return doNative(out, embeddingKernel[float64](o, shapes[0]), embeddingKernel[float32](o, shapes[0]), in...)
}

// NativeKernel64 implements graph.Native.
func (o *embeddingOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	if _, err := o.check(in); err != nil {
		return nil, err
	}
	return embeddingKernel[float64](o, in[0]), nil
}

// NativeKernel32 implements graph.Native.
func (o *embeddingOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	if _, err := o.check(in); err != nil {
		return nil, err
	}
	return embeddingKernel[float32](o, in[0]), nil
}

func embeddingKernel[T Float](o *embeddingOp, ids tensor.Shape) func([]T, [][]T) error {
	perRow := 1
	for _, k := range ids[1:] {
		perRow *= k
	}
	d := o.d
	// index checks ids[i] and returns it as an int.
	index := func(id T, i int) (int, error) {
		f := float64(id)
		if f >= 0 && f < float64(o.v) && f == math.Trunc(f) {
			return int(f), nil
		}
		where := fmt.Sprintf("row %d", i/perRow)
		if len(ids) > 1 {
			where += fmt.Sprintf(", position %d", i%perRow)
		}
		return 0, fmt.Errorf("ops: embedding: %s holds id %v; ids must be integers in [0, %d)", where, f, o.v)
	}
	if o.grad {
		return func(out []T, in [][]T) error {
			clear(out)
			for i, id := range in[0] {
				k, err := index(id, i)
				if err != nil {
					return err
				}
				dst := out[k*d : (k+1)*d]
				for j, g := range in[1][i*d : (i+1)*d] {
					dst[j] += g
				}
			}
			return nil
		}
	}
	return func(out []T, in [][]T) error {
		for i, id := range in[0] {
			k, err := index(id, i)
			if err != nil {
				return err
			}
			copy(out[i*d:(i+1)*d], in[1][k*d:(k+1)*d])
		}
		return nil
	}
}

func (o *embeddingOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if o.grad {
		return nil, fmt.Errorf("ops: %s is not differentiable", o.name)
	}
	dw, err := apply(newEmbedding(true, o.v, o.d, o.dims), in[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{nil, dw}, nil
}
