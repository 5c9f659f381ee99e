package ops

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/internal/conv"
)

// Gorgonia v0.9.18's own Conv2d and MaxPool2d are slow or wrong (Gorgonia
// issues #378, #446, #273), so Descent's convolution and pooling are ops of
// their own: each forward op differentiates into backward ops, and every op
// brings native kernels (internal/conv) that Descent's executor runs on its
// own buffers (see graph.Native). Do runs the same kernels for Gorgonia's
// own machines.

// ConvOptions are Conv2d's options, as torch.nn.functional.conv2d's. The
// zero value is torch's default: stride 1, no padding, dilation 1, one
// group. Pairs are (height, width); a zero entry means the default.
type ConvOptions struct {
	Stride   [2]int // 0 means 1
	Padding  [2]int // zeros added on both sides
	Dilation [2]int // 0 means 1
	Groups   int    // 0 means 1
}

// Conv1dOptions are Conv1d's options, as torch.nn.functional.conv1d's; the
// zero value is torch's default.
type Conv1dOptions struct {
	Stride   int // 0 means 1
	Padding  int
	Dilation int // 0 means 1
	Groups   int // 0 means 1
}

// Conv2d is torch's conv2d without bias (add one with AddChannelBias): a
// cross-correlation of x (N, C, H, W) with w (K, C/groups, KH, KW),
//
//	y[n, k, oh, ow] = Σ_{c ∈ group(k), i, j} w[k, c, i, j] ·
//	                  x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW],
//
// zero outside the image, of shape (N, K, OH, OW) with
// OH = ⌊(H + 2pH − dH(KH−1) − 1)/sH⌋ + 1. Bad shapes or options give an
// error naming both shapes; nothing panics.
func Conv2d(x, w *G.Node, opt ConvOptions) (out *G.Node, err error) {
	defer recoverTo(&err, "conv2d")
	if err := checkNodes("conv2d", x, w, 4); err != nil {
		return nil, err
	}
	xs, ws := x.Shape(), w.Shape()
	s := conv.ConvSpec{
		N: xs[0], C: xs[1], H: xs[2], W: xs[3], K: ws[0], KH: ws[2], KW: ws[3],
		StrideH: orOne(opt.Stride[0]), StrideW: orOne(opt.Stride[1]),
		PadH: opt.Padding[0], PadW: opt.Padding[1],
		DilH: orOne(opt.Dilation[0]), DilW: orOne(opt.Dilation[1]),
		Groups: orOne(opt.Groups),
	}
	return applyConv("conv2d", x, w, s, ws[1])
}

// Conv1d is torch's conv1d without bias: Conv2d on x (N, C, L) and
// w (K, C/groups, k) taken as images of height 1, giving (N, K, L′) with
// L′ = ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1.
func Conv1d(x, w *G.Node, opt Conv1dOptions) (out *G.Node, err error) {
	defer recoverTo(&err, "conv1d")
	if err := checkNodes("conv1d", x, w, 3); err != nil {
		return nil, err
	}
	xs, ws := x.Shape(), w.Shape()
	s := conv.ConvSpec{
		N: xs[0], C: xs[1], H: 1, W: xs[2], K: ws[0], KH: 1, KW: ws[2],
		StrideH: 1, StrideW: orOne(opt.Stride), PadW: opt.Padding,
		DilH: 1, DilW: orOne(opt.Dilation), Groups: orOne(opt.Groups), OneD: true,
	}
	return applyConv("conv1d", x, w, s, ws[1])
}

func applyConv(name string, x, w *G.Node, s conv.ConvSpec, wIn int) (*G.Node, error) {
	both := fmt.Sprintf("(input %v, weight %v)", x.Shape(), w.Shape())
	if s.Groups >= 1 && s.C != wIn*s.Groups {
		expects := fmt.Sprint(wIn)
		if s.Groups > 1 {
			expects = fmt.Sprintf("%d (%d per group × %d groups)", wIn*s.Groups, wIn, s.Groups)
		}
		return nil, fmt.Errorf("ops: %s: input has %d channels, the weight expects %s %s", name, s.C, expects, both)
	}
	c, err := conv.NewConv(s)
	if err != nil {
		return nil, fmt.Errorf("ops: %v %s", err, both)
	}
	return convApply(name, &convOp{c: c}, x, w)
}

// AddChannelBias adds b[c] to every value of channel c of y, whose axis 1
// holds the channels: (N, C, …) + (C). It is the bias of Conv2d and Conv1d
// layers; its gradient for b sums over every other axis.
func AddChannelBias(y, b *G.Node) (out *G.Node, err error) {
	defer recoverTo(&err, "channel bias")
	if y == nil || b == nil {
		return nil, fmt.Errorf("ops: channel bias: a node is nil")
	}
	ys, bs := y.Shape(), b.Shape()
	if len(ys) < 2 || len(bs) != 1 || bs[0] != ys[1] {
		return nil, fmt.Errorf("ops: channel bias: the bias must be a vector with one value per channel (axis 1), got bias %v for values %v", bs, ys)
	}
	if y.Dtype() != b.Dtype() {
		return nil, fmt.Errorf("ops: channel bias: the values are %v and the bias %v", y.Dtype(), b.Dtype())
	}
	return convApply("channel bias", &channelBiasOp{shape: ys.Clone()}, y, b)
}

func orOne(v int) int {
	if v == 0 {
		return 1
	}
	return v
}

// checkNodes checks that x and w exist, have the given rank and share a
// float dtype.
func checkNodes(name string, x, w *G.Node, dims int) error {
	if x == nil || w == nil {
		return fmt.Errorf("ops: %s: a node is nil", name)
	}
	layout := map[int][2]string{3: {"(N, C, L)", "(out, in/groups, k)"}, 4: {"(N, C, H, W)", "(out, in/groups, kh, kw)"}}[dims]
	if x.Dims() != dims {
		return fmt.Errorf("ops: %s: the input must be %d-D %s, got shape %v", name, dims, layout[0], x.Shape())
	}
	if w.Dims() != dims {
		return fmt.Errorf("ops: %s: the weight must be %d-D %s, got shape %v", name, dims, layout[1], w.Shape())
	}
	return checkDtype(name, x, w)
}

func checkDtype(name string, x, w *G.Node) error {
	if dt := x.Dtype(); dt != tensor.Float64 && dt != tensor.Float32 {
		return fmt.Errorf("ops: %s: the input must be float64 or float32, got %v", name, dt)
	}
	if x.Dtype() != w.Dtype() {
		return fmt.Errorf("ops: %s: the input is %v and the weight %v", name, x.Dtype(), w.Dtype())
	}
	return nil
}

// apply is G.ApplyOp, with a panic or an error (nodes of different
// graphs, say) reported under the op's name.
func convApply(name string, op G.Op, in ...*G.Node) (out *G.Node, err error) {
	defer recoverTo(&err, name)
	if out, err = G.ApplyOp(op, in...); err != nil {
		return nil, fmt.Errorf("ops: %s: %w", name, err)
	}
	return out, nil
}

// convShapes returns the shapes of x, w and y of a convolution: 4-D, or 3-D
// for conv1d.
func convShapes(c *conv.Conv) (x, w, y tensor.Shape) {
	if c.OneD {
		return tensor.Shape{c.N, c.C, c.W}, tensor.Shape{c.K, c.C / c.Groups, c.KW}, tensor.Shape{c.N, c.K, c.OW}
	}
	return tensor.Shape{c.N, c.C, c.H, c.W}, tensor.Shape{c.K, c.C / c.Groups, c.KH, c.KW}, tensor.Shape{c.N, c.K, c.OH, c.OW}
}

func convString(name string, c *conv.Conv) string {
	x, w, _ := convShapes(c)
	if c.OneD {
		return fmt.Sprintf("%s{x %v, w %v, stride %d, padding %d, dilation %d, groups %d}",
			name, x, w, c.StrideW, c.PadW, c.DilW, c.Groups)
	}
	return fmt.Sprintf("%s{x %v, w %v, stride (%d, %d), padding (%d, %d), dilation (%d, %d), groups %d}",
		name, x, w, c.StrideH, c.StrideW, c.PadH, c.PadW, c.DilH, c.DilW, c.Groups)
}

func convDims(c *conv.Conv) int {
	if c.OneD {
		return 3
	}
	return 4
}

// convOp is y = x ⋆ w.
type convOp struct{ c *conv.Conv }

func (op *convOp) name() string {
	if op.c.OneD {
		return "Conv1d"
	}
	return "Conv2d"
}

func (op *convOp) Arity() int { return 2 }
func (op *convOp) Type() hm.Type {
	d := convDims(op.c)
	return convFnType(d, d, d)
}
func (op *convOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, w, y := convShapes(op.c)
	return inferShape(op, in, y, x, w)
}
func (op *convOp) Do(v ...G.Value) (G.Value, error) {
	x, w, y := convShapes(op.c)
	return convDoNative(op, v, []tensor.Shape{x, w}, y)
}
func (op *convOp) ReturnsPtr() bool      { return false }
func (op *convOp) CallsExtern() bool     { return false }
func (op *convOp) OverwritesInput() int  { return -1 }
func (op *convOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *convOp) Hashcode() uint32      { return hashOf(op) }
func (op *convOp) String() string        { return convString(op.name(), op.c) }
func (op *convOp) DiffWRT(int) []bool    { return []bool{true, true} }

// SymDiff gives ∂L/∂x = convData(w, ∂L/∂y) and ∂L/∂w = convFilter(x, ∂L/∂y).
func (op *convOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("ops: %v takes 2 inputs, got %d", op, len(in))
	}
	dx, err := convApply("conv gradient", &convDataOp{c: op.c}, in[1], grad)
	if err != nil {
		return nil, err
	}
	dw, err := convApply("conv gradient", &convFilterOp{c: op.c}, in[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dw}, nil
}
func (op *convOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return convForwardKernel[float64](op, in)
}
func (op *convOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return convForwardKernel[float32](op, in)
}

func convForwardKernel[T conv.Float](op *convOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	x, w, _ := convShapes(op.c)
	if err := sameShapes(op, in, x, w); err != nil {
		return nil, err
	}
	c, ws := op.c, make([]T, op.c.WorkspaceSize())
	return func(out []T, in [][]T) error { return conv.Forward(c, out, in[0], in[1], nil, ws) }, nil
}

// MultiplyAdds is the convolution's multiply-adds, N·K·OH·OW·(C/G)·KH·KW,
// the same for its two gradients; the executor sizes its split of a batch
// by it.
func (op *convOp) MultiplyAdds([]tensor.Shape) int { return convWork(op.c) }

func convWork(c *conv.Conv) int { return c.OutputSize() * (c.C / c.Groups) * c.KH * c.KW }

// convDataOp is ∂L/∂x of a convolution, from (w, ∂L/∂y).
type convDataOp struct{ c *conv.Conv }

func (op *convDataOp) Arity() int { return 2 }
func (op *convDataOp) Type() hm.Type {
	d := convDims(op.c)
	return convFnType(d, d, d)
}
func (op *convDataOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, w, y := convShapes(op.c)
	return inferShape(op, in, x, w, y)
}
func (op *convDataOp) Do(v ...G.Value) (G.Value, error) {
	x, w, y := convShapes(op.c)
	return convDoNative(op, v, []tensor.Shape{w, y}, x)
}
func (op *convDataOp) ReturnsPtr() bool      { return false }
func (op *convDataOp) CallsExtern() bool     { return false }
func (op *convDataOp) OverwritesInput() int  { return -1 }
func (op *convDataOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *convDataOp) Hashcode() uint32      { return hashOf(op) }
func (op *convDataOp) String() string        { return convString("ConvGradInput", op.c) }
func (op *convDataOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return convDataKernel[float64](op, in)
}
func (op *convDataOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return convDataKernel[float32](op, in)
}

func convDataKernel[T conv.Float](op *convDataOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	_, w, y := convShapes(op.c)
	if err := sameShapes(op, in, w, y); err != nil {
		return nil, err
	}
	c, ws := op.c, make([]T, op.c.WorkspaceSize())
	return func(out []T, in [][]T) error { return conv.BackwardData(c, out, in[0], in[1], ws) }, nil
}

// MultiplyAdds is convOp's.
func (op *convDataOp) MultiplyAdds([]tensor.Shape) int { return convWork(op.c) }

// convFilterOp is ∂L/∂w of a convolution, from (x, ∂L/∂y).
type convFilterOp struct{ c *conv.Conv }

func (op *convFilterOp) Arity() int { return 2 }
func (op *convFilterOp) Type() hm.Type {
	d := convDims(op.c)
	return convFnType(d, d, d)
}
func (op *convFilterOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, w, y := convShapes(op.c)
	return inferShape(op, in, w, x, y)
}
func (op *convFilterOp) Do(v ...G.Value) (G.Value, error) {
	x, w, y := convShapes(op.c)
	return convDoNative(op, v, []tensor.Shape{x, y}, w)
}
func (op *convFilterOp) ReturnsPtr() bool      { return false }
func (op *convFilterOp) CallsExtern() bool     { return false }
func (op *convFilterOp) OverwritesInput() int  { return -1 }
func (op *convFilterOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *convFilterOp) Hashcode() uint32      { return hashOf(op) }
func (op *convFilterOp) String() string        { return convString("ConvGradWeight", op.c) }
func (op *convFilterOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return convFilterKernel[float64](op, in)
}
func (op *convFilterOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return convFilterKernel[float32](op, in)
}

func convFilterKernel[T conv.Float](op *convFilterOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	x, _, y := convShapes(op.c)
	if err := sameShapes(op, in, x, y); err != nil {
		return nil, err
	}
	c, ws := op.c, make([]T, op.c.WorkspaceSize())
	return func(out []T, in [][]T) error { return conv.BackwardFilter(c, out, in[0], in[1], ws) }, nil
}

// MultiplyAdds is convOp's.
func (op *convFilterOp) MultiplyAdds([]tensor.Shape) int { return convWork(op.c) }

// channelBiasOp is y + b over axis 1.
type channelBiasOp struct{ shape tensor.Shape }

// planes returns the shape as (n, c, sp): batch, channels, the rest.
func planes(s tensor.Shape) (n, c, sp int) {
	sp = 1
	for _, d := range s[2:] {
		sp *= d
	}
	return s[0], s[1], sp
}

func (op *channelBiasOp) Arity() int    { return 2 }
func (op *channelBiasOp) Type() hm.Type { return convFnType(len(op.shape), 1, len(op.shape)) }
func (op *channelBiasOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return inferShape(op, in, op.shape, op.shape, tensor.Shape{op.shape[1]})
}
func (op *channelBiasOp) Do(v ...G.Value) (G.Value, error) {
	return convDoNative(op, v, []tensor.Shape{op.shape, {op.shape[1]}}, op.shape)
}
func (op *channelBiasOp) ReturnsPtr() bool      { return false }
func (op *channelBiasOp) CallsExtern() bool     { return false }
func (op *channelBiasOp) OverwritesInput() int  { return -1 }
func (op *channelBiasOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *channelBiasOp) Hashcode() uint32      { return hashOf(op) }
func (op *channelBiasOp) String() string        { return fmt.Sprintf("AddChannelBias{%v}", op.shape) }
func (op *channelBiasOp) DiffWRT(int) []bool    { return []bool{true, true} }

// SymDiff gives ∂L/∂y = ∂L/∂out and ∂L/∂b[c] = Σ over all but axis 1.
func (op *channelBiasOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("ops: %v takes 2 inputs, got %d", op, len(in))
	}
	db, err := convApply("channel bias gradient", &channelSumOp{shape: op.shape}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{grad, db}, nil
}
func (op *channelBiasOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return channelBiasKernel[float64](op, in)
}
func (op *channelBiasOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return channelBiasKernel[float32](op, in)
}

func channelBiasKernel[T conv.Float](op *channelBiasOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	if err := sameShapes(op, in, op.shape, tensor.Shape{op.shape[1]}); err != nil {
		return nil, err
	}
	n, c, sp := planes(op.shape)
	return func(out []T, in [][]T) error { conv.ChannelAdd(out, in[0], in[1], n, c, sp); return nil }, nil
}

// channelSumOp sums (N, C, …) over every axis but 1, giving (C).
type channelSumOp struct{ shape tensor.Shape }

func (op *channelSumOp) Arity() int    { return 1 }
func (op *channelSumOp) Type() hm.Type { return convFnType(len(op.shape), 1) }
func (op *channelSumOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return inferShape(op, in, tensor.Shape{op.shape[1]}, op.shape)
}
func (op *channelSumOp) Do(v ...G.Value) (G.Value, error) {
	return convDoNative(op, v, []tensor.Shape{op.shape}, tensor.Shape{op.shape[1]})
}
func (op *channelSumOp) ReturnsPtr() bool      { return false }
func (op *channelSumOp) CallsExtern() bool     { return false }
func (op *channelSumOp) OverwritesInput() int  { return -1 }
func (op *channelSumOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *channelSumOp) Hashcode() uint32      { return hashOf(op) }
func (op *channelSumOp) String() string        { return fmt.Sprintf("ChannelSum{%v}", op.shape) }
func (op *channelSumOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return channelSumKernel[float64](op, in)
}
func (op *channelSumOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return channelSumKernel[float32](op, in)
}

func channelSumKernel[T conv.Float](op *channelSumOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	if err := sameShapes(op, in, op.shape); err != nil {
		return nil, err
	}
	n, c, sp := planes(op.shape)
	return func(out []T, in [][]T) error { conv.ChannelSum(out, in[0], n, c, sp); return nil }, nil
}

// fnType is the Gorgonia type of an op on tensors of the given ranks, the
// last being the output's: a → a → … with one element type a.
func convFnType(dims ...int) hm.Type {
	a := hm.TypeVariable('a')
	ts := make([]hm.Type, len(dims))
	for i, d := range dims {
		ts[i] = G.TensorType{Dims: d, Of: a}
	}
	return hm.NewFnType(ts...)
}

func hashOf(op fmt.Stringer) uint32 {
	h := fnv.New32a()
	fmt.Fprint(h, op.String())
	return h.Sum32()
}

// inferShape checks the input shapes Gorgonia passes against those the op
// was built for and returns the output shape.
func inferShape(op fmt.Stringer, in []G.DimSizer, out tensor.Shape, want ...tensor.Shape) (tensor.Shape, error) {
	if len(in) != len(want) {
		return nil, fmt.Errorf("ops: %v takes %d inputs, got %d", op, len(want), len(in))
	}
	for i, d := range in {
		s, ok := d.(tensor.Shape)
		if !ok {
			return nil, fmt.Errorf("ops: %v: input %d has no shape (%T)", op, i, d)
		}
		if !s.Eq(want[i]) {
			return nil, fmt.Errorf("ops: %v: input %d has shape %v, want %v", op, i, s, want[i])
		}
	}
	return out.Clone(), nil
}

// sameShapes checks the shapes the executor plans with against the op's.
func sameShapes(op fmt.Stringer, in []tensor.Shape, want ...tensor.Shape) error {
	if len(in) != len(want) {
		return fmt.Errorf("ops: %v takes %d inputs, got %d", op, len(want), len(in))
	}
	for i := range in {
		if !in[i].Eq(want[i]) {
			return fmt.Errorf("ops: %v: input %d has shape %v, want %v", op, i, in[i], want[i])
		}
	}
	return nil
}

// native is the pair of kernel makers every op of this file has; Do runs
// them on Gorgonia values.
type native interface {
	fmt.Stringer
	NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error)
	NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error)
}

// doNative runs op's native kernel on Gorgonia values of the given shapes
// and returns a new tensor of shape out.
func convDoNative(op native, v []G.Value, in []tensor.Shape, out tensor.Shape) (G.Value, error) {
	if len(v) != len(in) {
		return nil, fmt.Errorf("ops: %v takes %d inputs, got %d", op, len(in), len(v))
	}
	switch v[0].Dtype() {
	case tensor.Float64:
		return doKernel(op, v, in, out, op.NativeKernel64)
	case tensor.Float32:
		return doKernel(op, v, in, out, op.NativeKernel32)
	}
	return nil, fmt.Errorf("ops: %v: values must be float64 or float32, got %v", op, v[0].Dtype())
}

func doKernel[T conv.Float](op fmt.Stringer, v []G.Value, in []tensor.Shape, out tensor.Shape, mk func([]tensor.Shape) (func([]T, [][]T) error, error)) (G.Value, error) {
	args := make([][]T, len(v))
	for i, val := range v {
		t, ok := val.(tensor.Tensor)
		if !ok {
			return nil, fmt.Errorf("ops: %v: input %d is a %T, not a tensor", op, i, val)
		}
		if !t.Shape().Eq(in[i]) {
			return nil, fmt.Errorf("ops: %v: input %d has shape %v, want %v", op, i, t.Shape(), in[i])
		}
		if view, ok := t.(tensor.View); ok && t.RequiresIterator() {
			t = view.Materialize()
		}
		d, ok := t.Data().([]T)
		if !ok || len(d) < in[i].TotalSize() {
			return nil, fmt.Errorf("ops: %v: input %d holds %T, want %d values of %T", op, i, t.Data(), in[i].TotalSize(), T(0))
		}
		args[i] = d[:in[i].TotalSize()]
	}
	k, err := mk(in)
	if err != nil {
		return nil, err
	}
	res := make([]T, out.TotalSize())
	if err := k(res, args); err != nil {
		return nil, fmt.Errorf("ops: %v: %w", op, err)
	}
	return tensor.New(tensor.WithShape(out.Clone()...), tensor.WithBacking(res)), nil
}
