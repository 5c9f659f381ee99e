package optimizers

import (
	"math"

	"gonum.org/v1/gonum/floats"
)

// clipNorm rescales the updates to a maximum global norm.
type clipNorm struct{ max float64 }

var _ Transform = clipNorm{}

// ClipByGlobalNorm rescales the gradient so that its global L2 norm over
// every parameter is at most max > 0 (Pascanu, Mikolov & Bengio 2013, "On
// the difficulty of training recurrent neural networks", ICML), exactly as
// torch.nn.utils.clip_grad_norm_:
//
//	‖g‖ = √(Σₚ ‖gₚ‖²),   c = max / (‖g‖ + 1e-6),   g ← c·g  if c < 1
//
// The per-parameter norms are summed in parameter-name order, so the result
// does not depend on map order. The stage keeps no state; put it first in a
// chain, where the updates are still the gradients.
func ClipByGlobalNorm(max float64) Transform { return clipNorm{max} }

// Init checks max > 0.
func (c clipNorm) Init(Params) (State, error) { return State{}, positive("clip-norm", c.max) }

// Update rescales the updates when their global norm exceeds max.
func (c clipNorm) Update(u Params, s State, _ Params) (State, error) {
	if err := positive("clip-norm", c.max); err != nil {
		return s, err
	}
	// Visit the names in sorted order without allocating: each pass picks
	// the smallest name after the previous one (a handful of parameters).
	var norm float64
	prev, started := "", false
	for range u {
		next, found := "", false
		for k := range u {
			if (!started || k > prev) && (!found || k < next) {
				next, found = k, true
			}
		}
		norm = math.Hypot(norm, floats.Norm(u[next], 2))
		prev, started = next, true
	}
	coef := c.max / (norm + 1e-6)
	if coef >= 1 {
		return s, nil
	}
	for _, g := range u {
		floats.Scale(coef, g)
	}
	return s, nil
}

// clipValue clamps every update component.
type clipValue struct{ max float64 }

var _ Transform = clipValue{}

// ClipByValue clamps every gradient component to [−max, max], max > 0, as
// torch.nn.utils.clip_grad_value_. The stage keeps no state.
func ClipByValue(max float64) Transform { return clipValue{max} }

// Init checks max > 0.
func (c clipValue) Init(Params) (State, error) { return State{}, positive("clip-value", c.max) }

// Update clamps the updates.
func (c clipValue) Update(u Params, s State, _ Params) (State, error) {
	if err := positive("clip-value", c.max); err != nil {
		return s, err
	}
	for _, g := range u {
		for i, v := range g {
			g[i] = math.Max(-c.max, math.Min(c.max, v))
		}
	}
	return s, nil
}
