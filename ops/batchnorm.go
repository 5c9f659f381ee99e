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
//
// The batch statistics are one node, (x) → (3, c) holding μ, σ² and the
// unbiased variance, which the normalization, its gradient and the
// running updates share (Gorgonia merges identical nodes); the backward
// pass first reduces Σ∂y and Σ(x−μ)∂y into one (2, c) node, from which
// ∂x, ∂γ and ∂β follow. A training step thus reads x five times.

// BatchNormTrain normalizes x with its batch statistics; gamma and beta
// (shape (c)) are the affine part, both nil for affine=false.
func BatchNormTrain(x, gamma, beta *G.Node, eps float64) (*G.Node, error) {
	if err := bnCheck(x, eps, gamma, beta); err != nil {
		return nil, err
	}
	st, err := applyBN(bnStats, 0, 0, false, x.Dims(), x)
	if err != nil {
		return nil, err
	}
	in := []*G.Node{x, st}
	if gamma != nil {
		in = append(in, gamma, beta)
	}
	return applyBN(bnTrain, eps, 0, gamma != nil, x.Dims(), in...)
}

// BatchNormEval normalizes x with the running statistics mean and var
// (shape (c)); gamma and beta as in BatchNormTrain. Only x, gamma and beta
// are differentiated.
func BatchNormEval(x, mean, variance, gamma, beta *G.Node, eps float64) (*G.Node, error) {
	if err := bnCheck(x, eps, gamma, beta); err != nil {
		return nil, err
	}
	if err := bnChannels(x, map[string]*G.Node{"mean": mean, "var": variance}); err != nil {
		return nil, err
	}
	in := []*G.Node{x, mean, variance}
	if gamma != nil {
		in = append(in, gamma, beta)
	}
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
	if x.Dims() < 2 {
		return nil, fmt.Errorf("ops: batch norm needs an input (batch, channels, …), got shape %v", x.Shape())
	}
	if err := bnChannels(x, map[string]*G.Node{"running": running}); err != nil {
		return nil, err
	}
	st, err := applyBN(bnStats, 0, 0, false, x.Dims(), x)
	if err != nil {
		return nil, err
	}
	k := bnRunMean
	if variance {
		k = bnRunVar
	}
	return applyBN(k, 0, momentum, false, x.Dims(), running, st)
}

func bnCheck(x *G.Node, eps float64, gamma, beta *G.Node) error {
	if !(eps > 0) || math.IsInf(eps, 0) {
		return fmt.Errorf("ops: batch norm eps must be a finite number > 0, got %v", eps)
	}
	if (gamma == nil) != (beta == nil) {
		return fmt.Errorf("ops: batch norm takes both gamma and beta or neither")
	}
	if x.Dims() < 2 {
		return fmt.Errorf("ops: batch norm needs an input (batch, channels, …), got shape %v", x.Shape())
	}
	return bnChannels(x, map[string]*G.Node{"gamma": gamma, "beta": beta})
}

// bnChannels checks that each named per-channel node has x's channels.
func bnChannels(x *G.Node, per map[string]*G.Node) error {
	c := x.Shape()[1]
	for _, name := range []string{"gamma", "beta", "mean", "var", "running"} {
		if n := per[name]; n != nil && (n.Dims() != 1 || n.Shape()[0] != c) {
			return fmt.Errorf("ops: batch norm: %s has shape %v, want (%d) for an input of shape %v", name, n.Shape(), c, x.Shape())
		}
	}
	return nil
}

type bnKind int

const (
	bnStats         bnKind = iota // (x) → S = (μ; σ²; σ²·M/(M−1))
	bnTrain                       // (x, S [, γ, β]) → y
	bnDots                        // (x, S, ∂y) → D = (Σ∂y; Σ(x−μ)∂y)
	bnGradX                       // (x, S, D [, γ], ∂y) → ∂x
	bnGradGamma                   // (S, D) → ∂γ
	bnGradBeta                    // (D) → ∂β
	bnEval                        // (x, μ, σ² [, γ, β]) → y
	bnEvalDots                    // (x, μ, ∂y) → D
	bnEvalGradX                   // (σ² [, γ], ∂y) → ∂x
	bnEvalGradGamma               // (σ², D) → ∂γ
	bnRunMean                     // (μ_run, S) → new μ_run
	bnRunVar                      // (σ²_run, S) → new σ²_run
)

var bnNames = [...]string{"BatchStats", "BatchNorm", "ΣBatchNorm", "∂xBatchNorm", "∂γBatchNorm", "∂βBatchNorm",
	"BatchNormEval", "ΣBatchNormEval", "∂xBatchNormEval", "∂γBatchNormEval", "RunningMean", "RunningVar"}

// bnRole is what an input or output of a batch-norm op is.
type bnRole byte

const (
	roleX bnRole = iota // x or ∂x, ∂y: (n, c, …)
	roleC               // a per-channel vector (c): γ, β, μ, σ²
	roleS               // the statistics (3, c)
	roleD               // the reductions of the backward pass (2, c)
)

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

// roles lists the role of each input and of the output.
func (o *bnOp) roles() (in []bnRole, out bnRole) {
	aff := func(base []bnRole, extra ...bnRole) []bnRole {
		if o.affine {
			return append(base, extra...)
		}
		return base
	}
	switch o.kind {
	case bnStats:
		return []bnRole{roleX}, roleS
	case bnTrain:
		return aff([]bnRole{roleX, roleS}, roleC, roleC), roleX
	case bnDots:
		return []bnRole{roleX, roleS, roleX}, roleD
	case bnGradX:
		return append(aff([]bnRole{roleX, roleS, roleD}, roleC), roleX), roleX
	case bnGradGamma:
		return []bnRole{roleS, roleD}, roleC
	case bnGradBeta:
		return []bnRole{roleD}, roleC
	case bnEval:
		return aff([]bnRole{roleX, roleC, roleC}, roleC, roleC), roleX
	case bnEvalDots:
		return []bnRole{roleX, roleC, roleX}, roleD
	case bnEvalGradX:
		return append(aff([]bnRole{roleC}, roleC), roleX), roleX
	case bnEvalGradGamma:
		return []bnRole{roleC, roleD}, roleC
	default: // running statistics
		return []bnRole{roleC, roleS}, roleC
	}
}

func (o *bnOp) rank(r bnRole) int {
	switch r {
	case roleX:
		return o.dims
	case roleC:
		return 1
	}
	return 2
}

func (o *bnOp) Arity() int {
	in, _ := o.roles()
	return len(in)
}

func (o *bnOp) Type() hm.Type {
	in, out := o.roles()
	ranks := make([]int, len(in))
	for i, r := range in {
		ranks[i] = o.rank(r)
	}
	return fnType(o.rank(out), ranks...)
}

// DiffWRT: the forward ops are differentiable in x, γ and β. The
// statistics are not an input to differentiate through: the gradient of
// x already goes through them.
func (o *bnOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	switch o.kind {
	case bnTrain:
		d[0] = true
		for i := 2; i < n; i++ {
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

// layout checks the input shapes and returns the channel count and, when
// an input is x-shaped, x's shape.
func (o *bnOp) layout(in []tensor.Shape) (c int, x tensor.Shape, err error) {
	roles, _ := o.roles()
	if len(in) != len(roles) {
		return 0, nil, fmt.Errorf("ops: %s takes %d inputs, got %d", o.name, len(roles), len(in))
	}
	c = -1
	for i, r := range roles {
		s := in[i]
		var ci int
		switch r {
		case roleX:
			if len(s) != o.dims || len(s) < 2 {
				return 0, nil, fmt.Errorf("ops: %s needs an input of rank %d, got shape %v", o.name, o.dims, s)
			}
			if x != nil && !s.Eq(x) {
				return 0, nil, fmt.Errorf("ops: %s: input %d has shape %v, want %v", o.name, i, s, x)
			}
			x, ci = s, s[1]
		case roleC:
			if len(s) != 1 {
				return 0, nil, fmt.Errorf("ops: %s: input %d has shape %v, want a vector", o.name, i, s)
			}
			ci = s[0]
		default:
			rows := 3
			if r == roleD {
				rows = 2
			}
			if len(s) != 2 || s[0] != rows {
				return 0, nil, fmt.Errorf("ops: %s: input %d has shape %v, want (%d, channels)", o.name, i, s, rows)
			}
			ci = s[1]
		}
		if c >= 0 && ci != c {
			if x != nil {
				return 0, nil, fmt.Errorf("ops: %s: input %d has shape %v, want (%d) for an input of shape %v", o.name, i, s, c, x)
			}
			return 0, nil, fmt.Errorf("ops: %s: input %d has %d channels, input 0 has %d", o.name, i, ci, c)
		}
		c = ci
	}
	return c, x, nil
}

func (o *bnOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(in)
	if err != nil {
		return nil, err
	}
	c, x, err := o.layout(s)
	if err != nil {
		return nil, err
	}
	switch _, out := o.roles(); out {
	case roleX:
		return x.Clone(), nil
	case roleC:
		return tensor.Shape{c}, nil
	case roleS:
		return tensor.Shape{3, c}, nil
	default:
		return tensor.Shape{2, c}, nil
	}
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
		x, st := in[0], in[1]
		dots, err := mk(bnDots, x, st, grad)
		if err != nil {
			return nil, err
		}
		args := []*G.Node{x, st, dots}
		if o.affine {
			args = append(args, in[2])
		}
		dx, err := mk(bnGradX, append(args, grad)...)
		if err != nil || !o.affine {
			return G.Nodes{dx, nil}, err
		}
		dg, err := mk(bnGradGamma, st, dots)
		if err != nil {
			return nil, err
		}
		db, err := mk(bnGradBeta, dots)
		if err != nil {
			return nil, err
		}
		return G.Nodes{dx, nil, dg, db}, nil
	case bnEval:
		x, mean, v := in[0], in[1], in[2]
		args := []*G.Node{v}
		if o.affine {
			args = append(args, in[3])
		}
		dx, err := mk(bnEvalGradX, append(args, grad)...)
		if err != nil || !o.affine {
			return G.Nodes{dx, nil, nil}, err
		}
		dots, err := mk(bnEvalDots, x, mean, grad)
		if err != nil {
			return nil, err
		}
		dg, err := mk(bnEvalGradGamma, v, dots)
		if err != nil {
			return nil, err
		}
		db, err := mk(bnGradBeta, dots)
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
	c, xs, err := o.layout(in)
	if err != nil {
		return nil, err
	}
	n, s := 0, 1
	if xs != nil {
		n = xs[0]
		for _, d := range xs[2:] {
			s *= d
		}
	}
	m := n * s
	inv := make([]float64, c)  // 1/√(σ² + ε)
	coef := make([]float64, c) // a per-channel multiplier
	add := make([]float64, c)  // a per-channel term
	invOf := func(v []T) {
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
	// affine writes out = v·coef + add per channel for v laid out n×c×s.
	affine := func(out, v []T) {
		for i := range n {
			for ch := range c {
				a, b := coef[ch], add[ch]
				off := (i*c + ch) * s
				for j, x := range v[off : off+s] {
					out[off+j] = T(float64(x)*a + b)
				}
			}
		}
	}
	switch o.kind {
	case bnStats:
		mean, varSum := make([]float64, c), make([]float64, c)
		return func(out []T, x [][]T) error {
			if m <= 1 {
				return fmt.Errorf("ops: batch norm in training needs more than one value per channel, got an input of shape %v", xs)
			}
			chanStats(x[0], n, c, s, mean, varSum)
			for ch := range c {
				out[ch] = T(mean[ch])
				out[c+ch] = T(varSum[ch] / float64(m))
				out[2*c+ch] = T(varSum[ch] / float64(m-1))
			}
			return nil
		}, nil
	case bnTrain, bnEval:
		return func(out []T, x [][]T) error {
			var mean, v, g, b []T
			if o.kind == bnTrain {
				mean, v = x[1][:c], x[1][c:2*c]
				if o.affine {
					g, b = x[2], x[3]
				}
			} else {
				mean, v = x[1], x[2]
				if o.affine {
					g, b = x[3], x[4]
				}
			}
			invOf(v)
			// torch's form: y = x·α + (β − μ·α), α = γ·r.
			for ch := range c {
				coef[ch] = inv[ch] * gammaOf(g, ch)
				bias := 0.0
				if b != nil {
					bias = float64(b[ch])
				}
				add[ch] = bias - float64(mean[ch])*coef[ch]
			}
			affine(out, x[0])
			return nil
		}, nil
	case bnDots, bnEvalDots:
		return func(out []T, x [][]T) error {
			mean := x[1][:c]
			clear(coef)
			clear(add)
			dy := x[2]
			for i := range n {
				for ch := range c {
					mu := float64(mean[ch])
					off := (i*c + ch) * s
					var sg, sd float64
					for j := off; j < off+s; j++ {
						g := float64(dy[j])
						sg += g
						sd += (float64(x[0][j]) - mu) * g
					}
					coef[ch] += sg
					add[ch] += sd
				}
			}
			for ch := range c {
				out[ch] = T(coef[ch])
				out[c+ch] = T(add[ch])
			}
			return nil
		}, nil
	case bnGradX:
		w, mu := make([]float64, c), make([]float64, c)
		return func(out []T, x [][]T) error {
			st, dots := x[1], x[2]
			var g []T
			dy := x[3]
			if o.affine {
				g, dy = x[3], x[4]
			}
			invOf(st[c : 2*c])
			// torch's batch_norm_backward: ∂x = (∂y − Σ∂y/M − (x−μ)·k)·r·γ
			// with k = Σ(x−μ)∂y·r²/M.
			for ch := range c {
				r := inv[ch]
				coef[ch] = float64(dots[c+ch]) * r * r / float64(m)
				add[ch] = float64(dots[ch]) / float64(m)
				w[ch] = r * gammaOf(g, ch)
				mu[ch] = float64(st[ch])
			}
			for i := range n {
				for ch := range c {
					k, gm, wc, mc := coef[ch], add[ch], w[ch], mu[ch]
					off := (i*c + ch) * s
					xs, ds, os := x[0][off:off+s], dy[off:off+s], out[off:off+s]
					for j, v := range xs {
						os[j] = T((float64(ds[j]) - gm - (float64(v)-mc)*k) * wc)
					}
				}
			}
			return nil
		}, nil
	case bnGradGamma, bnEvalGradGamma:
		return func(out []T, x [][]T) error {
			v, dots := x[0], x[1]
			if o.kind == bnGradGamma {
				v = v[c : 2*c]
			}
			invOf(v)
			for ch := range c {
				out[ch] = T(float64(dots[c+ch]) * inv[ch])
			}
			return nil
		}, nil
	case bnGradBeta:
		return func(out []T, x [][]T) error {
			copy(out, x[0][:c])
			return nil
		}, nil
	case bnEvalGradX:
		return func(out []T, x [][]T) error {
			invOf(x[0])
			var g []T
			dy := x[1]
			if o.affine {
				g, dy = x[1], x[2]
			}
			for ch := range c {
				coef[ch] = inv[ch] * gammaOf(g, ch)
			}
			for i := range n {
				for ch := range c {
					a := coef[ch]
					off := (i*c + ch) * s
					for j := off; j < off+s; j++ {
						out[j] = T(float64(dy[j]) * a)
					}
				}
			}
			return nil
		}, nil
	default: // running statistics
		row := 0
		if o.kind == bnRunVar {
			row = 2
		}
		return func(out []T, x [][]T) error {
			stat := x[1][row*c : (row+1)*c]
			for ch := range c {
				out[ch] = T(o.mom*float64(stat[ch]) + (1-o.mom)*float64(x[0][ch]))
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
