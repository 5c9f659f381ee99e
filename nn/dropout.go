package nn

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// Dropout is torch.nn.Dropout (Srivastava et al. 2014), inverted: in
// training each element is zeroed with probability p and the others are
// scaled by 1/(1−p); in evaluation, and for p = 0, it is the identity.
// p = 1 gives zeros. The mask is drawn from the engine's seed, the layer's
// name and the training step (ops.Dropout), so the same seed and step give
// the same mask and a resumed run redraws the masks it would have drawn.
// The mask is keyed by the element's index in the whole batch, so a
// training batch is never split into row blocks.
type Dropout struct {
	// P is the probability of zeroing an element; nil means 0.5.
	P *float64 `arg:"p,pos"`
}

var _ Module = (*Dropout)(nil)

func (d *Dropout) p() float64 {
	if d.P == nil {
		return 0.5
	}
	return *d.P
}

// Validate implements validator.
func (d *Dropout) Validate() error {
	if p := d.p(); math.IsNaN(p) || p < 0 || p > 1 {
		return fmt.Errorf("p must be in [0,1], got %v", p)
	}
	return nil
}

// Forward implements Module.
func (d *Dropout) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	p := d.p()
	if !s.Training || p == 0 {
		return x, nil
	}
	s.Batchwise()
	return ops.Dropout(x, s.Step(), p, s.Seed())
}
