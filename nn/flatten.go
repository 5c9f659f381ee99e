package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Flatten reshapes (n, d1, d2, …) to (n, d1·d2·…), torch.nn.Flatten's
// default (start_dim 1). It has no parameters and copies nothing.
type Flatten struct{}

// Forward implements Module.
func (Flatten) Forward(_ *graph.Scope, x *G.Node) (*G.Node, error) {
	sh := x.Shape()
	if len(sh) < 2 {
		return nil, fmt.Errorf("flatten needs a batch of rows, got shape %v", sh)
	}
	if len(sh) == 2 {
		return x, nil
	}
	return G.Reshape(x, []int{sh[0], sh[1:].TotalSize()})
}
