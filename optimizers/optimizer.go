package optimizers

import "fmt"

// OptimizerOf is a named optimizer over values of type T, ready for a
// training loop: a validated chain of transforms ending in its
// learning-rate schedule,
//
//	u = ScaleByLearningRate(lr)(… (clip(g)))   then   w ← w − u
//
// with the chain's state. Create it with New (float64) or New32 (float32),
// then Init it with the parameters, then Step once per update.
type OptimizerOf[T Float] struct {
	cfg   Config
	rate  Schedule // the rate of ScaleByLearningRate, Adagrad's decay included
	chain TransformOf[T]
	state StateOf[T]
	// decoupled is AdamW's λ when Step applies the decay itself,
	// w ← w·(1 − lr·λ) before w ← w − u, as torch does (the float32
	// optimizers); 0 when the chain holds it.
	decoupled float64
	// names and sizes of the parameters given to Init, names sorted.
	names []string
	sizes []int
}

// Optimizer is OptimizerOf[float64], the optimizer of float64 parameters.
type Optimizer = OptimizerOf[float64]

// Optimizer32 is OptimizerOf[float32], the optimizer of float32 parameters
// with float32 state, built by New32.
type Optimizer32 = OptimizerOf[float32]

// New validates cfg, fills in its defaults (Config.Resolve) and builds the
// optimizer: optional clipping by norm, then by value, then the named
// optimizer's chain, which ends in ScaleByLearningRate with the schedule.
func New(cfg Config) (*Optimizer, error) {
	c, rate, err := resolveRate(cfg)
	if err != nil {
		return nil, err
	}
	sp, _ := lookup(c.Name) // Resolve checked the name
	return &Optimizer{cfg: c, rate: rate, chain: Chain(append(clipping[float64](c), sp.chain(c, rate)...)...)}, nil
}

// resolveRate resolves cfg and returns its schedule, with Adagrad's
// lr_decay folded in.
func resolveRate(cfg Config) (Config, Schedule, error) {
	c, rate, err := cfg.resolve()
	if err != nil {
		return c, nil, err
	}
	if c.LRDecay != 0 { // adagrad's lr_decay is a schedule
		if rate, err = InverseTimeDecay(rate, c.LRDecay); err != nil {
			return c, nil, err
		}
	}
	return c, rate, nil
}

// clipping is a resolved Config's clipping stages: by norm, then by value.
func clipping[T Float](c Config) []TransformOf[T] {
	var ts []TransformOf[T]
	if c.ClipNorm != 0 {
		ts = append(ts, ClipByGlobalNormOf[T](c.ClipNorm))
	}
	if c.ClipValue != 0 {
		ts = append(ts, ClipByValueOf[T](c.ClipValue))
	}
	return ts
}

// Config returns the resolved configuration, defaults filled in.
func (o *OptimizerOf[T]) Config() Config { return o.cfg }

// Init creates the state for params (their names and sizes; the values
// are not read) at step 0: zeroed moments and buffers, Adagrad's initial
// accumulator. It may be called again to start over.
func (o *OptimizerOf[T]) Init(params ParamsOf[T]) error {
	st, err := o.chain.Init(params)
	if err != nil {
		return err
	}
	o.adopt(st, sizesOf(params))
	return nil
}

// adopt takes st as the state for parameters of these sizes.
func (o *OptimizerOf[T]) adopt(st StateOf[T], sizes map[string]int) {
	o.state, o.names = st, sortedKeys(sizes)
	o.sizes = make([]int, len(o.names))
	for i, k := range o.names {
		o.sizes[i] = sizes[k]
	}
}

// StepCount is the number of updates made (restored by UnmarshalState).
func (o *OptimizerOf[T]) StepCount() int {
	if len(o.state.Stages) == 0 {
		return 0
	}
	return o.state.Stages[len(o.state.Stages)-1].Count // the learning rate's stage
}

// LR is the learning rate of the next update: the schedule's, with
// Adagrad's lr_decay, before Adam's bias correction.
func (o *OptimizerOf[T]) LR() float64 { return o.rate(o.StepCount()) }

// Step makes one update in place: the chain turns grads into updates u,
// overwriting grads, and w ← w − u for every parameter. params and grads
// must have the names and sizes given to Init. A steady-state Step
// allocates nothing.
func (o *OptimizerOf[T]) Step(params, grads ParamsOf[T]) error {
	if err := o.ready(params, grads); err != nil {
		return err
	}
	keep := o.keep()
	st, err := o.chain.Update(grads, o.state, params)
	if err != nil {
		return err
	}
	o.state = st
	o.apply(params, grads, keep)
	return nil
}

// ready checks that Init was called and that params and grads match it.
func (o *OptimizerOf[T]) ready(params, grads ParamsOf[T]) error {
	if o.names == nil {
		return fmt.Errorf("optimizers: Step before Init")
	}
	if err := o.check(params, "parameters"); err != nil {
		return err
	}
	return o.check(grads, "gradients")
}

// keep is the factor 1 − lr·λ of decoupled weight decay at this step,
// rounded to T, or 1 when the chain applies the decay (or there is none).
func (o *OptimizerOf[T]) keep() T {
	if o.decoupled == 0 {
		return 1
	}
	return T(1 - o.rate(o.StepCount())*o.decoupled)
}

// apply makes w ← w·keep − u, torch's param.mul_(1 − lr·λ) then its
// update; keep is 1, and the product exact, but in AdamW32.
func (o *OptimizerOf[T]) apply(params, updates ParamsOf[T], keep T) {
	for k, w := range params {
		u := updates[k]
		if keep != 1 {
			for i := range w {
				w[i] = T(w[i]*keep) - u[i]
			}
			continue
		}
		for i := range w {
			w[i] -= u[i]
		}
	}
}

// check reports whether p has the names and sizes given to Init.
func (o *OptimizerOf[T]) check(p ParamsOf[T], what string) error {
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
func (o *OptimizerOf[T]) sizeMap() map[string]int {
	m := make(map[string]int, len(o.names))
	for i, k := range o.names {
		m[k] = o.sizes[i]
	}
	return m
}
