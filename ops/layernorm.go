package ops

import (
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LayerNorm normalizes each row of x over its last dimension d (Ba, Kiros
// & Hinton 2016), with the biased variance, as torch.nn.LayerNorm:
//
//	μ = Σx/d, σ² = Σ(x−μ)²/d, r = 1/√(σ² + ε), x̂ = (x−μ)·r
//	y = x̂·γ + β
//	∂x = r·(g − Σg/d − x̂·Σ(g·x̂)/d), g = γ·∂y
//	∂γ = Σ_rows ∂y·x̂, ∂β = Σ_rows ∂y
//
// gamma and beta have shape (d); both nil for elementwise_affine=false.
// Its gradients are custom ops too.
func LayerNorm(x, gamma, beta *G.Node, eps float64) (*G.Node, error) {
	if !(eps > 0) || math.IsInf(eps, 0) {
		return nil, fmt.Errorf("ops: layer norm eps must be a finite number > 0, got %v", eps)
	}
	if (gamma == nil) != (beta == nil) {
		return nil, fmt.Errorf("ops: layer norm takes both gamma and beta or neither")
	}
	if x.Dims() < 1 {
		return nil, fmt.Errorf("ops: layer norm needs an input of rank >= 1, got a scalar")
	}
	if gamma == nil {
		return apply(newLN(lnForward, eps, false, x.Dims()), x)
	}
	return apply(newLN(lnForward, eps, true, x.Dims()), x, gamma, beta)
}

type lnKind int

const (
	lnForward   lnKind = iota // (x [, γ, β]) → y
	lnGradX                   // (x [, γ], ∂y) → ∂x
	lnGradGamma               // (x, ∂y) → ∂γ
	lnSumDy                   // (∂y) → ∂β
)

var lnNames = [...]string{"LayerNorm", "∂xLayerNorm", "∂γLayerNorm", "ΣLayerNorm"}

type lnOp struct {
	opBase
	kind   lnKind
	eps    float64
	affine bool
	dims   int
}

func newLN(k lnKind, eps float64, affine bool, dims int) *lnOp {
	return &lnOp{opBase: opBase{fmt.Sprintf("%s{eps=%v,affine=%v,%dd}", lnNames[k], eps, affine, dims)},
		kind: k, eps: eps, affine: affine, dims: dims}
}

func (o *lnOp) ranks() (in []int, out int) {
	d := o.dims
	switch o.kind {
	case lnForward:
		if o.affine {
			return []int{d, 1, 1}, d
		}
		return []int{d}, d
	case lnGradX:
		if o.affine {
			return []int{d, 1, d}, d
		}
		return []int{d, d}, d
	case lnGradGamma:
		return []int{d, d}, 1
	default:
		return []int{d}, 1
	}
}

func (o *lnOp) Arity() int {
	in, _ := o.ranks()
	return len(in)
}

func (o *lnOp) Type() hm.Type {
	in, out := o.ranks()
	return fnType(out, in...)
}

func (o *lnOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	if o.kind == lnForward {
		for i := range d {
			d[i] = true
		}
	}
	return d
}

// layout checks the shapes and returns x's as rows × d.
func (o *lnOp) layout(in []tensor.Shape) (rows, d int, err error) {
	ranks, _ := o.ranks()
	if len(in) != len(ranks) {
		return 0, 0, fmt.Errorf("ops: %s takes %d inputs, got %d", o.name, len(ranks), len(in))
	}
	x := in[0]
	if len(x) != o.dims || len(x) < 1 {
		return 0, 0, fmt.Errorf("ops: %s needs an input of rank %d, got shape %v", o.name, o.dims, x)
	}
	d = x[len(x)-1]
	rows = 1
	for _, k := range x[:len(x)-1] {
		rows *= k
	}
	for i, r := range ranks {
		switch {
		case r == 1 && (len(in[i]) != 1 || in[i][0] != d):
			return 0, 0, fmt.Errorf("ops: %s: input %d has shape %v, want (%d) for an input of shape %v", o.name, i, in[i], d, x)
		case r == o.dims && !in[i].Eq(x):
			return 0, 0, fmt.Errorf("ops: %s: input %d has shape %v, want %v", o.name, i, in[i], x)
		}
	}
	return rows, d, nil
}

func (o *lnOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(in)
	if err != nil {
		return nil, err
	}
	_, d, err := o.layout(s)
	if err != nil {
		return nil, err
	}
	if _, out := o.ranks(); out == 1 {
		return tensor.Shape{d}, nil
	}
	return s[0].Clone(), nil
}

func (o *lnOp) Do(in ...G.Value) (G.Value, error) {
	shapes := make([]tensor.Shape, len(in))
	dims := make([]G.DimSizer, len(in))
	for i, v := range in {
		shapes[i] = v.Shape()
		dims[i] = v.Shape()
	}
	out, err := o.InferShape(dims...)
	if err != nil {
		return nil, err
	}
	k64, err := o.NativeKernel64(shapes)
	if err != nil {
		return nil, err
	}
	k32, err := o.NativeKernel32(shapes)
	if err != nil {
		return nil, err
	}
	return doNative(out, k64, k32, in...)
}

// NativeKernel64 implements graph.Native.
func (o *lnOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return lnKernel[float64](o, in)
}

// NativeKernel32 implements graph.Native.
func (o *lnOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return lnKernel[float32](o, in)
}

func (o *lnOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if o.kind != lnForward {
		return nil, fmt.Errorf("ops: %s is not differentiable", o.name)
	}
	mk := func(k lnKind, args ...*G.Node) (*G.Node, error) {
		return apply(newLN(k, o.eps, o.affine, o.dims), args...)
	}
	x := in[0]
	if !o.affine {
		dx, err := mk(lnGradX, x, grad)
		return G.Nodes{dx}, err
	}
	dx, err := mk(lnGradX, x, in[1], grad)
	if err != nil {
		return nil, err
	}
	dg, err := mk(lnGradGamma, x, grad)
	if err != nil {
		return nil, err
	}
	db, err := mk(lnSumDy, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dg, db}, nil
}

// rowMoments returns the mean of a row and 1/√(σ² + ε), σ² the biased
// variance, summing in float64 in two passes.
func rowMoments[T Float](x []T, eps float64) (mean, inv float64) {
	for _, v := range x {
		mean += float64(v)
	}
	mean /= float64(len(x))
	var ss float64
	for _, v := range x {
		d := float64(v) - mean
		ss += d * d
	}
	return mean, 1 / math.Sqrt(ss/float64(len(x))+eps)
}

func lnKernel[T Float](o *lnOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	rows, d, err := o.layout(in)
	if err != nil {
		return nil, err
	}
	acc := make([]float64, d)
	switch o.kind {
	case lnForward:
		return func(out []T, x [][]T) error {
			for r := range rows {
				row := x[0][r*d : (r+1)*d]
				mu, inv := rowMoments(row, o.eps)
				y := out[r*d : (r+1)*d]
				for j, v := range row {
					h := (float64(v) - mu) * inv
					if o.affine {
						h = h*float64(x[1][j]) + float64(x[2][j])
					}
					y[j] = T(h)
				}
			}
			return nil
		}, nil
	case lnGradX:
		return func(out []T, x [][]T) error {
			dy := x[1]
			if o.affine {
				dy = x[2]
			}
			for r := range rows {
				row := x[0][r*d : (r+1)*d]
				g := dy[r*d : (r+1)*d]
				mu, inv := rowMoments(row, o.eps)
				var sg, sgx float64
				for j, v := range row {
					gj := float64(g[j])
					if o.affine {
						gj *= float64(x[1][j])
					}
					acc[j] = gj
					sg += gj
					sgx += gj * (float64(v) - mu) * inv
				}
				sg /= float64(d)
				sgx /= float64(d)
				dx := out[r*d : (r+1)*d]
				for j, v := range row {
					dx[j] = T(inv * (acc[j] - sg - (float64(v)-mu)*inv*sgx))
				}
			}
			return nil
		}, nil
	case lnGradGamma:
		return func(out []T, x [][]T) error {
			clear(acc)
			for r := range rows {
				row := x[0][r*d : (r+1)*d]
				g := x[1][r*d : (r+1)*d]
				mu, inv := rowMoments(row, o.eps)
				for j, v := range row {
					acc[j] += float64(g[j]) * (float64(v) - mu) * inv
				}
			}
			for j := range d {
				out[j] = T(acc[j])
			}
			return nil
		}, nil
	default:
		return func(out []T, x [][]T) error {
			clear(acc)
			for r := range rows {
				for j, v := range x[0][r*d : (r+1)*d] {
					acc[j] += float64(v)
				}
			}
			for j := range d {
				out[j] = T(acc[j])
			}
			return nil
		}, nil
	}
}
