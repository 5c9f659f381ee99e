package ops

import (
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Dropout is inverted dropout (Srivastava et al. 2014), torch.nn.Dropout
// in training: each element of x is zeroed with probability p and the
// others are scaled by 1/(1−p), so the expectation is x:
//
//	y = x·keep/(1−p),  ∂x = ∂y·keep/(1−p)
//
// The mask is a pure function of (seed, step, element index): element i
// is kept when u(seed, step, i) ≥ p, u being uniform on [0,1) from a
// SplitMix64 counter stream (Steele, Lea & Flood 2014). step is a scalar
// node holding the training step, so a resumed run that restores the step
// count draws the same masks, and the gradient op redraws the forward
// op's mask instead of storing it. p = 0 returns x itself; p = 1 gives
// zeros. Gorgonia's own Dropout draws from a global source (gorgonia #69);
// this one is reproducible.
func Dropout(x, step *G.Node, p float64, seed uint64) (*G.Node, error) {
	if math.IsNaN(p) || p < 0 || p > 1 {
		return nil, fmt.Errorf("ops: dropout probability p must be in [0,1], got %v", p)
	}
	if !step.IsScalar() {
		return nil, fmt.Errorf("ops: dropout's step must be a scalar node, got shape %v", step.Shape())
	}
	if p == 0 {
		return x, nil
	}
	return apply(newDropout(false, p, seed, x.Dims()), x, step)
}

// DropoutKeep reports whether element i is kept by a dropout of
// probability p seeded with seed at step step: the mask Dropout applies.
func DropoutKeep(seed, step uint64, i int, p float64) bool {
	return uniform53(dropoutKey(seed, step), i) >= p
}

const splitMixGamma = 0x9e3779b97f4a7c15

// mix64 is SplitMix64's finalizer (Stafford's variant 13).
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// dropoutKey is the stream key of one (seed, step).
func dropoutKey(seed, step uint64) uint64 {
	return mix64(seed ^ mix64(step+splitMixGamma))
}

// uniform53 is the i-th value of the stream key, uniform on [0,1) with 53
// random bits.
func uniform53(key uint64, i int) float64 {
	return float64(mix64(key+uint64(i+1)*splitMixGamma)>>11) * 0x1p-53
}

// dropoutOp is the forward op (x, step) → y, or with grad set the
// gradient op (step, ∂y) → ∂x; both apply the same mask.
type dropoutOp struct {
	opBase
	grad bool
	p    float64
	seed uint64
	dims int
}

func newDropout(grad bool, p float64, seed uint64, dims int) *dropoutOp {
	name := "Dropout"
	if grad {
		name = "∂Dropout"
	}
	return &dropoutOp{opBase: opBase{fmt.Sprintf("%s{p=%v,seed=%d,%dd}", name, p, seed, dims)}, grad: grad, p: p, seed: seed, dims: dims}
}

func (o *dropoutOp) Arity() int { return 2 }

func (o *dropoutOp) Type() hm.Type {
	if o.grad {
		return fnType(o.dims, 0, o.dims)
	}
	return fnType(o.dims, o.dims, 0)
}

func (o *dropoutOp) DiffWRT(int) []bool { return []bool{!o.grad, false} }

// at returns the index of the tensor input and of the step.
func (o *dropoutOp) at() (x, step int) {
	if o.grad {
		return 1, 0
	}
	return 0, 1
}

func (o *dropoutOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(in)
	if err != nil {
		return nil, err
	}
	if len(s) != 2 {
		return nil, fmt.Errorf("ops: %s takes 2 inputs, got %d", o.name, len(s))
	}
	xi, si := o.at()
	if !s[si].IsScalar() && s[si].TotalSize() != 1 {
		return nil, fmt.Errorf("ops: %s: the step must be a scalar, got shape %v", o.name, s[si])
	}
	return s[xi].Clone(), nil
}

func (o *dropoutOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("ops: %s takes 2 inputs, got %d", o.name, len(in))
	}
	xi, _ := o.at()
	return doNative(in[xi].Shape(), dropoutKernel[float64](o), dropoutKernel[float32](o), in...)
}

// NativeKernel64 implements graph.Native.
func (o *dropoutOp) NativeKernel64([]tensor.Shape) (func([]float64, [][]float64) error, error) {
	return dropoutKernel[float64](o), nil
}

// NativeKernel32 implements graph.Native.
func (o *dropoutOp) NativeKernel32([]tensor.Shape) (func([]float32, [][]float32) error, error) {
	return dropoutKernel[float32](o), nil
}

func dropoutKernel[T Float](o *dropoutOp) func([]T, [][]T) error {
	xi, si := o.at()
	scale := 0.0
	if o.p < 1 {
		scale = 1 / (1 - o.p)
	}
	return func(out []T, in [][]T) error {
		st := float64(in[si][0])
		if st < 0 || st != math.Trunc(st) {
			return fmt.Errorf("ops: dropout's step must be a whole number >= 0, got %v", st)
		}
		key := dropoutKey(o.seed, uint64(st))
		for i, v := range in[xi] {
			if uniform53(key, i) >= o.p {
				out[i] = T(float64(v) * scale)
			} else {
				out[i] = 0
			}
		}
		return nil
	}
}

func (o *dropoutOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if o.grad {
		return nil, fmt.Errorf("ops: %s is not differentiable", o.name)
	}
	dx, err := apply(newDropout(true, o.p, o.seed, o.dims), in[1], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, nil}, nil
}
