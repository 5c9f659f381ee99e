package optimizers

import (
	"fmt"
	"strings"

	"github.com/descent-ml/descent/internal/lex"
)

// Config selects and configures an optimizer.
//
// Its zero value is gd with torch's defaults, and every zero field means the
// chosen optimizer's default (Describe lists them). A value that must be
// explicitly zero, or that must be checked even though it is zero (eps 0 is
// an error, not "the default"), is named in Set: a field whose option name
// is in Set is taken as given, zero included. The CLI fills Set with the
// flags the user typed; FromFlags builds such a Config from flag values.
// Setting an option that the optimizer does not take, by a non-zero field
// or through Set, is an error.
type Config struct {
	// Name is gd, momentum, nesterov, adagrad, rmsprop, adam or adamw; ""
	// is gd.
	Name string
	// LR is the base learning rate: 0.01, or 0.001 for adam and adamw.
	LR float64
	// Momentum μ ≥ 0: momentum and nesterov (default 0.9), rmsprop (0).
	Momentum float64
	// Dampening τ ∈ [0,1] of the momentum buffer: momentum (default 0);
	// nesterov takes only 0.
	Dampening float64
	// Alpha ∈ [0,1) is RMSprop's smoothing constant (default 0.99).
	Alpha float64
	// Beta1, Beta2 ∈ [0,1): Adam's moment decay rates (0.9, 0.999).
	Beta1, Beta2 float64
	// Eps > 0 is added to the denominator: 1e-10 for adagrad, 1e-8 for
	// rmsprop, adam and adamw.
	Eps float64
	// WeightDecay λ ≥ 0: coupled (g ← g + λw) for every optimizer but
	// adamw, whose decay is decoupled (w ← w·(1 − lr·λ)) and defaults to
	// 0.01; 0 elsewhere.
	WeightDecay float64
	// Centered selects RMSprop's centered variant.
	Centered bool
	// AMSGrad selects the AMSGrad variant of adam and adamw.
	AMSGrad bool
	// LRDecay ≥ 0 is Adagrad's learning-rate decay: lr/(1 + (t−1)·decay)
	// at the t-th update.
	LRDecay float64
	// InitialAccumulator ≥ 0 is Adagrad's starting sum of squares.
	InitialAccumulator float64
	// Schedule is a ParseSchedule spec, for every optimizer; "" is constant.
	Schedule string
	// ClipNorm > 0 clips the gradient's global L2 norm first; 0 is off.
	ClipNorm float64
	// ClipValue > 0 clamps every gradient component first; 0 is off.
	ClipValue float64
	// Set names the options given explicitly, by their flag names: lr,
	// momentum, dampening, alpha, beta1, beta2, eps, weight-decay,
	// centered, amsgrad, lr-decay, initial-accumulator, clip-norm,
	// clip-value.
	Set map[string]bool
}

// option is one optimizer option: its flag name, its field and its range.
type option struct {
	name  string
	f     func(*Config) *float64 // nil for a bool option
	b     func(*Config) *bool
	check func(name string, v float64) error
	doc   string
}

// options lists every option in the order Resolve checks them.
var options = []option{
	{name: "lr", f: func(c *Config) *float64 { return &c.LR }, check: positive, doc: "learning rate > 0"},
	{name: "momentum", f: func(c *Config) *float64 { return &c.Momentum }, check: nonNegative, doc: "momentum μ >= 0"},
	{name: "dampening", f: func(c *Config) *float64 { return &c.Dampening }, check: closed, doc: "dampening τ in [0,1]"},
	{name: "alpha", f: func(c *Config) *float64 { return &c.Alpha }, check: halfOpen, doc: "smoothing constant α in [0,1)"},
	{name: "beta1", f: func(c *Config) *float64 { return &c.Beta1 }, check: halfOpen, doc: "first-moment decay β1 in [0,1)"},
	{name: "beta2", f: func(c *Config) *float64 { return &c.Beta2 }, check: halfOpen, doc: "second-moment decay β2 in [0,1)"},
	{name: "eps", f: func(c *Config) *float64 { return &c.Eps }, check: positive, doc: "denominator term ε > 0"},
	{name: "weight-decay", f: func(c *Config) *float64 { return &c.WeightDecay }, check: nonNegative, doc: "weight decay λ >= 0"},
	{name: "lr-decay", f: func(c *Config) *float64 { return &c.LRDecay }, check: nonNegative, doc: "learning-rate decay >= 0"},
	{name: "initial-accumulator", f: func(c *Config) *float64 { return &c.InitialAccumulator }, check: nonNegative, doc: "starting sum of squares >= 0"},
	{name: "centered", b: func(c *Config) *bool { return &c.Centered }, doc: "centered variant"},
	{name: "amsgrad", b: func(c *Config) *bool { return &c.AMSGrad }, doc: "AMSGrad variant"},
	{name: "clip-norm", f: func(c *Config) *float64 { return &c.ClipNorm }, check: positive, doc: "clip the gradient's global L2 norm to this (off by default)"},
	{name: "clip-value", f: func(c *Config) *float64 { return &c.ClipValue }, check: positive, doc: "clamp each gradient component to ±this (off by default)"},
}

// common are the options every optimizer takes.
var common = map[string]bool{"lr": true, "clip-norm": true, "clip-value": true}

// set reports whether option o was given: named in Set, or non-zero.
func (c *Config) set(o option) bool {
	if c.Set[o.name] {
		return true
	}
	if o.b != nil {
		return *o.b(c)
	}
	return *o.f(c) != 0
}

// Resolve validates c and returns it with every default filled in (and
// Name "gd" for ""). Resolve is idempotent; New calls it.
func (c Config) Resolve() (Config, error) {
	c, _, err := c.resolve()
	return c, err
}

// resolve is Resolve, also returning the parsed schedule.
func (c Config) resolve() (Config, Schedule, error) {
	if c.Name == "" {
		c.Name = "gd"
	}
	sp, ok := lookup(c.Name)
	if !ok {
		return c, nil, fmt.Errorf("optimizers: unknown optimizer %s (want one of %s)", lex.Quote(c.Name), strings.Join(Names(), ", "))
	}
	known := map[string]bool{}
	for _, o := range options {
		known[o.name] = true
	}
	for _, k := range sortedKeys(c.Set) {
		if c.Set[k] && !known[k] {
			return c, nil, fmt.Errorf("optimizers: unknown option %s", lex.Quote(k))
		}
	}
	takes := func(name string) bool {
		if common[name] {
			return true
		}
		_, ok := sp.defaults[name]
		return ok
	}
	for _, o := range options {
		given := c.set(o)
		if given && !takes(o.name) {
			return c, nil, fmt.Errorf("optimizers: option %s does not apply to %s", o.name, c.Name)
		}
		if o.f == nil || !takes(o.name) {
			continue
		}
		v := o.f(&c)
		if !given {
			if o.name == "lr" {
				*v = sp.lr
			} else {
				*v = sp.defaults[o.name]
			}
		}
		if !given && (o.name == "clip-norm" || o.name == "clip-value") {
			continue // off
		}
		if err := o.check(o.name, *v); err != nil {
			return c, nil, err
		}
	}
	if c.Name == "nesterov" {
		if err := nesterov(c.Momentum, c.Dampening); err != nil {
			return c, nil, err
		}
	}
	sched, err := ParseSchedule(c.Schedule, c.LR)
	if err != nil {
		return c, nil, err
	}
	return c, sched, nil
}

// FromFlags builds a Config from the options a user set explicitly: values
// holds the numeric ones and bools the boolean ones, by flag name (lr,
// beta1, weight-decay, centered, …). Every given value is validated, zero
// included: eps 0 is an error, where an eps left out is the default. The
// returned Config is resolved, its defaults filled in; set its Schedule
// before New if there is one.
func FromFlags(name string, values map[string]float64, bools map[string]bool) (Config, error) {
	c := Config{Name: name, Set: map[string]bool{}}
	byName := map[string]option{}
	for _, o := range options {
		byName[o.name] = o
	}
	for _, k := range sortedKeys(values) {
		o, ok := byName[k]
		if !ok || o.f == nil {
			return c, fmt.Errorf("optimizers: unknown numeric option %s", lex.Quote(k))
		}
		*o.f(&c) = values[k]
		c.Set[k] = true
	}
	for _, k := range sortedKeys(bools) {
		o, ok := byName[k]
		if !ok || o.b == nil {
			return c, fmt.Errorf("optimizers: unknown boolean option %s", lex.Quote(k))
		}
		*o.b(&c) = bools[k]
		c.Set[k] = true
	}
	return c.Resolve()
}
