package optimizers

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
)

// Optimizer is a named, validated chain of transforms with a learning-rate
// schedule, ready for a training loop:
//
//	w ← w − lr_t·u,   u = chain(g)
//
// where lr_t is the schedule's rate, folded with Adagrad's lr_decay
// (lr_t/(1 + t·decay)) or Adam's first-moment bias correction
// (lr_t/(1 − β1ᵗ⁺¹)) the way torch.optim folds them, and AdamW first
// shrinks w ← w·(1 − lr_t·λ).
type Optimizer struct {
	cfg   Config
	chain Transform
	lr    Schedule
	state State
	init  bool
}

// New validates cfg, fills in its defaults and builds the optimizer.
func New(cfg Config) (*Optimizer, error) {
	c, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	sched, err := ParseSchedule(c.Schedule, c.LR)
	if err != nil {
		return nil, err
	}
	var ts []Transform
	if c.ClipNorm > 0 {
		ts = append(ts, ClipByGlobalNorm(c.ClipNorm))
	}
	if c.ClipValue > 0 {
		ts = append(ts, ClipByValue(c.ClipValue))
	}
	if c.WeightDecay > 0 && c.Name != "adamw" {
		ts = append(ts, AddDecayedWeights(c.WeightDecay))
	}
	switch c.Name {
	case "momentum", "nesterov":
		if c.Momentum > 0 {
			ts = append(ts, ScaleByMomentum(c.Momentum, c.Dampening, c.Name == "nesterov"))
		}
	case "adagrad":
		ts = append(ts, ScaleByAdagrad(c.InitialAccumulator, c.Eps))
	case "rmsprop":
		ts = append(ts, ScaleByRMSProp(c.Alpha, c.Eps, c.Momentum, c.Centered))
	case "adam", "adamw":
		ts = append(ts, ScaleByAdam(c.Beta1, c.Beta2, c.Eps, c.AMSGrad))
	}
	return &Optimizer{cfg: c, chain: Chain(ts...), lr: sched}, nil
}

// Config returns the resolved configuration, defaults filled in.
func (o *Optimizer) Config() Config { return o.cfg }

// Init creates the state for params: every slot, zeroed (or Adagrad's
// initial accumulator), and a step count of 0.
func (o *Optimizer) Init(params Params) error {
	o.state = State{}
	if err := o.chain.Init(params, &o.state); err != nil {
		return err
	}
	o.init = true
	return nil
}

// StepCount is the number of updates made.
func (o *Optimizer) StepCount() int { return o.state.Count }

// LR is the learning rate the next update uses, before any bias correction.
func (o *Optimizer) LR() float64 { return o.lr(o.state.Count) }

// Step updates params in place from grads, which it overwrites with the
// updates. It allocates nothing.
func (o *Optimizer) Step(params, grads Params) error {
	if !o.init {
		return fmt.Errorf("optimizers: Step before Init")
	}
	t := o.state.Count
	base := o.lr(t)
	if o.cfg.Name == "adamw" {
		shrink := 1 - base*o.cfg.WeightDecay
		for _, w := range params {
			for i := range w {
				w[i] *= shrink
			}
		}
	}
	if err := o.chain.Update(grads, &o.state, params); err != nil {
		return err
	}
	lr := base
	switch o.cfg.Name {
	case "adagrad":
		lr = base / (1 + float64(t)*o.cfg.LRDecay)
	case "adam", "adamw":
		lr = base / BiasCorrection1(o.cfg.Beta1, t+1)
	}
	for k, w := range params {
		u := grads[k]
		for i := range w {
			w[i] -= lr * u[i]
		}
	}
	o.state.Count++
	return nil
}

// savedState is the JSON form of an optimizer's state.
type savedState struct {
	Optimizer string `json:"optimizer"`
	State
}

// MarshalState encodes the full state, step count included, as JSON.
func (o *Optimizer) MarshalState() ([]byte, error) {
	return json.Marshal(savedState{Optimizer: o.cfg.Name, State: o.state})
}

// UnmarshalState restores a state written by MarshalState for the same
// optimizer and parameters. Call Init first: the state must have the same
// slots and sizes.
func (o *Optimizer) UnmarshalState(b []byte) error {
	if !o.init {
		return fmt.Errorf("optimizers: UnmarshalState before Init")
	}
	var s savedState
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("optimizers: reading optimizer state: %w", err)
	}
	if s.Optimizer != o.cfg.Name {
		return fmt.Errorf("optimizers: the saved state is for %s, not %s", s.Optimizer, o.cfg.Name)
	}
	if s.Count < 0 {
		return fmt.Errorf("optimizers: the saved step count is %d", s.Count)
	}
	for _, slot := range sortedKeys(o.state.Slots) {
		want := o.state.Slots[slot]
		got, ok := s.Slots[slot]
		if !ok {
			return fmt.Errorf("optimizers: the saved state has no slot %s", slot)
		}
		for _, p := range sortedKeys(want) {
			if len(got[p]) != len(want[p]) {
				return fmt.Errorf("optimizers: slot %s of parameter %s has %d values saved, want %d", slot, p, len(got[p]), len(want[p]))
			}
			for _, v := range got[p] {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("optimizers: slot %s of parameter %s holds a non-finite value", slot, p)
				}
			}
		}
	}
	for slot, want := range o.state.Slots {
		for p := range want {
			copy(want[p], s.Slots[slot][p])
		}
	}
	o.state.Count = s.Count
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
