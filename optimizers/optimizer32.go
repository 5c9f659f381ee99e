package optimizers

// New32 is New for float32 parameters: it validates cfg as New does and
// builds the same named optimizer over float32 values, with float32 state,
// computing each step as torch.optim's single-tensor (foreach=False)
// implementation does on float32 tensors on the CPU. Hyperparameters, the
// scheduled learning rate and Adam's bias corrections are float64, Python
// floats in torch, each rounded to float32 where torch hands it to a
// float32 kernel; every operation on the values is a float32 operation,
// rounded on its own as torch's kernels round (none fused into a
// multiply-add).
//
// To round as torch does, the chains differ from New's where torch's
// expressions do:
//
//	adagrad   u = (lr·g)/(√s + ε)                 (New: lr·(g/(√s + ε)))
//	rmsprop   u = (lr·g)/d without momentum       (New: lr·(g/d))
//	adam      u = (s·m)/(√v̄/√(1−β2ᵗ) + ε), s = lr/(1−β1ᵗ)
//	adamw     w ← w·(1 − lr·λ), then w ← w − u, u adam's
//
// so that in those optimizers the learning rate is applied by the scaling
// stage, the last of the chain (StageNames has no "lr" stage), and AdamW's
// decay by Step. Gradient clipping by norm computes its norms as
// torch.norm does on float32 (ClipByGlobalNormOf).
func New32(cfg Config) (*Optimizer32, error) {
	c, rate, err := resolveRate(cfg)
	if err != nil {
		return nil, err
	}
	ts, decoupled := chain32(c, rate)
	return &Optimizer32{cfg: c, rate: rate, chain: ChainOf(append(clipping[float32](c), ts...)...), decoupled: decoupled}, nil
}

// chain32 is the float32 chain of a resolved Config after clipping, and
// AdamW's decoupled λ for Step (0 for the others).
func chain32(c Config, lr Schedule) ([]Transform32, float64) {
	var ts []Transform32
	if c.WeightDecay != 0 && c.Name != "adamw" { // coupled, g + λw
		ts = append(ts, AddDecayedWeightsOf[float32](c.WeightDecay))
	}
	switch c.Name {
	case "adagrad":
		return append(ts, adagrad[float32]{initial: c.InitialAccumulator, eps: c.Eps, lr: lr}), 0
	case "rmsprop":
		r := rmsprop[float32]{alpha: c.Alpha, eps: c.Eps, mu: c.Momentum, centered: c.Centered}
		if c.Momentum > 0 { // torch: b ← μ·b + g/d, w ← w − lr·b
			return append(ts, r, ScaleByLearningRateOf[float32](lr)), 0
		}
		r.lr = lr
		return append(ts, r), 0
	case "adam":
		return append(ts, adam[float32]{b1: c.Beta1, b2: c.Beta2, eps: c.Eps, amsgrad: c.AMSGrad, lr: lr}), 0
	case "adamw":
		return append(ts, adam[float32]{b1: c.Beta1, b2: c.Beta2, eps: c.Eps, amsgrad: c.AMSGrad, lr: lr}), c.WeightDecay
	}
	// gd, momentum, nesterov: torch's w ← w − lr·b is the chain's.
	if c.Momentum != 0 {
		ts = append(ts, ScaleByMomentumOf[float32](c.Momentum, c.Dampening, c.Name == "nesterov"))
	}
	return append(ts, ScaleByLearningRateOf[float32](lr)), 0
}
