package ops

import (
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Batch normalization (Ioffe & Szegedy 2015) over an input x of shape
// (n, c, s1, s2, …): (n, c) for BatchNorm1d on features, (n, c, l) on
// sequences, (n, c, h, w) on images. Each channel is normalized over its
// M = n·s1·s2·… values.
//
// Gorgonia's own BatchNorm has a wrong input gradient (gorgonia #507), so
// these are custom ops whose gradients are again custom ops, with
// PyTorch's CPU formulas (aten/src/ATen/native/cpu/batch_norm_kernel.cpp):
//
//	training:   μ = Σx/M, σ² = Σ(x−μ)²/M (biased), r = 1/√(σ² + ε)
//	            y = x·α + (β − μ·α), α = γ·r
//	            ∂x = (∂y − Σ∂y/M − (x−μ)·r²·Σ(x−μ)∂y/M)·r·γ
//	            ∂γ = r·Σ(x−μ)∂y, ∂β = Σ∂y
//	evaluation: the same with the running μ and σ²: ∂x = ∂y·r·γ
//	running:    μ_run ← m·μ + (1−m)·μ_run, σ²_run ← m·Σ(x−μ)²/(M−1) + (1−m)·σ²_run
//
// The running statistics use the unbiased variance, the normalization the
// biased one, as torch does.

// BatchNormTrain normalizes x with its batch statistics; gamma and beta
// (shape (c)) are the affine part, both nil for affine=false.
func BatchNormTrain(x, gamma, beta *G.Node, eps float64) (*G.Node, error) {
	in, err := bnInputs(x, eps, gamma, beta)
	if err != nil {
		return nil, err
	}
	return applyBN(bnTrain, eps, 0, gamma != nil, x.Dims(), in...)
}

// BatchNormEval normalizes x with the running statistics mean and var
// (shape (c)); gamma and beta as in BatchNormTrain. Only x, gamma and beta
// are differentiated.
func BatchNormEval(x, mean, variance, gamma, beta *G.Node, eps float64) (*G.Node, error) {
	in, err := bnInputs(x, eps, gamma, beta)
	if err != nil {
		return nil, err
	}
	in = append([]*G.Node{in[0], mean, variance}, in[1:]...)
	return applyBN(bnEval, eps, 0, gamma != nil, x.Dims(), in...)
}

// BatchNormRunning returns the updated running mean (variance false) or
// running variance (variance true) after a training batch x: m·stat +
// (1−m)·running, the variance being the unbiased one. It is not
// differentiable: it feeds a buffer update, never the loss.
func BatchNormRunning(running, x *G.Node, momentum float64, variance bool) (*G.Node, error) {
	if math.IsNaN(momentum) || momentum < 0 || momentum > 1 {
		return nil, fmt.Errorf("ops: batch norm momentum must be in [0,1], got %v", momentum)
	}
	k := bnRunMean
	if variance {
		k = bnRunVar
	}
	return applyBN(k, 0, momentum, false, x.Dims(), running, x)
}

func bnInputs(x *G.Node, eps float64, gamma, beta *G.Node) ([]*G.Node, error) {
	if !(eps > 0) || math.IsInf(eps, 0) {
		return nil, fmt.Errorf("ops: batch norm eps must be a finite number > 0, got %v", eps)
	}
	if (gamma == nil) != (beta == nil) {
		return nil, fmt.Errorf("ops: batch norm takes both gamma and beta or neither")
	}
	if x.Dims() < 2 {
		return nil, fmt.Errorf("ops: batch norm needs an input (batch, channels, …), got shape %v", x.Shape())
	}
	if gamma == nil {
		return []*G.Node{x}, nil
	}
	return []*G.Node{x, gamma, beta}, nil
}

type bnKind int

const (
	bnTrain         bnKind = iota // (x [, γ, β]) → y
	bnGradX                       // (x [, γ], ∂y) → ∂x
	bnGradGamma                   // (x, ∂y) → ∂γ
	bnSumDy                       // (∂y) → ∂β = Σ∂y per channel
	bnEval                        // (x, μ, σ² [, γ, β]) → y
	bnEvalGradX                   // (σ² [, γ], ∂y) → ∂x
	bnEvalGradGamma               // (x, μ, σ², ∂y) → ∂γ
	bnRunMean                     // (μ_run, x) → new μ_run
	bnRunVar                      // (σ²_run, x) → new σ²_run
)

var bnNames = [...]string{"BatchNorm", "∂xBatchNorm", "∂γBatchNorm", "ΣBatchNorm", "BatchNormEval",
	"∂xBatchNormEval", "∂γBatchNormEval", "RunningMean", "RunningVar"}

// bnOp is every batch-norm op, told apart by kind.
type bnOp struct {
	opBase
	kind     bnKind
	eps, mom float64
	affine   bool
	dims     int // rank of x
}

func applyBN(k bnKind, eps, mom float64, affine bool, dims int, in ...*G.Node) (*G.Node, error) {
	return apply(newBN(k, eps, mom, affine, dims), in...)
}

func newBN(k bnKind, eps, mom float64, affine bool, dims int) *bnOp {
	name := fmt.Sprintf("%s{eps=%v,m=%v,affine=%v,%dd}", bnNames[k], eps, mom, affine, dims)
	return &bnOp{opBase: opBase{name}, kind: k, eps: eps, mom: mom, affine: affine, dims: dims}
}

// ranks lists the rank of each input and of the output.
func (o *bnOp) ranks() (in []int, out int) {
	d := o.dims
	switch o.kind {
	case bnTrain:
		if o.affine {
			return []int{d, 1, 1}, d
		}
		return []int{d}, d
	case bnGradX:
		if o.affine {
			return []int{d, 1, d}, d
		}
		return []int{d, d}, d
	case bnGradGamma:
		return []int{d, d}, 1
	case bnSumDy:
		return []int{d}, 1
	case bnEval:
		if o.affine {
			return []int{d, 1, 1, 1, 1}, d
		}
		return []int{d, 1, 1}, d
	case bnEvalGradX:
		if o.affine {
			return []int{1, 1, d}, d
		}
		return []int{1, d}, d
	case bnEvalGradGamma:
		return []int{d, 1, 1, d}, 1
	default: // running statistics
		return []int{1, d}, 1
	}
}

// xAt is the input whose shape is x's (or ∂y's, the same).
func (o *bnOp) xAt() int {
	switch o.kind {
	case bnEvalGradX:
		if o.affine {
			return 2
		}
		return 1
	case bnRunMean, bnRunVar:
		return 1
	}
	return 0
}

func (o *bnOp) Arity() int {
	in, _ := o.ranks()
	return len(in)
}

func (o *bnOp) Type() hm.Type {
	in, out := o.ranks()
	return fnType(out, in...)
}

func (o *bnOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	switch o.kind {
	case bnTrain:
		for i := range d {
			d[i] = true
		}
	case bnEval:
		d[0] = true
		for i := 3; i < n; i++ {
			d[i] = true
		}
	}
	return d
}

// layout checks the input shapes and returns x's as n × c × s.
func (o *bnOp) layout(in []tensor.Shape) (n, c, s int, err error) {
	ranks, _ := o.ranks()
	if len(in) != len(ranks) {
		return 0, 0, 0, fmt.Errorf("ops: %s takes %d inputs, got %d", o.name, len(ranks), len(in))
	}
	x := in[o.xAt()]
	if len(x) != o.dims || len(x) < 2 {
		return 0, 0, 0, fmt.Errorf("ops: %s needs an input of rank %d, got shape %v", o.name, o.dims, x)
	}
	n, c, s = x[0], x[1], 1
	for _, d := range x[2:] {
		s *= d
	}
	for i, r := range ranks {
		switch {
		case r == 1 && (len(in[i]) != 1 || in[i][0] != c):
			return 0, 0, 0, fmt.Errorf("ops: %s: input %d has shape %v, want (%d) for an input of shape %v", o.name, i, in[i], c, x)
		case r == o.dims && !in[i].Eq(x):
			return 0, 0, 0, fmt.Errorf("ops: %s: input %d has shape %v, want %v", o.name, i, in[i], x)
		}
	}
	return n, c, s, nil
}

func (o *bnOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(in)
	if err != nil {
		return nil, err
	}
	if _, c, _, err := o.layout(s); err != nil {
		return nil, err
	} else if _, out := o.ranks(); out == 1 {
		return tensor.Shape{c}, nil
	}
	return s[o.xAt()].Clone(), nil
}

func (o *bnOp) Do(in ...G.Value) (G.Value, error) {
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
func (o *bnOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return bnKernel[float64](o, in)
}

// NativeKernel32 implements graph.Native.
func (o *bnOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return bnKernel[float32](o, in)
}

func (o *bnOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	mk := func(k bnKind, args ...*G.Node) (*G.Node, error) {
		return applyBN(k, o.eps, 0, o.affine, o.dims, args...)
	}
	switch o.kind {
	case bnTrain:
		x := in[0]
		if !o.affine {
			dx, err := mk(bnGradX, x, grad)
			return G.Nodes{dx}, err
		}
		dx, err := mk(bnGradX, x, in[1], grad)
		if err != nil {
			return nil, err
		}
		dg, err := mk(bnGradGamma, x, grad)
		if err != nil {
			return nil, err
		}
		db, err := mk(bnSumDy, grad)
		if err != nil {
			return nil, err
		}
		return G.Nodes{dx, dg, db}, nil
	case bnEval:
		x, mean, v := in[0], in[1], in[2]
		if !o.affine {
			dx, err := mk(bnEvalGradX, v, grad)
			return G.Nodes{dx, nil, nil}, err
		}
		dx, err := mk(bnEvalGradX, v, in[3], grad)
		if err != nil {
			return nil, err
		}
		dg, err := mk(bnEvalGradGamma, x, mean, v, grad)
		if err != nil {
			return nil, err
		}
		db, err := mk(bnSumDy, grad)
		if err != nil {
			return nil, err
		}
		return G.Nodes{dx, nil, nil, dg, db}, nil
	}
	return nil, fmt.Errorf("ops: %s is not differentiable", o.name)
}

// bnKernel returns the kernel of o for inputs of the given shapes. Sums
// run in float64 for both element types; the scratch space is allocated
// here, never when the kernel runs.
func bnKernel[T Float](o *bnOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	n, c, s, err := o.layout(in)
	if err != nil {
		return nil, err
	}
	m := n * s
	mean := make([]float64, c)
	inv := make([]float64, c) // 1/√(σ² + ε)
	varSum := make([]float64, c)
	stats := func(x []T) error {
		if m <= 1 {
			return fmt.Errorf("ops: batch norm in training needs more than one value per channel, got an input of shape %v", in[o.xAt()])
		}
		chanStats(x, n, c, s, mean, varSum)
		for ch := range c {
			inv[ch] = 1 / math.Sqrt(varSum[ch]/float64(m)+o.eps)
		}
		return nil
	}
	evalInv := func(v []T) {
		for ch := range c {
			inv[ch] = 1 / math.Sqrt(float64(v[ch])+o.eps)
		}
	}
	gammaOf := func(g []T, ch int) float64 {
		if g == nil {
			return 1
		}
		return float64(g[ch])
	}
	var (
		alpha = make([]float64, c)
		shift = make([]float64, c)
		dots  = make([]float64, c)
		sums  = make([]float64, c)
	)
	// affineOut writes y = x·α + shift per channel.
	affineOut := func(out, x []T) {
		for i := range n {
			for ch := range c {
				a, b := alpha[ch], shift[ch]
				off := (i*c + ch) * s
				for j, v := range x[off : off+s] {
					out[off+j] = T(float64(v)*a + b)
				}
			}
		}
	}
	switch o.kind {
	case bnTrain, bnEval:
		return func(out []T, x [][]T) error {
			var g, b []T
			if o.kind == bnTrain {
				if err := stats(x[0]); err != nil {
					return err
				}
				if o.affine {
					g, b = x[1], x[2]
				}
			} else {
				for ch := range c {
					mean[ch] = float64(x[1][ch])
				}
				evalInv(x[2])
				if o.affine {
					g, b = x[3], x[4]
				}
			}
			for ch := range c {
				alpha[ch] = inv[ch] * gammaOf(g, ch)
				bias := 0.0
				if b != nil {
					bias = float64(b[ch])
				}
				shift[ch] = bias - mean[ch]*alpha[ch]
			}
			affineOut(out, x[0])
			return nil
		}, nil
	case bnGradX:
		return func(out []T, x [][]T) error {
			if err := stats(x[0]); err != nil {
				return err
			}
			var g []T
			dy := x[1]
			if o.affine {
				g, dy = x[1], x[2]
			}
			chanDots(x[0], dy, n, c, s, mean, dots, sums)
			for i := range n {
				for ch := range c {
					r := inv[ch]
					k := dots[ch] * r * r / float64(m)
					gm := sums[ch] / float64(m)
					w := r * gammaOf(g, ch)
					mu := mean[ch]
					off := (i*c + ch) * s
					for j := off; j < off+s; j++ {
						out[j] = T((float64(dy[j]) - gm - (float64(x[0][j])-mu)*k) * w)
					}
				}
			}
			return nil
		}, nil
	case bnGradGamma, bnEvalGradGamma:
		return func(out []T, x [][]T) error {
			dy := x[1]
			if o.kind == bnGradGamma {
				if err := stats(x[0]); err != nil {
					return err
				}
			} else {
				for ch := range c {
					mean[ch] = float64(x[1][ch])
				}
				evalInv(x[2])
				dy = x[3]
			}
			chanDots(x[0], dy, n, c, s, mean, dots, sums)
			for ch := range c {
				out[ch] = T(dots[ch] * inv[ch])
			}
			return nil
		}, nil
	case bnSumDy:
		return func(out []T, x [][]T) error {
			clear(sums)
			for i := range n {
				for ch := range c {
					off := (i*c + ch) * s
					for _, v := range x[0][off : off+s] {
						sums[ch] += float64(v)
					}
				}
			}
			for ch := range c {
				out[ch] = T(sums[ch])
			}
			return nil
		}, nil
	case bnEvalGradX:
		return func(out []T, x [][]T) error {
			evalInv(x[0])
			var g []T
			dy := x[1]
			if o.affine {
				g, dy = x[1], x[2]
			}
			for ch := range c {
				alpha[ch] = inv[ch] * gammaOf(g, ch)
			}
			for i := range n {
				for ch := range c {
					a := alpha[ch]
					off := (i*c + ch) * s
					for j := off; j < off+s; j++ {
						out[j] = T(float64(dy[j]) * a)
					}
				}
			}
			return nil
		}, nil
	default: // running statistics
		return func(out []T, x [][]T) error {
			if m <= 1 {
				return fmt.Errorf("ops: batch norm's running variance needs more than one value per channel, got an input of shape %v", in[1])
			}
			chanStats(x[1], n, c, s, mean, varSum)
			for ch := range c {
				stat := mean[ch]
				if o.kind == bnRunVar {
					stat = varSum[ch] / float64(m-1)
				}
				out[ch] = T(o.mom*stat + (1-o.mom)*float64(x[0][ch]))
			}
			return nil
		}, nil
	}
}

// chanStats writes each channel's mean and Σ(x−μ)² (two passes, as torch's
// batch_norm_cpu_collect_stats) for x laid out n × c × s.
func chanStats[T Float](x []T, n, c, s int, mean, varSum []float64) {
	m := float64(n * s)
	clear(mean)
	clear(varSum)
	for i := range n {
		for ch := range c {
			off := (i*c + ch) * s
			for _, v := range x[off : off+s] {
				mean[ch] += float64(v)
			}
		}
	}
	for ch := range c {
		// torch rounds the mean to the element type before the second pass.
		mean[ch] = float64(T(mean[ch] / m))
	}
	for i := range n {
		for ch := range c {
			mu := mean[ch]
			off := (i*c + ch) * s
			for _, v := range x[off : off+s] {
				d := float64(v) - mu
				varSum[ch] += d * d
			}
		}
	}
}

// chanDots writes Σ(x−μ)·∂y and Σ∂y per channel.
func chanDots[T Float](x, dy []T, n, c, s int, mean, dots, sums []float64) {
	clear(dots)
	clear(sums)
	for i := range n {
		for ch := range c {
			mu := mean[ch]
			off := (i*c + ch) * s
			for j := off; j < off+s; j++ {
				g := float64(dy[j])
				sums[ch] += g
				dots[ch] += (float64(x[j]) - mu) * g
			}
		}
	}
}
