package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/job"
	"github.com/descent-ml/descent/ops"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// optFlags are the optimizer flags shared by train, compare and surface,
// generated from the optimizers' own option table.
type optFlags struct {
	cfg optimizers.Config
}

func addOptimizerFlags(fs *pflag.FlagSet) *optFlags {
	o := &optFlags{}
	c := &o.cfg
	fs.StringVar(&c.Name, "optimizer", "gd", strings.Join(optimizers.Names(), ", ")+" (see descent optimizers)")
	for _, opt := range optimizers.Options() {
		doc := opt.Doc
		if takers := optimizers.Takers(opt.Name); len(takers) < len(optimizers.Names()) {
			doc += " (" + strings.Join(takers, ", ") + ")"
		}
		if opt.Bool != nil {
			fs.BoolVar(opt.Bool(c), opt.Name, false, doc)
			continue
		}
		doc += "; default: the optimizer's"
		fs.Float64Var(opt.Float(c), opt.Name, 0, doc)
	}
	fs.StringVar(&c.Schedule, "schedule", "constant", "constant, step:N:gamma, exp:gamma, cosine:T[:min], warmup:W+<schedule>")
	return o
}

// config returns the optimizer config, marking the flags the user set.
func (o *optFlags) config(fs *pflag.FlagSet) optimizers.Config {
	c := o.cfg
	c.Set = map[string]bool{}
	for _, opt := range optimizers.Options() {
		if fs.Changed(opt.Name) {
			c.Set[opt.Name] = true
		}
	}
	if c.Schedule == "constant" {
		c.Schedule = ""
	}
	return c
}

// loopFlags are the data, model and training-loop flags shared by train
// and compare.
type loopFlags struct {
	data, dataset, target string
	model, activation     string
	loss                  string
	delta                 float64
	float32               bool
	cfg                   train.Config
	standardize, stdY     bool
	valSplit              float64
	valData, valDataset   string
	inputShape            string
	// comm is the data-parallel world train joined (nil: one process).
	comm dist.Comm
	// stream holds train's --stream flags (nil: compare's loop flags).
	stream *streamFlags
}

func addLoopFlags(fs *pflag.FlagSet) *loopFlags {
	l := &loopFlags{}
	fs.StringVar(&l.data, "data", "", "CSV file with a header row (default: the built-in dataset)")
	fs.StringVar(&l.dataset, "dataset", "", "built-in dataset: "+strings.Join(datasetNames(), ", ")+" (default line)")
	fs.StringVar(&l.target, "target", "", "target column (default: the last column, or the model file's with --init)")
	fs.StringVar(&l.model, "model", "", "linear, poly:K, logistic, softmax, mlp:H1[,H2...], or layers such as 'conv2d(16,3,padding=1) relu flatten linear(10)' (see descent layers); default: linear, or softmax/logistic for class labels")
	fs.StringVar(&l.activation, "activation", "relu", "mlp:H hidden activation: relu, tanh or sigmoid")
	fs.StringVar(&l.loss, "loss", "", strings.Join(ops.LossNames(), ", ")+" (default: xent or bce for class labels, mse otherwise)")
	fs.Float64Var(&l.delta, "delta", 1, "huber δ, a finite number > 0")
	fs.BoolVar(&l.float32, "float32", false, "train in float32: kernels, parameters, gradients and optimizer state")
	fs.IntVar(&l.cfg.Epochs, "epochs", 100, "passes over the data (>= 1); with --batch-size 0 this is the step count")
	fs.IntVar(&l.cfg.BatchSize, "batch-size", 0, "rows per step: 0 = whole set (batch GD), 1 = SGD, N = mini-batch")
	fs.Uint64Var(&l.cfg.Seed, "seed", 1, "seed for shuffling, splits, initial weights and dropout")
	fs.BoolVar(&l.cfg.NoShuffle, "no-shuffle", false, "keep the row order every epoch")
	fs.Float64Var(&l.cfg.Tol, "tol", 0, "stop when |J(t) − J(t−1)| < tol, a finite number >= 0 (0 = off)")
	fs.Float64Var(&l.cfg.GradTol, "grad-tol", 0, "stop when ‖∇J‖₂ < grad-tol, a finite number >= 0 (0 = off)")
	fs.BoolVar(&l.standardize, "standardize", false, "z-score the features (population std); stored in the model file")
	fs.BoolVar(&l.stdY, "standardize-target", false, "z-score a regression target; predictions and metrics stay in its units")
	fs.Float64Var(&l.valSplit, "val-split", 0, "fraction of rows held out for validation, in [0,1)")
	fs.StringVar(&l.valData, "val-data", "", "a CSV file to validate on instead of a split (same columns)")
	fs.StringVar(&l.valDataset, "val-dataset", "", "a dataset to validate on instead of a split, e.g. fashion-mnist:test")
	fs.IntVar(&l.cfg.Patience, "patience", 0, "stop when the validation loss has not improved for N epochs (needs --val-split)")
	fs.StringVar(&l.inputShape, "input-shape", "", "reshape each row, e.g. 1,8,8 for 64 pixels as a one-channel image")
	return l
}

// job builds a job.Job from the flags, checking each flag's range before
// any data is read.
func (l *loopFlags) job(cmd *cobra.Command, o *optFlags) (*job.Job, error) {
	fs := cmd.Flags()
	switch {
	case l.cfg.Epochs < 1 || l.cfg.Epochs > train.MaxEpochCount:
		return nil, flagErr("epochs", fmt.Sprintf("in [1, %d]", train.MaxEpochCount), l.cfg.Epochs)
	case l.cfg.BatchSize < 0:
		return nil, flagErr("batch-size", ">= 0", l.cfg.BatchSize)
	case l.valSplit < 0 || l.valSplit >= 1 || math.IsNaN(l.valSplit):
		return nil, flagErr("val-split", "in [0,1)", l.valSplit)
	case l.cfg.Patience < 0:
		return nil, flagErr("patience", ">= 0", l.cfg.Patience)
	case l.cfg.Patience > 0 && l.valSplit == 0 && l.valData == "" && l.valDataset == "":
		return nil, flagErr("patience", "used with --val-split or a validation set", l.cfg.Patience)
	case l.valSplit != 0 && (l.valData != "" || l.valDataset != ""):
		return nil, fmt.Errorf("give --val-split or a validation set (--val-data, --val-dataset), not both")
	case !finiteNonNeg(l.cfg.Tol):
		return nil, flagErr("tol", "a finite number >= 0", l.cfg.Tol)
	case !finiteNonNeg(l.cfg.GradTol):
		return nil, flagErr("grad-tol", "a finite number >= 0", l.cfg.GradTol)
	case !(l.delta > 0) || math.IsInf(l.delta, 0):
		return nil, flagErr("delta", "a finite number > 0", l.delta)
	}
	shape, err := parseShape(l.inputShape)
	if err != nil {
		return nil, err
	}
	opt := o.config(fs)
	name := l.dataset
	if l.data == "" && name == "" {
		name = "line"
	}
	act := l.activation
	if !fs.Changed("activation") {
		act = ""
	}
	jb := &job.Job{
		Model: l.model, Activation: act, Loss: l.loss, Delta: l.delta, Float32: l.float32,
		Optimizer: opt, Loop: l.cfg, Standardize: l.standardize, StandardizeTarget: l.stdY, ValSplit: l.valSplit,
		InputShape: shape,
	}
	if st, err := l.stream.job(l.data, l.dataset, l.target, l.comm); st != nil || err != nil {
		jb.Stream = st // a file streamed rather than read into memory
		return jb, err
	}
	var ds *data.Dataset
	var shard *job.Shard
	if l.comm != nil {
		ds, shard, err = loadShard(cmd, l.data, name, data.CSVOptions{Target: l.target}, l.comm)
	} else {
		ds, err = loadData(cmd, l.data, name, data.CSVOptions{Target: l.target})
	}
	if err != nil {
		return nil, err
	}
	rows := ds.N
	if shard != nil {
		rows = shard.Total
	}
	if l.cfg.BatchSize > rows {
		return nil, flagErr("batch-size", "<= the "+strconv.Itoa(rows)+" rows of "+ds.Name, l.cfg.BatchSize)
	}
	if l.valData != "" || l.valDataset != "" {
		if jb.ValData, err = loadData(cmd, l.valData, l.valDataset, data.CSVOptions{Target: ds.Target}); err != nil {
			return nil, err
		}
	}
	jb.Data, jb.Shard = ds, shard
	return jb, nil
}

func finiteNonNeg(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }

// parseShape reads --input-shape "C,H,W" (any rank).
func parseShape(v string) ([]int, error) {
	if v == "" {
		return nil, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > 8 {
		return nil, flagErr("input-shape", "at most 8 sizes", strconv.Quote(v))
	}
	shape := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > 1<<24 {
			return nil, flagErr("input-shape", "sizes in [1, 16777216] separated by commas, such as 1,8,8", strconv.Quote(v))
		}
		shape[i] = n
	}
	return shape, nil
}

// loadData reads --data or --dataset; with neither, it is an error. Ctrl-C
// stops a read from a slow file or a FIFO.
func loadData(cmd *cobra.Command, path, name string, opt data.CSVOptions) (*data.Dataset, error) {
	switch {
	case path != "" && name != "":
		return nil, fmt.Errorf("give --data or --dataset, not both")
	case path != "" && data.IsRowFile(path):
		return data.ReadRowFile(path, opt)
	case path != "":
		return data.ReadCSVContext(cmd.Context(), path, opt)
	case name != "":
		return data.Open(name)
	}
	return nil, fmt.Errorf("--data FILE or --dataset NAME is required")
}

func datasetNames() []string { return data.DatasetNames() }
