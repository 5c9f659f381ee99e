package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// Conv1d is torch.nn.Conv1d on (N, C, L) sequences: weight
// (out_channels, in_channels/groups, k) and bias (out_channels), from
// U(±1/√fan_in), fan_in = in_channels/groups·k; in_channels is inferred.
type Conv1d struct {
	OutChannels int `arg:"out_channels,pos,req"`
	KernelSize  int `arg:"kernel_size,pos,req"`
	// Stride and Dilation are 1 when zero; Padding is zeros on each side.
	Stride   int `arg:"stride"`
	Padding  int `arg:"padding"`
	Dilation int `arg:"dilation"`
	// Groups is 1 when zero.
	Groups int `arg:"groups"`
	// Bias adds a bias per output channel; nil means true.
	Bias *bool `arg:"bias"`
}

// Validate implements validator.
func (c *Conv1d) Validate() error {
	return checkConv(c.OutChannels, Pair{1, c.KernelSize}, Pair{1, c.Stride}, Pair{0, c.Padding}, Pair{1, c.Dilation}, c.Groups)
}

// Forward implements Module.
func (c *Conv1d) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if x.Dims() != 3 {
		return nil, fmt.Errorf("its input has shape %v; conv1d needs sequences (batch, channels, length): give the rows a shape with --input-shape C,L", x.Shape())
	}
	return convForward(s, x, c.OutChannels, c.Groups, []int{c.KernelSize}, c.Bias, func(x, w *G.Node) (*G.Node, error) {
		return ops.Conv1d(x, w, ops.Conv1dOptions{Stride: c.Stride, Padding: c.Padding, Dilation: c.Dilation, Groups: c.Groups})
	})
}
