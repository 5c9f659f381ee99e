package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
)

// Data is a training or validation set with its targets already encoded
// for the loss (one-hot for xent): X is N×D and Y is N×T, row-major.
type Data struct {
	X, Y    []float64
	N, D, T int
}

func (d *Data) check(what string) error {
	if d.N <= 0 {
		return fmt.Errorf("train: the %s set has no rows", what)
	}
	if len(d.X) != d.N*d.D || len(d.Y) != d.N*d.T {
		return fmt.Errorf("train: the %s set has %d X values and %d Y values, want %d×%d and %d×%d", what, len(d.X), len(d.Y), d.N, d.D, d.N, d.T)
	}
	return nil
}

// Config sets up a run. Its zero value is 100 epochs of full-batch
// gradient descent with no loss or gradient tolerance and no early stopping.
type Config struct {
	// Epochs is the number of passes over the data; 0 means 100.
	Epochs int
	// BatchSize is the rows per step: 0 is the whole set (batch gradient
	// descent: Epochs steps in all), 1 is stochastic gradient descent, and
	// b is mini-batch descent whose last, smaller batch is used too.
	BatchSize int
	// NoShuffle keeps the row order; otherwise rows are shuffled every
	// epoch by an RNG seeded with Seed.
	NoShuffle bool
	Seed      uint64
	// Tol stops the run when |J(t) − J(t−1)| < Tol between epochs; 0 is off.
	Tol float64
	// GradTol stops the run when a step's ‖∇J‖₂ < GradTol; 0 is off.
	GradTol float64
	// Patience stops the run when the validation loss has not improved for
	// this many epochs, and restores the best parameters; 0 is off.
	Patience int
	// StartEpoch is the number of epochs a resumed run has already done.
	StartEpoch int
}

func (c Config) epochs() int {
	if c.Epochs == 0 {
		return 100
	}
	return c.Epochs
}

// Validate checks every field, naming the one that is wrong.
func (c Config) Validate(n int) error {
	switch {
	case c.Epochs < 0:
		return fmt.Errorf("train: epochs must be >= 0, got %d", c.Epochs)
	case c.BatchSize < 0:
		return fmt.Errorf("train: batch size must be >= 0, got %d", c.BatchSize)
	case c.BatchSize > n:
		return fmt.Errorf("train: batch size %d needs at least %d rows, the training set has %d", c.BatchSize, c.BatchSize, n)
	case c.Tol < 0 || math.IsNaN(c.Tol):
		return fmt.Errorf("train: tol must be >= 0, got %v", c.Tol)
	case c.GradTol < 0 || math.IsNaN(c.GradTol):
		return fmt.Errorf("train: grad-tol must be >= 0, got %v", c.GradTol)
	case c.Patience < 0:
		return fmt.Errorf("train: patience must be >= 0, got %d", c.Patience)
	case c.StartEpoch < 0:
		return fmt.Errorf("train: start epoch must be >= 0, got %d", c.StartEpoch)
	}
	return nil
}

// Optimizer updates parameters in place from their gradients, both keyed
// by parameter name. *optimizers.Optimizer is one (through Adapt).
type Optimizer interface {
	Step(params, grads map[string][]float64) error
}

// Divergence says where a run stopped on a non-finite value.
type Divergence struct {
	Epoch, Step int
	What        string // "loss", "gradient of W", "parameter b after the update"
	Value       float64
	Hint        string
}

// Result is how a run ended.
type Result struct {
	Status Status
	// Epochs and Steps count what was done, a resumed run's earlier epochs included.
	Epochs, Steps int
	// Loss is the loss of the final parameters on the whole training set.
	Loss float64
	// ValLoss is the final validation loss (NaN without validation data).
	ValLoss float64
	// EpochLoss is the row-weighted mean batch loss of each epoch.
	EpochLoss []float64
	// EpochValLoss is the validation loss after each epoch (nil without validation data).
	EpochValLoss []float64
	// Diverged is set when Status is Diverged.
	Diverged *Divergence
	Duration time.Duration
}

// Run trains the engine's parameters with opt on tr. val may be nil. For an
// objective of the parameters alone (an engine with no features and no
// targets), tr is the empty Data{} and every epoch is one step.
// Cancelling ctx ends the run between steps with status Interrupted. The
// parameters the engine holds afterwards are the run's result: on
// divergence, the last ones whose loss and gradients were finite; after
// early stopping, the ones with the best validation loss.
func Run(ctx context.Context, e *graph.Engine, opt Optimizer, tr Data, val *Data, cfg Config, hooks ...Hook) (*Result, error) {
	start := time.Now()
	spec := e.Spec()
	objective := spec.Features == 0 && spec.Targets == 0
	switch {
	case objective && (tr.N != 0 || val != nil):
		return nil, fmt.Errorf("train: an objective of the parameters alone takes no data, got a training set of %d rows", tr.N)
	case !objective:
		if err := tr.check("training"); err != nil {
			return nil, err
		}
	}
	if val != nil {
		if err := val.check("validation"); err != nil {
			return nil, err
		}
	}
	if err := cfg.Validate(tr.N); err != nil {
		return nil, err
	}
	if cfg.Patience > 0 && val == nil {
		return nil, fmt.Errorf("train: patience %d needs a validation set", cfg.Patience)
	}
	full := cfg.BatchSize == 0 || cfg.BatchSize == tr.N
	shuffle := !cfg.NoShuffle && !full
	direct := objective || (full && cfg.NoShuffle)
	epoch := func() [][]int { return [][]int{nil} } // an objective: one step, no rows
	if !objective {
		batcher, err := data.NewBatcher(tr.N, cfg.BatchSize, shuffle, cfg.Seed)
		if err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		for i := 0; i < cfg.StartEpoch; i++ {
			batcher.Epoch() // replay the shuffles so a resumed run sees the same batches
		}
		epoch = batcher.Epoch
	}
	r := &loop{e: e, opt: opt, tr: tr, hooks: hooks, params: e.Params(), grads: e.Grads()}
	r.backup = cloneParams(r.params)
	if !direct {
		b := max(cfg.BatchSize, 1)
		if full {
			b = tr.N
		}
		r.xb, r.yb = make([]float64, b*tr.D), make([]float64, b*tr.T)
	}
	var err error
	res := &Result{Status: MaxEpochs, ValLoss: math.NaN(), Epochs: cfg.StartEpoch}
	best, bestEpoch := math.Inf(1), cfg.StartEpoch
	var bestParams map[string][]float64
	prev := math.NaN()
	steps := 0
run:
	for ep := cfg.StartEpoch + 1; ep <= cfg.epochs(); ep++ {
		var epochLoss float64
		for _, idx := range epoch() {
			if ctx.Err() != nil {
				res.Status = Interrupted
				break run
			}
			steps++
			loss, st, err := r.step(ep, steps, idx, direct, cfg.GradTol)
			if err != nil {
				return nil, err
			}
			if st != nil {
				res.Status = *st
				if *st == Diverged {
					res.Diverged = r.div
				}
				if *st != GradientTolerance {
					break run
				}
			}
			if objective {
				epochLoss = loss
			} else {
				epochLoss += loss * float64(len(idx)) / float64(tr.N)
			}
			if st != nil {
				break run
			}
		}
		res.Epochs = ep
		res.EpochLoss = append(res.EpochLoss, epochLoss)
		ei := &Epoch{Epoch: ep, Steps: steps, Loss: epochLoss, ValLoss: math.NaN()}
		if val != nil {
			if ei.ValLoss, err = e.Loss(val.X, val.Y, val.N); err != nil {
				return nil, err
			}
			res.ValLoss = ei.ValLoss
			res.EpochValLoss = append(res.EpochValLoss, ei.ValLoss)
		}
		if stop, err := callEpoch(hooks, ei); err != nil {
			return nil, err
		} else if stop {
			res.Status = Stopped
			break
		}
		if cfg.Patience > 0 {
			if ei.ValLoss < best {
				best, bestEpoch = ei.ValLoss, ep
				bestParams = cloneInto(bestParams, r.params)
			} else if ep-bestEpoch >= cfg.Patience {
				res.Status = EarlyStopping
				copyParams(r.params, bestParams)
				res.ValLoss = best
				break
			}
		}
		if cfg.Tol > 0 && math.Abs(epochLoss-prev) < cfg.Tol {
			res.Status = LossTolerance
			break
		}
		prev = epochLoss
	}
	res.Steps = steps
	if res.Loss, err = e.Loss(tr.X, tr.Y, tr.N); err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

// loop holds one run's buffers.
type loop struct {
	e             *graph.Engine
	opt           Optimizer
	tr            Data
	hooks         []Hook
	params, grads map[string][]float64
	backup        map[string][]float64
	xb, yb        []float64
	div           *Divergence
	info          Step
}

var (
	stDiverged = Diverged
	stGradTol  = GradientTolerance
	stStopped  = Stopped
)

// step runs one forward/backward pass and update on the rows idx. A non-nil
// status ends the run (GradientTolerance after the epoch loss is counted).
func (r *loop) step(ep, n int, idx []int, direct bool, gradTol float64) (float64, *Status, error) {
	X, Y, m := r.tr.X, r.tr.Y, r.tr.N
	if !direct {
		m = len(idx)
		X, Y = r.xb[:m*r.tr.D], r.yb[:m*r.tr.T]
		gather(X, r.tr.X, idx, r.tr.D)
		gather(Y, r.tr.Y, idx, r.tr.T)
	}
	loss, err := r.e.Step(X, Y, m)
	if err != nil {
		return 0, nil, err
	}
	if !isFinite(loss) {
		r.diverge(ep, n, "loss", loss)
		return 0, &stDiverged, nil
	}
	var sq float64
	for name, g := range r.grads {
		for _, v := range g {
			sq += v * v
		}
		if !allFinite(g) {
			r.diverge(ep, n, "gradient of "+name, math.NaN())
			return 0, &stDiverged, nil
		}
	}
	gn := math.Sqrt(sq)
	r.info = Step{Epoch: ep, Step: n, Rows: m, Loss: loss, GradNorm: gn, LR: math.NaN(), Params: r.params, Grads: r.grads}
	if lr, ok := r.opt.(interface{ LR() float64 }); ok {
		r.info.LR = lr.LR()
	}
	for _, h := range r.hooks {
		if err := h.OnStep(&r.info); err != nil {
			if errors.Is(err, ErrStop) {
				return loss, &stStopped, nil
			}
			return 0, nil, err
		}
	}
	if gradTol > 0 && gn < gradTol {
		return loss, &stGradTol, nil
	}
	cloneInto(r.backup, r.params)
	if err := r.opt.Step(r.params, r.grads); err != nil {
		return 0, nil, err
	}
	for name, p := range r.params {
		if !allFinite(p) {
			copyParams(r.params, r.backup)
			r.diverge(ep, n, "parameter "+name+" after the update", math.NaN())
			return 0, &stDiverged, nil
		}
	}
	return loss, nil, nil
}

// diverge records a non-finite value and restores the parameters saved
// before the last update, the last ones whose loss and gradients were finite.
func (r *loop) diverge(ep, n int, what string, v float64) {
	copyParams(r.params, r.backup)
	r.div = &Divergence{Epoch: ep, Step: n, What: what, Value: v,
		Hint: "the learning rate is probably too large for this problem; lower it (or standardize the features)"}
}

func callEpoch(hooks []Hook, e *Epoch) (bool, error) {
	for _, h := range hooks {
		if err := h.OnEpoch(e); err != nil {
			if errors.Is(err, ErrStop) {
				return true, nil
			}
			return false, err
		}
	}
	return false, nil
}

func gather(dst, src []float64, idx []int, w int) {
	for i, r := range idx {
		copy(dst[i*w:i*w+w], src[r*w:r*w+w])
	}
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func allFinite(v []float64) bool {
	for _, x := range v {
		if !isFinite(x) {
			return false
		}
	}
	return true
}

func cloneParams(p map[string][]float64) map[string][]float64 { return cloneInto(nil, p) }

// cloneInto copies p into dst, allocating dst's slices the first time.
func cloneInto(dst, p map[string][]float64) map[string][]float64 {
	if dst == nil {
		dst = make(map[string][]float64, len(p))
	}
	for k, v := range p {
		if d, ok := dst[k]; ok && len(d) == len(v) {
			copy(d, v)
		} else {
			dst[k] = append([]float64(nil), v...)
		}
	}
	return dst
}

func copyParams(dst, src map[string][]float64) {
	for k, v := range src {
		copy(dst[k], v)
	}
}
