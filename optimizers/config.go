package optimizers

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Config selects and configures an optimizer. A zero field means the
// optimizer's default (torch.optim's), listed by Describe; a field named in
// Set was given explicitly and is validated even when it is zero, so
// eps 0 is an error while an unset eps is 1e-8.
type Config struct {
	// Name is gd, momentum, nesterov, adagrad, rmsprop, adam or adamw; "" is gd.
	Name string
	// LR is the base learning rate.
	LR float64
	// Momentum μ and dampening τ: momentum, nesterov (μ defaults to 0.9)
	// and rmsprop (μ defaults to 0).
	Momentum, Dampening float64
	// Alpha is RMSprop's smoothing constant.
	Alpha float64
	// Beta1, Beta2: Adam's moment decay rates.
	Beta1, Beta2 float64
	// Eps is the term added to the denominator.
	Eps float64
	// WeightDecay λ: coupled L2 (g ← g + λw) for all but adamw, decoupled
	// (w ← w·(1 − lr·λ)) for adamw, whose default is 0.01.
	WeightDecay float64
	// Centered: RMSprop's centered variant. AMSGrad: Adam's AMSGrad variant.
	Centered, AMSGrad bool
	// LRDecay and InitialAccumulator: Adagrad's options.
	LRDecay, InitialAccumulator float64
	// Schedule is a ParseSchedule spec; "" is constant.
	Schedule string
	// ClipNorm and ClipValue clip gradients first; 0 is off.
	ClipNorm, ClipValue float64
	// Set names the options given explicitly, by their flag names (lr,
	// momentum, dampening, alpha, beta1, beta2, eps, weight-decay, centered,
	// amsgrad, lr-decay, initial-accumulator, clip-norm, clip-value).
	Set map[string]bool
}

// options each optimizer accepts, besides lr, schedule and clipping.
var options = map[string][]string{
	"gd":       {"weight-decay"},
	"momentum": {"momentum", "dampening", "weight-decay"},
	"nesterov": {"momentum", "dampening", "weight-decay"},
	"adagrad":  {"lr-decay", "initial-accumulator", "eps", "weight-decay"},
	"rmsprop":  {"alpha", "eps", "momentum", "centered", "weight-decay"},
	"adam":     {"beta1", "beta2", "eps", "amsgrad", "weight-decay"},
	"adamw":    {"beta1", "beta2", "eps", "amsgrad", "weight-decay"},
}

var common = []string{"lr", "clip-norm", "clip-value", "schedule"}

// Names lists the optimizers.
func Names() []string {
	return []string{"gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"}
}

func (c Config) given(opt string) bool { return c.Set[opt] }

// pick returns v, or def when v is zero and was not set explicitly.
func (c Config) pick(opt string, v, def float64) float64 {
	if v == 0 && !c.given(opt) {
		return def
	}
	return v
}

// Resolve validates c and fills in every default.
func (c Config) Resolve() (Config, error) {
	if c.Name == "" {
		c.Name = "gd"
	}
	opts, ok := options[c.Name]
	if !ok {
		return c, fmt.Errorf("optimizers: unknown optimizer %q (want one of %s)", c.Name, strings.Join(Names(), ", "))
	}
	allowed := map[string]bool{}
	for _, o := range append(append([]string{}, common...), opts...) {
		allowed[o] = true
	}
	var set []string
	for o, on := range c.Set {
		if on {
			set = append(set, o)
		}
	}
	sort.Strings(set)
	for _, o := range set {
		if !allowed[o] {
			return c, fmt.Errorf("optimizers: option %s does not apply to %s (it takes %s)", o, c.Name, strings.Join(append(append([]string{}, common[:3]...), opts...), ", "))
		}
	}
	// Set every value that was given as zero-but-explicit or non-zero,
	// then the defaults.
	lrDef := 0.01
	if c.Name == "adam" || c.Name == "adamw" {
		lrDef = 0.001
	}
	c.LR = c.pick("lr", c.LR, lrDef)
	switch c.Name {
	case "momentum", "nesterov":
		c.Momentum = c.pick("momentum", c.Momentum, 0.9)
	case "rmsprop":
		c.Alpha = c.pick("alpha", c.Alpha, 0.99)
		c.Eps = c.pick("eps", c.Eps, 1e-8)
	case "adagrad":
		c.Eps = c.pick("eps", c.Eps, 1e-10)
	case "adam", "adamw":
		c.Beta1 = c.pick("beta1", c.Beta1, 0.9)
		c.Beta2 = c.pick("beta2", c.Beta2, 0.999)
		c.Eps = c.pick("eps", c.Eps, 1e-8)
		if c.Name == "adamw" {
			c.WeightDecay = c.pick("weight-decay", c.WeightDecay, 0.01)
		}
	}
	return c, c.validate()
}

func (c Config) validate() error {
	check := func(name string, v float64, ok bool, rng string) error {
		if !ok || math.IsNaN(v) {
			return fmt.Errorf("optimizers: %s must be %s, got %v", name, rng, v)
		}
		return nil
	}
	in01 := func(v float64) bool { return v >= 0 && v < 1 }
	errs := []error{
		check("lr", c.LR, c.LR > 0 && !math.IsInf(c.LR, 0), "> 0"),
		check("momentum", c.Momentum, c.Momentum >= 0, ">= 0"),
		check("dampening", c.Dampening, c.Dampening >= 0 && c.Dampening <= 1, "in [0,1]"),
		check("weight-decay", c.WeightDecay, c.WeightDecay >= 0, ">= 0"),
		check("lr-decay", c.LRDecay, c.LRDecay >= 0, ">= 0"),
		check("initial-accumulator", c.InitialAccumulator, c.InitialAccumulator >= 0, ">= 0"),
		check("clip-norm", c.ClipNorm, c.ClipNorm >= 0 && !(c.given("clip-norm") && c.ClipNorm == 0), "> 0"),
		check("clip-value", c.ClipValue, c.ClipValue >= 0 && !(c.given("clip-value") && c.ClipValue == 0), "> 0"),
	}
	switch c.Name {
	case "rmsprop":
		errs = append(errs, check("alpha", c.Alpha, in01(c.Alpha), "in [0,1)"), check("eps", c.Eps, c.Eps > 0, "> 0"))
	case "adagrad":
		errs = append(errs, check("eps", c.Eps, c.Eps > 0, "> 0"))
	case "adam", "adamw":
		errs = append(errs, check("beta1", c.Beta1, in01(c.Beta1), "in [0,1)"), check("beta2", c.Beta2, in01(c.Beta2), "in [0,1)"),
			check("eps", c.Eps, c.Eps > 0, "> 0"))
	case "nesterov":
		if c.Dampening != 0 {
			return fmt.Errorf("optimizers: nesterov momentum needs dampening 0, got %v", c.Dampening)
		}
		errs = append(errs, check("momentum", c.Momentum, c.Momentum > 0, "> 0 for nesterov"))
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	if _, err := ParseSchedule(c.Schedule, c.LR); err != nil {
		return err
	}
	return nil
}
