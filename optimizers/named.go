package optimizers

// named is one of the named optimizers: its defaults and its chain.
type named struct {
	name string
	lr   float64 // default learning rate
	// defaults holds every option the optimizer takes besides lr, schedule
	// and clipping, with its default (0 for false).
	defaults map[string]float64
	formula  string
	paper    string
	// chain builds the optimizer's stages after clipping, for a resolved
	// Config and its learning-rate schedule (Adagrad's lr_decay already
	// folded in by New).
	chain func(c Config, lr Schedule) []Transform
}

// coupled is the chain of every optimizer but adamw: coupled weight decay
// g + λw (when λ > 0), then the optimizer's scaling (if any), then the
// learning rate.
func coupled(scale func(Config) Transform) func(Config, Schedule) []Transform {
	return func(c Config, lr Schedule) []Transform {
		var ts []Transform
		if c.WeightDecay != 0 {
			ts = append(ts, AddDecayedWeights(c.WeightDecay))
		}
		if s := scale(c); s != nil {
			ts = append(ts, s)
		}
		return append(ts, ScaleByLearningRate(lr))
	}
}

// sgd is the scaling of gd, momentum and nesterov: torch skips momentum
// when μ = 0.
func sgd(c Config) Transform {
	if c.Momentum == 0 {
		return nil
	}
	return ScaleByMomentum(c.Momentum, c.Dampening, c.Name == "nesterov")
}

// registry holds the named optimizers, each torch.optim's, as short chains.
var registry = []named{
	{
		name: "gd", lr: 0.01,
		defaults: map[string]float64{"weight-decay": 0},
		formula:  "w ← w − lr·g",
		paper:    "torch.optim.SGD; Cauchy 1847",
		chain:    coupled(sgd),
	},
	{
		name: "momentum", lr: 0.01,
		defaults: map[string]float64{"momentum": 0.9, "dampening": 0, "weight-decay": 0},
		formula:  "b ← g at the first step, then b ← μ·b + (1−τ)·g; w ← w − lr·b",
		paper:    "torch.optim.SGD(momentum); Polyak 1964",
		chain:    coupled(sgd),
	},
	{
		name: "nesterov", lr: 0.01,
		defaults: map[string]float64{"momentum": 0.9, "dampening": 0, "weight-decay": 0},
		formula:  "b ← g at the first step, then b ← μ·b + g; w ← w − lr·(g + μ·b)",
		paper:    "torch.optim.SGD(nesterov=True); Sutskever, Martens, Dahl & Hinton 2013",
		chain:    coupled(sgd),
	},
	{
		name: "adagrad", lr: 0.01,
		defaults: map[string]float64{"lr-decay": 0, "initial-accumulator": 0, "eps": 1e-10, "weight-decay": 0},
		formula:  "s ← s + g²; w ← w − lr/(1 + (t−1)·lr_decay)·g/(√s + ε)",
		paper:    "torch.optim.Adagrad; Duchi, Hazan & Singer 2011",
		chain:    coupled(func(c Config) Transform { return ScaleByAdagrad(c.InitialAccumulator, c.Eps) }),
	},
	{
		name: "rmsprop", lr: 0.01,
		defaults: map[string]float64{"alpha": 0.99, "eps": 1e-8, "momentum": 0, "centered": 0, "weight-decay": 0},
		formula:  "v ← α·v + (1−α)·g²; w ← w − lr·g/(√v + ε) (centered: √(v − ḡ²); momentum: b ← μ·b + g/(√v + ε), w ← w − lr·b)",
		paper:    "torch.optim.RMSprop; Tieleman & Hinton 2012, Graves 2013",
		chain:    coupled(func(c Config) Transform { return ScaleByRMSProp(c.Alpha, c.Eps, c.Momentum, c.Centered) }),
	},
	{
		name: "adam", lr: 0.001,
		defaults: map[string]float64{"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "amsgrad": 0, "weight-decay": 0},
		formula:  "m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w ← w − lr·m̂/(√v̂ + ε), m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ) (amsgrad: running max of v)",
		paper:    "torch.optim.Adam; Kingma & Ba 2015, Reddi, Kale & Kumar 2018",
		chain:    coupled(func(c Config) Transform { return ScaleByAdam(c.Beta1, c.Beta2, c.Eps, c.AMSGrad) }),
	},
	{
		name: "adamw", lr: 0.001,
		defaults: map[string]float64{"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "amsgrad": 0, "weight-decay": 0.01},
		formula:  "w ← w·(1 − lr·λ), then the adam step",
		paper:    "torch.optim.AdamW; Loshchilov & Hutter 2019",
		chain: func(c Config, lr Schedule) []Transform {
			// Decoupled: the decay joins the update after Adam's scaling,
			// w − lr·(u + λw) = w·(1 − lr·λ) − lr·u.
			ts := []Transform{ScaleByAdam(c.Beta1, c.Beta2, c.Eps, c.AMSGrad)}
			if c.WeightDecay != 0 {
				ts = append(ts, AddDecayedWeights(c.WeightDecay))
			}
			return append(ts, ScaleByLearningRate(lr))
		},
	},
}

func lookup(name string) (named, bool) {
	for _, n := range registry {
		if n.name == name {
			return n, true
		}
	}
	return named{}, false
}

// Names lists the optimizers New knows.
func Names() []string {
	names := make([]string, len(registry))
	for i, n := range registry {
		names[i] = n.name
	}
	return names
}
