package ops

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/internal/conv"
)

// MaxPoolOptions are MaxPool2d's options, as torch.nn.functional.max_pool2d's
// (ceil_mode is not supported). The zero value is torch's default. Pairs are
// (height, width); a zero entry means the default.
type MaxPoolOptions struct {
	Stride   [2]int // 0 means the kernel size
	Padding  [2]int // implicit −∞, at most half the kernel
	Dilation [2]int // 0 means 1
}

// AvgPoolOptions are AvgPool2d's options, as torch.nn.functional.avg_pool2d's
// (ceil_mode and divisor_override are not supported). The zero value is
// torch's default.
type AvgPoolOptions struct {
	Stride  [2]int // 0 means the kernel size
	Padding [2]int // zeros, at most half the kernel
	// ExcludePad is torch's count_include_pad=False: each window's sum is
	// divided by the number of input values it covers, not by kh·kw.
	ExcludePad bool
}

// MaxPool2d is torch's max_pool2d on x (N, C, H, W) with a kernel
// (kh, kw): y[n, c, oh, ow] = max_{i, j} x[n, c, oh·sH − pH + i·dH,
// ow·sW − pW + j·dW] over the positions inside the image. Its gradient goes
// to the first maximum of each window in row-major order, as torch's does,
// so a window of equal values passes it to one input only.
func MaxPool2d(x *G.Node, kernel [2]int, opt MaxPoolOptions) (out *G.Node, err error) {
	defer recoverTo(&err, "maxpool2d")
	s, err := poolSpec("maxpool2d", x, kernel, opt.Stride, opt.Padding, opt.Dilation)
	if err != nil {
		return nil, err
	}
	p, err := conv.NewMaxPool(s)
	if err != nil {
		return nil, fmt.Errorf("ops: %v (input %v)", err, x.Shape())
	}
	return convApply("maxpool2d", &poolOp{p: p, max: true}, x)
}

// AvgPool2d is torch's avg_pool2d on x (N, C, H, W) with a kernel (kh, kw):
// the mean of each window, zero padding included in the count unless
// ExcludePad.
func AvgPool2d(x *G.Node, kernel [2]int, opt AvgPoolOptions) (out *G.Node, err error) {
	defer recoverTo(&err, "avgpool2d")
	s, err := poolSpec("avgpool2d", x, kernel, opt.Stride, opt.Padding, [2]int{})
	if err != nil {
		return nil, err
	}
	s.ExcludePad = opt.ExcludePad
	p, err := conv.NewAvgPool(s)
	if err != nil {
		return nil, fmt.Errorf("ops: %v (input %v)", err, x.Shape())
	}
	return convApply("avgpool2d", &poolOp{p: p}, x)
}

// GlobalAvgPool2d averages each channel of x (N, C, H, W) over H and W,
// giving (N, C): torch's adaptive_avg_pool2d(x, 1) flattened.
func GlobalAvgPool2d(x *G.Node) (out *G.Node, err error) {
	defer recoverTo(&err, "global average pooling")
	if x == nil {
		return nil, fmt.Errorf("ops: global average pooling: the input is nil")
	}
	if x.Dims() != 4 {
		return nil, fmt.Errorf("ops: global average pooling: the input must be 4-D (N, C, H, W), got shape %v", x.Shape())
	}
	if dt := x.Dtype(); dt != tensor.Float64 && dt != tensor.Float32 {
		return nil, fmt.Errorf("ops: global average pooling: the input must be float64 or float32, got %v", dt)
	}
	return convApply("global average pooling", &globalAvgOp{shape: x.Shape().Clone()}, x)
}

func poolSpec(name string, x *G.Node, kernel, stride, pad, dil [2]int) (conv.PoolSpec, error) {
	if x == nil {
		return conv.PoolSpec{}, fmt.Errorf("ops: %s: the input is nil", name)
	}
	if x.Dims() != 4 {
		return conv.PoolSpec{}, fmt.Errorf("ops: %s: the input must be 4-D (N, C, H, W), got shape %v", name, x.Shape())
	}
	if dt := x.Dtype(); dt != tensor.Float64 && dt != tensor.Float32 {
		return conv.PoolSpec{}, fmt.Errorf("ops: %s: the input must be float64 or float32, got %v", name, dt)
	}
	xs := x.Shape()
	or := func(v, d int) int {
		if v == 0 {
			return d
		}
		return v
	}
	return conv.PoolSpec{
		N: xs[0], C: xs[1], H: xs[2], W: xs[3], KH: kernel[0], KW: kernel[1],
		StrideH: or(stride[0], kernel[0]), StrideW: or(stride[1], kernel[1]),
		PadH: pad[0], PadW: pad[1], DilH: or(dil[0], 1), DilW: or(dil[1], 1),
	}, nil
}

func poolShapes(p *conv.Pool) (x, y tensor.Shape) {
	return tensor.Shape{p.N, p.C, p.H, p.W}, tensor.Shape{p.N, p.C, p.OH, p.OW}
}

func poolString(name string, p *conv.Pool) string {
	s := fmt.Sprintf("%s{x (%d, %d, %d, %d), kernel (%d, %d), stride (%d, %d), padding (%d, %d)",
		name, p.N, p.C, p.H, p.W, p.KH, p.KW, p.StrideH, p.StrideW, p.PadH, p.PadW)
	if p.DilH != 1 || p.DilW != 1 {
		s += fmt.Sprintf(", dilation (%d, %d)", p.DilH, p.DilW)
	}
	if p.ExcludePad {
		s += ", exclude padding"
	}
	return s + "}"
}

// poolOp is max or average pooling.
type poolOp struct {
	p   *conv.Pool
	max bool
}

func (op *poolOp) Arity() int    { return 1 }
func (op *poolOp) Type() hm.Type { return convFnType(4, 4) }
func (op *poolOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, y := poolShapes(op.p)
	return inferShape(op, in, y, x)
}
func (op *poolOp) Do(v ...G.Value) (G.Value, error) {
	x, y := poolShapes(op.p)
	return convDoNative(op, v, []tensor.Shape{x}, y)
}
func (op *poolOp) ReturnsPtr() bool      { return false }
func (op *poolOp) CallsExtern() bool     { return false }
func (op *poolOp) OverwritesInput() int  { return -1 }
func (op *poolOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *poolOp) Hashcode() uint32      { return hashOf(op) }
func (op *poolOp) String() string {
	if op.max {
		return poolString("MaxPool2d", op.p)
	}
	return poolString("AvgPool2d", op.p)
}
func (op *poolOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff gives ∂L/∂x: for max pooling from (x, y, ∂L/∂y), y locating
// each window's maximum; for average pooling from ∂L/∂y alone.
func (op *poolOp) SymDiff(in G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("ops: %v takes 1 input, got %d", op, len(in))
	}
	var dx *G.Node
	var err error
	if op.max {
		dx, err = convApply("maxpool2d gradient", &maxPoolGradOp{p: op.p}, in[0], output, grad)
	} else {
		dx, err = convApply("avgpool2d gradient", &avgPoolGradOp{p: op.p}, grad)
	}
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}
func (op *poolOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return poolKernel[float64](op, in)
}
func (op *poolOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return poolKernel[float32](op, in)
}

func poolKernel[T conv.Float](op *poolOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	x, _ := poolShapes(op.p)
	if err := sameShapes(op, in, x); err != nil {
		return nil, err
	}
	p := op.p
	if op.max {
		return func(out []T, in [][]T) error { return conv.MaxPoolForward(p, out, in[0]) }, nil
	}
	return func(out []T, in [][]T) error { return conv.AvgPoolForward(p, out, in[0]) }, nil
}

// maxPoolGradOp is ∂L/∂x of max pooling, from (x, y, ∂L/∂y).
type maxPoolGradOp struct{ p *conv.Pool }

func (op *maxPoolGradOp) Arity() int    { return 3 }
func (op *maxPoolGradOp) Type() hm.Type { return convFnType(4, 4, 4, 4) }
func (op *maxPoolGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, y := poolShapes(op.p)
	return inferShape(op, in, x, x, y, y)
}
func (op *maxPoolGradOp) Do(v ...G.Value) (G.Value, error) {
	x, y := poolShapes(op.p)
	return convDoNative(op, v, []tensor.Shape{x, y, y}, x)
}
func (op *maxPoolGradOp) ReturnsPtr() bool      { return false }
func (op *maxPoolGradOp) CallsExtern() bool     { return false }
func (op *maxPoolGradOp) OverwritesInput() int  { return -1 }
func (op *maxPoolGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *maxPoolGradOp) Hashcode() uint32      { return hashOf(op) }
func (op *maxPoolGradOp) String() string        { return poolString("MaxPool2dGrad", op.p) }
func (op *maxPoolGradOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return maxPoolGradKernel[float64](op, in)
}
func (op *maxPoolGradOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return maxPoolGradKernel[float32](op, in)
}

func maxPoolGradKernel[T conv.Float](op *maxPoolGradOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	x, y := poolShapes(op.p)
	if err := sameShapes(op, in, x, y, y); err != nil {
		return nil, err
	}
	p := op.p
	return func(out []T, in [][]T) error { return conv.MaxPoolBackward(p, out, in[0], in[1], in[2]) }, nil
}

// avgPoolGradOp is ∂L/∂x of average pooling, from ∂L/∂y.
type avgPoolGradOp struct{ p *conv.Pool }

func (op *avgPoolGradOp) Arity() int    { return 1 }
func (op *avgPoolGradOp) Type() hm.Type { return convFnType(4, 4) }
func (op *avgPoolGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, y := poolShapes(op.p)
	return inferShape(op, in, x, y)
}
func (op *avgPoolGradOp) Do(v ...G.Value) (G.Value, error) {
	x, y := poolShapes(op.p)
	return convDoNative(op, v, []tensor.Shape{y}, x)
}
func (op *avgPoolGradOp) ReturnsPtr() bool      { return false }
func (op *avgPoolGradOp) CallsExtern() bool     { return false }
func (op *avgPoolGradOp) OverwritesInput() int  { return -1 }
func (op *avgPoolGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *avgPoolGradOp) Hashcode() uint32      { return hashOf(op) }
func (op *avgPoolGradOp) String() string        { return poolString("AvgPool2dGrad", op.p) }
func (op *avgPoolGradOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return avgPoolGradKernel[float64](op, in)
}
func (op *avgPoolGradOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return avgPoolGradKernel[float32](op, in)
}

func avgPoolGradKernel[T conv.Float](op *avgPoolGradOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	_, y := poolShapes(op.p)
	if err := sameShapes(op, in, y); err != nil {
		return nil, err
	}
	p := op.p
	return func(out []T, in [][]T) error { return conv.AvgPoolBackward(p, out, in[0]) }, nil
}

// globalAvgOp is (N, C, H, W) → (N, C), the mean over H and W; with
// back set, it is its gradient (N, C) → (N, C, H, W), each value dy/(H·W).
type globalAvgOp struct {
	shape tensor.Shape // the input (N, C, H, W)
	back  bool
}

func (op *globalAvgOp) shapes() (in, out tensor.Shape) {
	x, y := op.shape, tensor.Shape{op.shape[0], op.shape[1]}
	if op.back {
		return y, x
	}
	return x, y
}

func (op *globalAvgOp) Arity() int { return 1 }
func (op *globalAvgOp) Type() hm.Type {
	if op.back {
		return convFnType(2, 4)
	}
	return convFnType(4, 2)
}
func (op *globalAvgOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, y := op.shapes()
	return inferShape(op, in, y, x)
}
func (op *globalAvgOp) Do(v ...G.Value) (G.Value, error) {
	x, y := op.shapes()
	return convDoNative(op, v, []tensor.Shape{x}, y)
}
func (op *globalAvgOp) ReturnsPtr() bool      { return false }
func (op *globalAvgOp) CallsExtern() bool     { return false }
func (op *globalAvgOp) OverwritesInput() int  { return -1 }
func (op *globalAvgOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *globalAvgOp) Hashcode() uint32      { return hashOf(op) }
func (op *globalAvgOp) String() string {
	if op.back {
		return fmt.Sprintf("GlobalAvgPool2dGrad{%v}", op.shape)
	}
	return fmt.Sprintf("GlobalAvgPool2d{%v}", op.shape)
}
func (op *globalAvgOp) DiffWRT(int) []bool { return []bool{!op.back} }

// SymDiff gives ∂L/∂x[n, c, h, w] = ∂L/∂y[n, c]/(H·W).
func (op *globalAvgOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if op.back || len(in) != 1 {
		return nil, fmt.Errorf("ops: %v is not differentiable here", op)
	}
	dx, err := convApply("global average pooling gradient", &globalAvgOp{shape: op.shape, back: true}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}
func (op *globalAvgOp) NativeKernel64(in []tensor.Shape) (func([]float64, [][]float64) error, error) {
	return globalAvgKernel[float64](op, in)
}
func (op *globalAvgOp) NativeKernel32(in []tensor.Shape) (func([]float32, [][]float32) error, error) {
	return globalAvgKernel[float32](op, in)
}

func globalAvgKernel[T conv.Float](op *globalAvgOp, in []tensor.Shape) (func([]T, [][]T) error, error) {
	x, _ := op.shapes()
	if err := sameShapes(op, in, x); err != nil {
		return nil, err
	}
	planes, hw := op.shape[0]*op.shape[1], op.shape[2]*op.shape[3]
	if op.back {
		return func(out []T, in [][]T) error { return conv.GlobalAvgPoolBackward(out, in[0], planes, hw) }, nil
	}
	return func(out []T, in [][]T) error { return conv.GlobalAvgPool(out, in[0], planes, hw) }, nil
}
