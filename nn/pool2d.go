package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// MaxPool2d is torch.nn.MaxPool2d on NCHW images: the maximum of each
// window, implicit −∞ padding; the gradient goes to the first maximum of a
// window in row-major order, as torch's does. ceil_mode is not supported.
type MaxPool2d struct {
	KernelSize Pair `arg:"kernel_size,pos,req"`
	// Stride is the kernel size when zero; Dilation is 1.
	Stride   Pair `arg:"stride"`
	Padding  Pair `arg:"padding"`
	Dilation Pair `arg:"dilation"`
}

// Validate implements validator.
func (p *MaxPool2d) Validate() error { return checkPool(p.KernelSize, p.Stride, p.Padding) }

func checkPool(k, stride, pad Pair) error {
	switch {
	case k[0] < 1 || k[1] < 1 || k[0] > 1<<12 || k[1] > 1<<12:
		return fmt.Errorf("kernel_size must be in [1, 4096], got %v", k)
	case stride[0] < 0 || stride[1] < 0 || pad[0] < 0 || pad[1] < 0:
		return fmt.Errorf("stride and padding must be >= 0 (0 means the default), got %v and %v", stride, pad)
	case 2*pad[0] > k[0] || 2*pad[1] > k[1]:
		return fmt.Errorf("padding %v must be at most half the kernel %v", pad, k)
	}
	return nil
}

func images(name string, x *G.Node) error {
	if x.Dims() != 4 {
		return fmt.Errorf("its input has shape %v; %s needs images (batch, channels, height, width)", x.Shape(), name)
	}
	return nil
}

// Forward implements Module.
func (p *MaxPool2d) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := images("maxpool2d", x); err != nil {
		return nil, err
	}
	return ops.MaxPool2d(x, p.KernelSize, ops.MaxPoolOptions{Stride: p.Stride, Padding: p.Padding, Dilation: p.Dilation})
}

// AvgPool2d is torch.nn.AvgPool2d on NCHW images: the mean of each window,
// zero padding counted (count_include_pad, true by default).
type AvgPool2d struct {
	KernelSize Pair `arg:"kernel_size,pos,req"`
	// Stride is the kernel size when zero.
	Stride  Pair `arg:"stride"`
	Padding Pair `arg:"padding"`
	// CountIncludePad divides by the whole window, padding included; nil
	// means true.
	CountIncludePad *bool `arg:"count_include_pad"`
}

// Validate implements validator.
func (p *AvgPool2d) Validate() error { return checkPool(p.KernelSize, p.Stride, p.Padding) }

// Forward implements Module.
func (p *AvgPool2d) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := images("avgpool2d", x); err != nil {
		return nil, err
	}
	exclude := p.CountIncludePad != nil && !*p.CountIncludePad
	return ops.AvgPool2d(x, p.KernelSize, ops.AvgPoolOptions{Stride: p.Stride, Padding: p.Padding, ExcludePad: exclude})
}

// AdaptiveAvgPool2d is torch.nn.AdaptiveAvgPool2d with output size 1:
// global average pooling, each channel's mean over the image, giving
// (N, C, 1, 1). Other output sizes are not supported.
type AdaptiveAvgPool2d struct {
	OutputSize Pair `arg:"output_size,pos,req"`
}

// Validate implements validator.
func (p *AdaptiveAvgPool2d) Validate() error {
	if p.OutputSize != (Pair{1, 1}) {
		return fmt.Errorf("output_size must be 1 (global average pooling), got %v", p.OutputSize)
	}
	return nil
}

// Forward implements Module.
func (p *AdaptiveAvgPool2d) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := images("adaptiveavgpool2d", x); err != nil {
		return nil, err
	}
	y, err := ops.GlobalAvgPool2d(x)
	if err != nil {
		return nil, err
	}
	sh := x.Shape()
	return G.Reshape(y, []int{sh[0], sh[1], 1, 1})
}
