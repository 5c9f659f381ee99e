package main

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// optFlags are the optimizer flags shared by train and compare.
type optFlags struct {
	cfg optimizers.Config
}

func addOptimizerFlags(fs *pflag.FlagSet) *optFlags {
	o := &optFlags{}
	c := &o.cfg
	fs.StringVar(&c.Name, "optimizer", "gd", "gd, momentum, nesterov, adagrad, rmsprop, adam or adamw (see descent optimizers)")
	fs.Float64Var(&c.LR, "lr", 0, "learning rate (default: the optimizer's, 0.01 or 0.001 for adam/adamw)")
	fs.Float64Var(&c.Momentum, "momentum", 0, "momentum μ (momentum/nesterov default 0.9; rmsprop 0)")
	fs.Float64Var(&c.Dampening, "dampening", 0, "momentum dampening τ in [0,1]")
	fs.Float64Var(&c.Beta1, "beta1", 0, "adam β1 in [0,1) (default 0.9)")
	fs.Float64Var(&c.Beta2, "beta2", 0, "adam β2 in [0,1) (default 0.999)")
	fs.Float64Var(&c.Eps, "eps", 0, "denominator ε > 0 (adam/rmsprop 1e-8, adagrad 1e-10)")
	fs.Float64Var(&c.Alpha, "alpha", 0, "rmsprop smoothing α in [0,1) (default 0.99)")
	fs.Float64Var(&c.WeightDecay, "weight-decay", 0, "weight decay λ >= 0: coupled L2, decoupled for adamw (default 0.01 there)")
	fs.BoolVar(&c.Centered, "centered", false, "rmsprop: centered variant")
	fs.BoolVar(&c.AMSGrad, "amsgrad", false, "adam/adamw: AMSGrad variant")
	fs.Float64Var(&c.LRDecay, "lr-decay", 0, "adagrad learning-rate decay >= 0")
	fs.Float64Var(&c.InitialAccumulator, "initial-accumulator", 0, "adagrad initial accumulator >= 0")
	fs.StringVar(&c.Schedule, "schedule", "constant", "constant, step:N:gamma, exp:gamma, cosine:T[:min], warmup:W+<schedule>")
	fs.Float64Var(&c.ClipNorm, "clip-norm", 0, "clip the gradient's global L2 norm to this (> 0; off by default)")
	fs.Float64Var(&c.ClipValue, "clip-value", 0, "clip each gradient component to ±this (> 0; off by default)")
	return o
}

// config returns the optimizer config, marking the flags the user set.
func (o *optFlags) config(fs *pflag.FlagSet) optimizers.Config {
	c := o.cfg
	c.Set = map[string]bool{}
	for _, name := range []string{"lr", "momentum", "dampening", "beta1", "beta2", "eps", "alpha", "weight-decay",
		"centered", "amsgrad", "lr-decay", "initial-accumulator", "clip-norm", "clip-value"} {
		if fs.Changed(name) {
			c.Set[name] = true
		}
	}
	if c.Schedule == "constant" {
		c.Schedule = ""
	}
	return c
}

// loopFlags are the training-loop and data flags shared by train and compare.
type loopFlags struct {
	data, dataset, target string
	model, activation     string
	loss                  string
	delta                 float64
	float32               bool
	cfg                   train.Config
	standardize           bool
	valSplit              float64
}

func addLoopFlags(fs *pflag.FlagSet) *loopFlags {
	l := &loopFlags{}
	fs.StringVar(&l.data, "data", "", "CSV file with a header row (default: the built-in dataset)")
	fs.StringVar(&l.dataset, "dataset", "", "built-in dataset: line, noisy-line, salary, linear-300, parabola, multi, diabetes, iris, digits (default line)")
	fs.StringVar(&l.target, "target", "", "target column (default: the last column)")
	fs.StringVar(&l.model, "model", "linear", "linear, poly:K, logistic, softmax or mlp:H1[,H2...]")
	fs.StringVar(&l.activation, "activation", "relu", "MLP hidden activation: relu, tanh or sigmoid")
	fs.StringVar(&l.loss, "loss", "", "mse, half-mse, mae, huber, bce or xent (default: follows the model)")
	fs.Float64Var(&l.delta, "delta", 1, "huber δ > 0")
	fs.BoolVar(&l.float32, "float32", false, "run the graph in float32")
	fs.IntVar(&l.cfg.Epochs, "epochs", 100, "passes over the data (>= 1); with --batch-size 0 this is the step count")
	fs.IntVar(&l.cfg.BatchSize, "batch-size", 0, "rows per step: 0 = whole set (batch GD), 1 = SGD, N = mini-batch")
	fs.Uint64Var(&l.cfg.Seed, "seed", 1, "seed for shuffling, splits and MLP weights")
	fs.BoolVar(&l.cfg.NoShuffle, "no-shuffle", false, "keep the row order every epoch")
	fs.Float64Var(&l.cfg.Tol, "tol", 0, "stop when |J(t) − J(t−1)| < tol (0 = off)")
	fs.Float64Var(&l.cfg.GradTol, "grad-tol", 0, "stop when ‖∇J‖₂ < grad-tol (0 = off)")
	fs.BoolVar(&l.standardize, "standardize", false, "z-score the features (population std); stored in the model file")
	fs.Float64Var(&l.valSplit, "val-split", 0, "fraction of rows held out for validation, in [0,1)")
	fs.IntVar(&l.cfg.Patience, "patience", 0, "stop when the validation loss has not improved for N epochs (needs --val-split)")
	return l
}

// job builds a train.Job from the flags, checking each flag's range.
func (l *loopFlags) job(cmd *cobra.Command, o *optFlags) (*train.Job, error) {
	fs := cmd.Flags()
	if l.cfg.Epochs < 1 {
		return nil, flagErr("epochs", ">= 1", l.cfg.Epochs)
	}
	if l.cfg.BatchSize < 0 {
		return nil, flagErr("batch-size", ">= 0", l.cfg.BatchSize)
	}
	if l.valSplit < 0 || l.valSplit >= 1 {
		return nil, flagErr("val-split", "in [0,1)", l.valSplit)
	}
	if l.cfg.Patience < 0 {
		return nil, flagErr("patience", ">= 0", l.cfg.Patience)
	}
	if l.cfg.Patience > 0 && l.valSplit == 0 {
		return nil, flagErr("patience", "used with --val-split", l.cfg.Patience)
	}
	if l.cfg.Tol < 0 {
		return nil, flagErr("tol", ">= 0", l.cfg.Tol)
	}
	if l.cfg.GradTol < 0 {
		return nil, flagErr("grad-tol", ">= 0", l.cfg.GradTol)
	}
	if !(l.delta > 0) {
		return nil, flagErr("delta", "> 0", l.delta)
	}
	name := l.dataset
	if l.data == "" && name == "" {
		name = "line"
	}
	ds, err := loadData(l.data, name, dataOpts(l.target))
	if err != nil {
		return nil, err
	}
	if l.cfg.BatchSize > ds.N {
		return nil, flagErr("batch-size", "<= the "+itoa(ds.N)+" rows of "+ds.Name, l.cfg.BatchSize)
	}
	act := l.activation
	if !fs.Changed("activation") {
		act = ""
	}
	return &train.Job{
		Data: ds, Model: l.model, Activation: act, Loss: l.loss, Delta: l.delta, Float32: l.float32,
		Optimizer: o.config(fs), Loop: l.cfg, Standardize: l.standardize, ValSplit: l.valSplit,
	}, nil
}
