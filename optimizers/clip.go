package optimizers

import (
	"math"
	"sort"
)

// clipNorm scales the whole gradient down to a maximum global norm.
type clipNorm struct {
	max   float64
	names []string // sorted, so the norm is summed in a fixed order
}

var _ Transform = (*clipNorm)(nil)

// ClipByGlobalNorm rescales the gradient so its global L2 norm over every
// parameter is at most max (Pascanu, Mikolov & Bengio 2013), exactly as
// torch.nn.utils.clip_grad_norm_: with c = max/(‖g‖ + 1e-6), g ← c·g when c < 1.
// The norm is √(Σₚ‖gₚ‖²) over parameters in name order, as torch stacks
// per-parameter norms.
func ClipByGlobalNorm(max float64) Transform { return &clipNorm{max: max} }

func (c *clipNorm) Init(params Params, _ *State) error {
	c.names = c.names[:0]
	for k := range params {
		c.names = append(c.names, k)
	}
	sort.Strings(c.names)
	return nil
}

func (c *clipNorm) Update(u Params, _ *State, _ Params) error {
	var sq float64
	for _, k := range c.names {
		var p float64
		for _, v := range u[k] {
			p += v * v
		}
		n := math.Sqrt(p)
		sq += n * n
	}
	coef := c.max / (math.Sqrt(sq) + 1e-6)
	if coef >= 1 {
		return nil
	}
	for _, g := range u {
		for i := range g {
			g[i] *= coef
		}
	}
	return nil
}

// clipValue clamps each gradient component.
type clipValue struct{ max float64 }

var _ Transform = clipValue{}

// ClipByValue clamps every gradient component to [−max, max], as
// torch.nn.utils.clip_grad_value_.
func ClipByValue(max float64) Transform { return clipValue{max} }

func (clipValue) Init(Params, *State) error { return nil }

func (c clipValue) Update(u Params, _ *State, _ Params) error {
	for _, g := range u {
		for i, v := range g {
			g[i] = math.Max(-c.max, math.Min(c.max, v))
		}
	}
	return nil
}
