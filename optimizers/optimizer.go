package optimizers

import "fmt"

// Optimizer is a named optimizer ready for a training loop: a validated
// chain of transforms ending in its learning-rate schedule,
//
//	u = ScaleByLearningRate(lr)(… (clip(g)))   then   w ← w − u
//
// with the chain's state. Create it with New, then Init it with the
// parameters, then Step once per update.
type Optimizer struct {
	cfg   Config
	rate  Schedule // the rate of ScaleByLearningRate, Adagrad's decay included
	chain Transform
	state State
	// names and sizes of the parameters given to Init, names sorted.
	names []string
	sizes []int
}

// New validates cfg, fills in its defaults (Config.Resolve) and builds the
// optimizer: optional clipping by norm, then by value, then the named
// optimizer's chain, which ends in ScaleByLearningRate with the schedule.
func New(cfg Config) (*Optimizer, error) {
	c, rate, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	if c.LRDecay != 0 { // adagrad's lr_decay is a schedule
		if rate, err = InverseTimeDecay(rate, c.LRDecay); err != nil {
			return nil, err
		}
	}
	var ts []Transform
	if c.ClipNorm != 0 {
		ts = append(ts, ClipByGlobalNorm(c.ClipNorm))
	}
	if c.ClipValue != 0 {
		ts = append(ts, ClipByValue(c.ClipValue))
	}
	sp, _ := lookup(c.Name) // Resolve checked the name
	return &Optimizer{cfg: c, rate: rate, chain: Chain(append(ts, sp.chain(c, rate)...)...)}, nil
}

// Config returns the resolved configuration, defaults filled in.
func (o *Optimizer) Config() Config { return o.cfg }

// Init creates the state for params (their names and sizes; the values
// are not read) at step 0: zeroed moments and buffers, Adagrad's initial
// accumulator. It may be called again to start over.
func (o *Optimizer) Init(params Params) error {
	st, err := o.chain.Init(params)
	if err != nil {
		return err
	}
	o.adopt(st, sizesOf(params))
	return nil
}

// adopt takes st as the state for parameters of these sizes.
func (o *Optimizer) adopt(st State, sizes map[string]int) {
	o.state, o.names = st, sortedKeys(sizes)
	o.sizes = make([]int, len(o.names))
	for i, k := range o.names {
		o.sizes[i] = sizes[k]
	}
}

// StepCount is the number of updates made (restored by UnmarshalState).
func (o *Optimizer) StepCount() int {
	if len(o.state.Stages) == 0 {
		return 0
	}
	return o.state.Stages[len(o.state.Stages)-1].Count // ScaleByLearningRate's
}

// LR is the learning rate of the next update: the schedule's, with
// Adagrad's lr_decay, before Adam's bias correction.
func (o *Optimizer) LR() float64 { return o.rate(o.StepCount()) }

// Step makes one update in place: the chain turns grads into updates u,
// overwriting grads, and w ← w − u for every parameter. params and grads
// must have the names and sizes given to Init. A steady-state Step
// allocates nothing.
func (o *Optimizer) Step(params, grads Params) error {
	if o.names == nil {
		return fmt.Errorf("optimizers: Step before Init")
	}
	if err := o.check(params, "parameters"); err != nil {
		return err
	}
	if err := o.check(grads, "gradients"); err != nil {
		return err
	}
	st, err := o.chain.Update(grads, o.state, params)
	if err != nil {
		return err
	}
	o.state = st
	for k, w := range params {
		u := grads[k]
		for i := range w {
			w[i] -= u[i]
		}
	}
	return nil
}

// check reports whether p has the names and sizes given to Init.
func (o *Optimizer) check(p Params, what string) error {
	bad := len(p) != len(o.names)
	for i, k := range o.names {
		if v, ok := p[k]; !ok || len(v) != o.sizes[i] {
			bad = true
		}
	}
	if !bad {
		return nil
	}
	return sameSizes(sizesOf(p), o.sizeMap(), fmt.Sprintf("Step: the %s do not match Init's", what))
}

// sizeMap returns Init's sizes by name.
func (o *Optimizer) sizeMap() map[string]int {
	m := make(map[string]int, len(o.names))
	for i, k := range o.names {
		m[k] = o.sizes[i]
	}
	return m
}
