package optimizers

import "fmt"

// State is the explicit state of a chain of transforms: how many updates
// have been made, and named slots of per-parameter values. A transform's
// slots are named "<position in the chain>/<slot>", e.g. "2/exp_avg".
type State struct {
	Count int                             `json:"count"`
	Slots map[string]map[string][]float64 `json:"slots"`
}

// Transform is one stage of an optimizer (optax's GradientTransformation).
// Init adds its slots for params to s. Update rewrites updates in place:
// on entry they are the gradients, or the previous stage's output; s.Count
// is the number of updates made before this one.
type Transform interface {
	Init(params Params, s *State) error
	Update(updates Params, s *State, params Params) error
}

// slotted is a Transform that keeps slots under a prefix set by Chain.
type slotted interface{ setPrefix(p string) }

type base struct{ prefix string }

func (b *base) setPrefix(p string) { b.prefix = p }

// slot allocates (or, on resume, keeps) a named slot shaped like params.
func (b *base) slot(s *State, name string, params Params, fill float64) map[string][]float64 {
	if s.Slots == nil {
		s.Slots = map[string]map[string][]float64{}
	}
	key := b.prefix + name
	m := s.Slots[key]
	if m == nil {
		m = map[string][]float64{}
		s.Slots[key] = m
	}
	for k, p := range params {
		if len(m[k]) != len(p) {
			v := make([]float64, len(p))
			for i := range v {
				v[i] = fill
			}
			m[k] = v
		}
	}
	return m
}

func (b *base) get(s *State, name string) (map[string][]float64, error) {
	m, ok := s.Slots[b.prefix+name]
	if !ok {
		return nil, fmt.Errorf("optimizers: state has no slot %q; was Init called?", b.prefix+name)
	}
	return m, nil
}

type chain struct{ ts []Transform }

var _ Transform = (*chain)(nil)

// Chain applies transforms in order, each to the previous one's output,
// giving each its own slot namespace.
func Chain(ts ...Transform) Transform {
	for i, t := range ts {
		if s, ok := t.(slotted); ok {
			s.setPrefix(fmt.Sprintf("%d/", i))
		}
	}
	return &chain{ts: ts}
}

func (c *chain) Init(params Params, s *State) error {
	for _, t := range c.ts {
		if err := t.Init(params, s); err != nil {
			return err
		}
	}
	return nil
}

func (c *chain) Update(u Params, s *State, params Params) error {
	for _, t := range c.ts {
		if err := t.Update(u, s, params); err != nil {
			return err
		}
	}
	return nil
}
