package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/graph"
	"gorgonia.org/tensor"
)

// Data is a training or validation set with its targets already encoded
// for the loss (one-hot for xent): X holds N rows of D values (a row may be
// an image; the engine's input shape gives its layout) and Y holds N rows
// of T values, row-major.
type Data struct {
	X, Y    []float64
	N, D, T int
	// Labels are the class labels of a classification set (nil for
	// regression), for accuracy; Classes is k, or 1 for a binary logit.
	Labels  []float64
	Classes int
	// Lo and Total place one process's share in a data-parallel run
	// (Config.Comm): X holds rows [Lo, Lo+N) of the Total rows that all
	// processes hold together, in the order that the seeded permutation
	// indexes. N may then be 0. Total 0 means N: this process holds every
	// row.
	Lo, Total int
	// Source streams the rows instead of X and Y, which are then nil; N is
	// the number of rows it reads in a pass.
	Source Source
}

func (d *Data) check(what string) error {
	if d.N < 0 || d.N == 0 && d.Total == 0 {
		return fmt.Errorf("train: the %s set has no rows", what)
	}
	if d.D <= 0 || d.T <= 0 || d.N > graph.MaxValues/d.D || d.N > graph.MaxValues/d.T {
		return fmt.Errorf("train: the %s set has %d rows of %d values and %d targets, which is not a usable size", what, d.N, d.D, d.T)
	}
	if d.Source == nil && (len(d.X) != d.N*d.D || len(d.Y) != d.N*d.T) {
		return fmt.Errorf("train: the %s set has %d X values and %d Y values, want %d×%d and %d×%d", what, len(d.X), len(d.Y), d.N, d.D, d.N, d.T)
	}
	if d.Labels != nil && (len(d.Labels) != d.N || d.Source != nil) {
		return fmt.Errorf("train: the %s set has %d labels for %d rows", what, len(d.Labels), d.N)
	}
	return nil
}

// Config sets up a run. Its zero value is 100 epochs of full-batch
// gradient descent with no loss or gradient tolerance and no early stopping.
type Config struct {
	// Epochs is the number of passes over the data, a resumed run's earlier
	// epochs included; 0 means 100.
	Epochs int
	// BatchSize is the rows per step: 0 is the whole set (batch gradient
	// descent: Epochs steps in all), 1 is stochastic gradient descent, and
	// b is mini-batch descent whose last, smaller batch is used too.
	BatchSize int
	// NoShuffle keeps the row order; otherwise the rows of epoch e are
	// shuffled by an RNG seeded with (Seed, e).
	NoShuffle bool
	Seed      uint64
	// Tol stops the run when |J(t) − J(t−1)| < Tol between epochs; 0 is off.
	Tol float64
	// GradTol stops the run when a step's ‖∇J‖₂ < GradTol; 0 is off.
	GradTol float64
	// Patience stops the run when the validation loss has not improved for
	// this many epochs, and restores the best parameters; 0 is off.
	Patience int
	// Resume continues an interrupted run from its checkpointed position,
	// which may lie inside an epoch; nil starts at the beginning.
	Resume *Position
	// Comm makes the run one process of a data-parallel world (package
	// dist): the training and validation sets are then this process's
	// shares (Data.Lo, Data.Total), every process calls Run with the same
	// configuration, and all of them end with the same parameters. Hooks
	// see the whole batch's values on every process and must decide alike
	// on all of them to stop a run. Nil, or a world of one process, is a
	// one-process run.
	Comm dist.Comm
}

func (c Config) epochs() int {
	if c.Epochs == 0 {
		return 100
	}
	return c.Epochs
}

// Validate checks every field, naming the one that is wrong; n is the
// number of training rows.
func (c Config) Validate(n int) error {
	switch {
	case c.Epochs < 0:
		return fmt.Errorf("train: epochs must be >= 0, got %d", c.Epochs)
	case c.BatchSize < 0:
		return fmt.Errorf("train: batch size must be >= 0, got %d", c.BatchSize)
	case c.BatchSize > n:
		return fmt.Errorf("train: batch size %d needs at least %d rows, the training set has %d", c.BatchSize, c.BatchSize, n)
	case !finiteNonNeg(c.Tol):
		return fmt.Errorf("train: tol must be a finite number >= 0, got %v", c.Tol)
	case !finiteNonNeg(c.GradTol):
		return fmt.Errorf("train: grad-tol must be a finite number >= 0, got %v", c.GradTol)
	case c.Patience < 0:
		return fmt.Errorf("train: patience must be >= 0, got %d", c.Patience)
	}
	if p := c.Resume; p != nil {
		if err := p.check(c.epochs(), batchesPer(n, c.BatchSize)); err != nil {
			return err
		}
	}
	return nil
}

func finiteNonNeg(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }

// batchesPer is the number of steps in an epoch (1 for an objective).
func batchesPer(n, batch int) int {
	if n == 0 || batch == 0 {
		return 1
	}
	return (n + batch - 1) / batch
}

// Optimizer updates parameters in place from their gradients, both keyed
// by parameter name. *optimizers.Optimizer is one (through Adapt). A
// float32 engine's run needs one that is also an Optimizer32 (Adapt32):
// the engine's float32 parameters are then stepped directly, and hooks see
// float64 copies of them (made only when there are hooks).
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
	// Epochs and Steps count the completed epochs and the updates made, a
	// resumed run's earlier ones included. A step that diverged is not
	// counted: its update was undone.
	Epochs, Steps int
	// Loss is the loss of the final parameters on the whole training set,
	// in evaluation mode; NaN when a streamed run was interrupted, which
	// stops without another pass over the file.
	Loss float64
	// ValLoss is the final validation loss (NaN without validation data).
	ValLoss float64
	// History holds the epoch losses, thinned to at most MaxHistory points
	// for long runs (this run's epochs only).
	History *History
	// Diverged is set when Status is Diverged.
	Diverged *Divergence
	// Position is where the run stopped, for a checkpoint.
	Position Position
	// BestEpoch is the epoch whose parameters early stopping restored.
	BestEpoch int
	Duration  time.Duration
}

// Run trains the engine's parameters with opt on tr. val may be nil. For an
// objective of the parameters alone (an engine with no data), tr is the
// empty Data{} and every epoch is one step.
//
// Cancelling ctx ends the run between steps with status Interrupted; its
// Result.Position then says exactly where, inside the epoch if need be, so
// that a run resumed from it (Config.Resume, with the parameters, buffers,
// engine step count and optimizer state saved with it) ends bit-identical
// to one that was never interrupted. The parameters the engine holds
// afterwards are the run's result: on divergence, the last ones whose loss
// and gradients were finite; after early stopping, the ones with the best
// validation loss.
func Run(ctx context.Context, e *graph.Engine, opt Optimizer, tr Data, val *Data, cfg Config, hooks ...Hook) (*Result, error) {
	start := time.Now()
	spec := e.Spec()
	objective := !spec.HasData()
	size := 1
	if cfg.Comm != nil {
		size = cfg.Comm.Size()
	}
	switch {
	case objective && (tr.N != 0 || tr.Source != nil || val != nil):
		return nil, fmt.Errorf("train: an objective of the parameters alone takes no data, got a training set of %d rows", tr.N)
	case !objective:
		if err := tr.check("training"); err != nil {
			return nil, err
		}
		if err := tr.checkShard("training", size); err != nil {
			return nil, err
		}
		if tr.D != spec.InputSize() || tr.T != spec.TargetSize() {
			return nil, fmt.Errorf("train: the training set has rows of %d values and %d targets, the model takes %d and %d", tr.D, tr.T, spec.InputSize(), spec.TargetSize())
		}
	}
	if val != nil {
		if err := val.check("validation"); err != nil {
			return nil, err
		}
		if err := val.checkShard("validation", size); err != nil {
			return nil, err
		}
	}
	if err := cfg.Validate(tr.rows()); err != nil {
		return nil, err
	}
	if cfg.Patience > 0 && val == nil {
		return nil, fmt.Errorf("train: patience %d needs a validation set", cfg.Patience)
	}
	if err := checkDtype(e, opt); err != nil {
		return nil, err
	}
	r := &loop{e: e, opt: opt, tr: tr, hooks: hooks, total: tr.rows()}
	r.w = newWorld(nil, e)
	if size > 1 {
		if err := checkParallel(e, fmt.Sprintf("data-parallel training on %d processes", size)); err != nil {
			return nil, err
		}
		r.w.comm, r.shared = cfg.Comm, true
	}
	full := cfg.BatchSize == 0 || cfg.BatchSize == tr.rows()
	shuffle := !cfg.NoShuffle && !full
	switch {
	case objective:
		r.feed = objectiveFeed{}
	case tr.Source != nil:
		counts, err := r.w.counts(tr.N, cfg.Comm)
		if err != nil {
			return nil, err
		}
		f := newStreamFeed(tr, counts, rankOf(cfg.Comm), cfg.BatchSize, shuffle)
		if f.pieces() > 1 && !r.shared {
			if err := checkParallel(e, fmt.Sprintf("streaming batches of %d rows in pieces of %d", f.batch, f.piece)); err != nil {
				return nil, err
			}
			r.shared = true
		}
		r.feed = f
	default:
		f, err := newMemFeed(tr, cfg, full, shuffle, full) // a full batch is every row in order: no copy
		if err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		r.feed = f
	}
	defer r.feed.close()
	if err := r.w.broadcast(e); err != nil {
		return nil, err
	}
	r.v = valuesOf(e, opt)
	pos := Position{}
	if cfg.Resume != nil {
		pos = cfg.Resume.clone()
	}
	res := &Result{Status: MaxEpochs, ValLoss: math.NaN(), History: NewHistory(MaxHistory)}
	var err error
	var bestParams map[string][]float64
	if pos.Best != nil {
		bestParams = cloneParams(pos.Best)
	}
	stopped := false
run:
	for ep := pos.Epoch + 1; ep <= cfg.epochs(); ep++ {
		batches, err := r.feed.epoch(ep-1, pos.Batch)
		if err != nil {
			return nil, err
		}
		for bi := pos.Batch; bi < batches; bi++ {
			if !r.shared && ctx.Err() != nil {
				res.Status = Interrupted
				break run
			}
			loss, rows, st, err := r.step(ep, pos.Steps+1, cfg.GradTol, ctx.Err() != nil)
			if err != nil {
				return nil, err
			}
			if st != nil && *st != GradientTolerance { // no update was made
				res.Status = *st
				if *st == Diverged {
					res.Diverged = r.div
				}
				break run
			}
			pos.Batch = bi + 1
			if objective {
				pos.EpochLoss = loss
			} else {
				pos.EpochLoss += loss * float64(rows) / float64(r.total)
			}
			if st != nil { // the gradient is small enough: its loss counts, no update
				res.Status = GradientTolerance
				stopped = true
				break
			}
			pos.Steps++
		}
		epochLoss := pos.EpochLoss
		pos.Epoch, pos.Batch, pos.EpochLoss = ep, 0, 0
		ei := &Epoch{Epoch: ep, Steps: pos.Steps, Loss: epochLoss, ValLoss: math.NaN(), ValAccuracy: math.NaN()}
		if val != nil {
			acc := val.Labels != nil || (r.shared || val.Source != nil) && val.Classes > 0
			if ei.ValLoss, ei.ValAccuracy, err = r.eval(val, acc); err != nil {
				return nil, err
			}
			res.ValLoss = ei.ValLoss
		}
		res.History.Add(ep, epochLoss, ei.ValLoss)
		if stopped {
			break // gradient tolerance, after the epoch's loss is counted
		}
		if stop, err := callEpoch(hooks, ei); err != nil {
			return nil, err
		} else if stop {
			res.Status = Stopped
			break
		}
		if cfg.Patience > 0 {
			if pos.BestVal == nil || ei.ValLoss < *pos.BestVal {
				v := ei.ValLoss
				pos.BestVal, pos.BestEpoch = &v, ep
				bestParams = r.v.best(bestParams)
			} else if ep-pos.BestEpoch >= cfg.Patience {
				res.Status = EarlyStopping
				r.v.setBest(bestParams)
				res.ValLoss = *pos.BestVal
				res.BestEpoch = pos.BestEpoch
				break
			}
		}
		if cfg.Tol > 0 && pos.Prev != nil && math.Abs(epochLoss-*pos.Prev) < cfg.Tol {
			res.Status = LossTolerance
			break
		}
		prev := epochLoss
		pos.Prev = &prev
	}
	if cfg.Patience > 0 {
		pos.Best = bestParams
	}
	res.Epochs, res.Steps, res.Position = pos.Epoch, pos.Steps, pos
	switch {
	case objective:
		res.Loss, err = e.Loss(nil, nil, 0)
	case res.Status == Interrupted && tr.Source != nil:
		res.Loss = math.NaN() // not another pass over a streamed file: stop now
	default:
		res.Loss, _, err = r.eval(&tr, false)
	}
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

// loop holds one run's buffers.
type loop struct {
	e     *graph.Engine
	opt   Optimizer
	tr    Data
	total int // training rows over all processes
	hooks []Hook
	v     values
	feed  feed
	w     *world
	// shared: a batch's loss and gradient are sums over pieces or
	// processes (sumStep), not the engine's mean over one piece.
	shared bool
	div    *Divergence
	info   Step
}

var (
	stDiverged    = Diverged
	stGradTol     = GradientTolerance
	stStopped     = Stopped
	stInterrupted = Interrupted
)

// step runs one forward/backward pass on the next batch and the update. A
// non-nil status ends the run (GradientTolerance after the epoch loss is
// counted). interrupt asks a data-parallel run to stop: every process
// learns it from the batch's allreduce and stops before the update.
func (r *loop) step(ep, n int, gradTol float64, interrupt bool) (float64, int, *Status, error) {
	r.v.saveBuffers()
	steps := r.e.Steps()
	var loss float64
	var rows int
	if r.shared {
		var stop bool
		var err error
		if loss, rows, stop, err = r.sumStep(interrupt); err != nil {
			return 0, 0, nil, err
		}
		if stop {
			return 0, rows, &stInterrupted, nil
		}
	} else {
		var err error
		rows, err = r.feed.next(func(X, Y []float64, m int) error {
			var err error
			loss, err = r.e.Step(X, Y, m)
			return err
		})
		if err != nil {
			return 0, 0, nil, err
		}
	}
	if !isFinite(loss) {
		r.diverge(ep, n, "loss", loss, steps)
		return 0, rows, &stDiverged, nil
	}
	sq, bad := r.v.gradSq(r.w.names) // one order on every process
	if bad != "" {
		r.diverge(ep, n, "gradient of "+bad, math.NaN(), steps)
		return 0, rows, &stDiverged, nil
	}
	gn := math.Sqrt(sq)
	r.info = Step{Epoch: ep, Step: n, Rows: rows, Loss: loss, GradNorm: gn, LR: math.NaN()}
	if len(r.hooks) > 0 {
		r.info.Params, r.info.Grads = r.v.hookViews()
	}
	if lr, ok := r.opt.(interface{ LR() float64 }); ok {
		r.info.LR = lr.LR()
	}
	for _, h := range r.hooks {
		if err := h.OnStep(&r.info); err != nil {
			if errors.Is(err, ErrStop) {
				return loss, rows, &stStopped, nil
			}
			return 0, 0, nil, err
		}
	}
	if gradTol > 0 && gn < gradTol {
		return loss, rows, &stGradTol, nil
	}
	bad, err := r.v.update()
	if err != nil {
		return 0, 0, nil, err
	}
	if bad != "" {
		r.diverge(ep, n, "parameter "+bad+" after the update", math.NaN(), steps)
		return 0, rows, &stDiverged, nil
	}
	return loss, rows, nil, nil
}

// diverge records a non-finite value and restores the parameters and
// buffers saved before the last step, the last ones whose loss and
// gradients were finite.
func (r *loop) diverge(ep, n int, what string, v float64, steps int64) {
	r.v.restore()
	r.e.SetSteps(steps)
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

// accuracyOf is the engine's accuracy on a labelled set.
func accuracyOf(e *graph.Engine, d *Data) (float64, error) {
	pred, err := e.Predict(d.X, d.N, nil)
	if err != nil {
		return 0, err
	}
	return Accuracy(pred, d.Labels, d.Classes)
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func cloneParams(p map[string][]float64) map[string][]float64 { return cloneMap(nil, p) }

// checkDtype refuses an optimizer of the other dtype than the engine's.
func checkDtype(e *graph.Engine, opt Optimizer) error {
	_, is32 := opt.(Optimizer32)
	_, only32 := opt.(adapted32)
	switch {
	case e.Dtype() == tensor.Float32 && !is32:
		return fmt.Errorf("train: the engine is float32 but the optimizer is float64; use a float32 optimizer (train.Adapt32 of optimizers.New32)")
	case e.Dtype() != tensor.Float32 && only32:
		return fmt.Errorf("train: the engine is float64 but the optimizer is float32; use train.Adapt of optimizers.New")
	}
	return nil
}
