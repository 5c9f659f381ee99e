package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// convForward is the forward pass of a convolution layer (Conv1d, Conv2d)
// on x of shape (batch, channels, spatial…): it declares torch's weight
// "weight" (out, channels/groups, kernel…) and, unless bias is false, its
// "bias" (out), both drawn from kaiming_uniform_(a=√5) of fan-in
// channels/groups·Πkernel, applies conv and adds the bias per channel.
func convForward(s *graph.Scope, x *G.Node, out, groups int, kernel []int, bias *bool, conv func(x, w *G.Node) (*G.Node, error)) (*G.Node, error) {
	in, g := x.Shape()[1], max(groups, 1)
	if in%g != 0 {
		return nil, fmt.Errorf("its input has %d channels, not a multiple of groups %d", in, g)
	}
	fanIn := in / g
	for _, k := range kernel {
		fanIn *= k
	}
	w, err := s.Param("weight", append([]int{out, in / g}, kernel...), KaimingUniform(fanIn))
	if err != nil {
		return nil, err
	}
	y, err := conv(x, w)
	if err != nil {
		return nil, err
	}
	if bias == nil || *bias {
		b, err := s.Param("bias", []int{out}, KaimingUniform(fanIn))
		if err != nil {
			return nil, err
		}
		return ops.AddChannelBias(y, b)
	}
	return y, nil
}
