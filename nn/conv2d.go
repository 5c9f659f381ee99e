package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// Conv2d is torch.nn.Conv2d on NCHW images: a cross-correlation with zero
// padding, weight (out_channels, in_channels/groups, kh, kw) and bias
// (out_channels), both from U(±1/√fan_in) with fan_in =
// in_channels/groups·kh·kw (kaiming_uniform_ with a = √5). in_channels is
// inferred from the input. The output is (N, out_channels, OH, OW) with
// OH = ⌊(H + 2·padding − dilation·(kh − 1) − 1)/stride⌋ + 1.
type Conv2d struct {
	OutChannels int  `arg:"out_channels,pos,req"`
	KernelSize  Pair `arg:"kernel_size,pos,req"`
	// Stride is 1 and Dilation 1 when zero; Padding is zeros on each side.
	Stride   Pair `arg:"stride"`
	Padding  Pair `arg:"padding"`
	Dilation Pair `arg:"dilation"`
	// Groups splits the channels into groups convolved separately; 0 is 1.
	Groups int `arg:"groups"`
	// Bias adds a bias per output channel; nil means true.
	Bias *bool `arg:"bias"`
}

// Validate implements validator.
func (c *Conv2d) Validate() error {
	return checkConv(c.OutChannels, c.KernelSize, c.Stride, c.Padding, c.Dilation, c.Groups)
}

func checkConv(out int, k, stride, pad, dil Pair, groups int) error {
	switch {
	case out < 1 || out > 1<<16:
		return fmt.Errorf("out_channels must be in [1, 65536], got %d", out)
	case k[0] < 1 || k[1] < 1 || k[0] > 1<<12 || k[1] > 1<<12:
		return fmt.Errorf("kernel_size must be in [1, 4096], got %v", k)
	case stride[0] < 0 || stride[1] < 0 || dil[0] < 0 || dil[1] < 0 || pad[0] < 0 || pad[1] < 0:
		return fmt.Errorf("stride, padding and dilation must be >= 0 (0 means the default), got %v, %v and %v", stride, pad, dil)
	case groups < 0 || groups > out:
		return fmt.Errorf("groups must be in [1, out_channels = %d], got %d", out, groups)
	case groups > 0 && out%groups != 0:
		return fmt.Errorf("out_channels %d must be a multiple of groups %d", out, groups)
	}
	return nil
}

// Forward implements Module.
func (c *Conv2d) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if x.Dims() != 4 {
		return nil, fmt.Errorf("its input has shape %v; conv2d needs images (batch, channels, height, width): give the rows a shape with --input-shape C,H,W", x.Shape())
	}
	return convForward(s, x, c.OutChannels, c.Groups, c.KernelSize[:], c.Bias, func(x, w *G.Node) (*G.Node, error) {
		return ops.Conv2d(x, w, ops.ConvOptions{Stride: c.Stride, Padding: c.Padding, Dilation: c.Dilation, Groups: c.Groups})
	})
}
