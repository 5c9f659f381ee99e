package job

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/descent-ml/descent/train"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Variant is one arm of a comparison: the base job with its optimizer
// name and/or learning rate replaced. Zero fields keep the base job's.
type Variant struct {
	// Label names the row; "" derives one from the overrides: "adam",
	// "lr=0.02" or "adam lr=0.02".
	Label string
	// Optimizer replaces the base optimizer's name; the base job's other
	// optimizer options still apply (one that does not apply to this
	// optimizer is an error naming the variant).
	Optimizer string
	// LR replaces the learning rate when > 0.
	LR float64
	// Edit, when set, changes the variant's copy of the job after Optimizer
	// and LR are applied: a batch size, a model, a loss. The copy's
	// optimizer Set map is its own.
	Edit func(j *Job)
}

// label returns the variant's row label.
func (v Variant) label() string {
	if v.Label != "" {
		return v.Label
	}
	var parts []string
	if v.Optimizer != "" {
		parts = append(parts, v.Optimizer)
	}
	if v.LR > 0 {
		parts = append(parts, "lr="+strconv.FormatFloat(v.LR, 'g', -1, 64))
	}
	if len(parts) == 0 {
		return "base"
	}
	return strings.Join(parts, " ")
}

// CompareRow is how one variant did.
type CompareRow struct {
	Label string `json:"label"`
	// Optimizer and LR are the resolved optimizer name and base learning rate.
	Optimizer string  `json:"optimizer"`
	LR        float64 `json:"lr"`
	// Status is why the run ended; a diverged run is a row, not an error.
	Status train.Status `json:"status"`
	// Loss is the training loss of the final parameters (on divergence, of
	// the last finite ones); ValLoss the validation loss, NaN without one.
	Loss    float64 `json:"loss"`
	ValLoss float64 `json:"val_loss"`
	// Epochs and Steps count what the run did.
	Epochs int `json:"epochs"`
	Steps  int `json:"steps"`
	// StepsToTarget is the number of updates it took to bring the loss to
	// the comparison's target or below: with full batches, the first k
	// with J(θₖ) ≤ target (0 when the start already is); with mini-batches,
	// the steps taken by the end of the first epoch whose mean batch loss
	// is ≤ target, or every step when only the final loss is. −1 means never.
	StepsToTarget int `json:"steps_to_target"`
	// Curve is the loss of every completed epoch (the row-weighted mean of
	// its batch losses; with full batches, the loss at each step), thinned
	// for long runs: CurveEpochs are the epochs kept and CurveSteps the
	// steps taken by the end of each.
	Curve       []float64 `json:"curve"`
	CurveEpochs []int     `json:"curve_epochs"`
	CurveSteps  []int     `json:"curve_steps"`
	// Diverged says where a diverged run stopped.
	Diverged *train.Divergence `json:"diverged,omitempty"`
	// Duration is the wall time of the run, preparation excluded.
	Duration time.Duration `json:"-"`

	full bool // one step per epoch: Curve[k] is J(θₖ)
}

// Comparison is the result of Compare.
type Comparison struct {
	Rows []CompareRow
	// Target is the loss target StepsToTarget counts to; TargetRule says
	// how it was chosen.
	Target     float64
	TargetRule string
	// Initial is the training loss at the starting parameters.
	Initial float64
}

// CompareOptions tune Compare. The zero value is the default.
type CompareOptions struct {
	// Target is the loss to reach. 0 picks DefaultTarget.
	Target float64
}

// Compare runs the base job once per variant, on the same data, split,
// initial parameters and seed, and reports each run's final loss, status,
// steps to the loss target, wall time and loss curve. base is not
// modified; base.Init and base.Hooks apply to every variant.
//
// Cancelling ctx stops the comparison with ctx's error.
func Compare(ctx context.Context, base *Job, variants []Variant, opt CompareOptions) (*Comparison, error) {
	if base == nil {
		return nil, fmt.Errorf("job: compare: no base job")
	}
	if len(variants) == 0 {
		return nil, fmt.Errorf("job: compare: no variants")
	}
	if opt.Target < 0 || math.IsNaN(opt.Target) || math.IsInf(opt.Target, 0) {
		return nil, fmt.Errorf("job: compare: target must be >= 0 (0 = default), got %v", opt.Target)
	}
	c := &Comparison{Initial: math.NaN()}
	for i, v := range variants {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		row, initial, err := runVariant(ctx, base, v)
		if err != nil {
			return nil, fmt.Errorf("job: compare: variant %s: %w", v.label(), err)
		}
		if i == 0 {
			c.Initial = initial
		}
		c.Rows = append(c.Rows, row)
	}
	if opt.Target > 0 {
		c.Target, c.TargetRule = opt.Target, "given"
	} else {
		c.Target, c.TargetRule = DefaultTarget(c.Rows, c.Initial)
	}
	for i := range c.Rows {
		c.Rows[i].StepsToTarget = stepsTo(c.Rows[i], c.Target)
	}
	return c, nil
}

// DefaultTarget is the loss target of a comparison when none is given:
//
//	target = max(1.05·J_best, 1e-6·J₀)
//
// where J_best is the lowest final loss among the rows that did not
// diverge and J₀ the loss at the starting parameters: "within 5% of the
// best run", floored at a millionth of the starting loss so that a problem
// the best run fits exactly (J → 0) still has a target the others can
// reach. Only runs that ended below the starting loss count, and the
// target is never above J₀: a run whose loss grew never "reaches" it at
// step 0. It returns NaN, with the reason, when no run lowered the loss.
func DefaultTarget(rows []CompareRow, initial float64) (float64, string) {
	best := math.Inf(1)
	diverged := 0
	for _, r := range rows {
		if r.Status == train.Diverged || !isFinite(r.Loss) {
			diverged++
			continue
		}
		if r.Loss < initial || math.IsNaN(initial) {
			best = math.Min(best, r.Loss)
		}
	}
	if math.IsInf(best, 1) {
		if diverged == len(rows) {
			return math.NaN(), "none: every run diverged"
		}
		return math.NaN(), "none: no run lowered the loss below the starting loss"
	}
	t, rule := 1.05*best, "1.05 × the best final loss"
	if t >= initial {
		t, rule = best, "the best final loss"
	}
	if floor := 1e-6 * initial; isFinite(floor) && floor > t {
		t, rule = floor, "1e-6 × the starting loss, as the best run fits almost exactly"
	}
	return t, rule
}

// stepsTo returns the row's StepsToTarget for target.
func stepsTo(r CompareRow, target float64) int {
	if math.IsNaN(target) {
		return -1
	}
	for i, l := range r.Curve {
		if l <= target {
			if r.full {
				return r.CurveEpochs[i] - 1 // J(θ) before epoch e's update: e−1 steps in
			}
			return r.CurveSteps[i]
		}
	}
	if r.Status != train.Diverged && r.Loss <= target {
		return r.Steps
	}
	return -1
}

// runVariant prepares and runs one variant, returning its row and the
// loss at the starting parameters.
func runVariant(ctx context.Context, base *Job, v Variant) (CompareRow, float64, error) {
	if v.LR < 0 || math.IsNaN(v.LR) || math.IsInf(v.LR, 0) {
		return CompareRow{}, 0, fmt.Errorf("lr must be > 0 (0 keeps the base job's), got %v", v.LR)
	}
	j := *base
	j.Optimizer.Set = make(map[string]bool, len(base.Optimizer.Set)+1)
	for k, on := range base.Optimizer.Set {
		j.Optimizer.Set[k] = on
	}
	if v.Optimizer != "" {
		j.Optimizer.Name = v.Optimizer
	}
	if v.LR > 0 {
		j.Optimizer.LR = v.LR
		j.Optimizer.Set["lr"] = true
	}
	j.Hooks = append([]train.Hook(nil), base.Hooks...)
	if v.Edit != nil {
		v.Edit(&j)
	}
	p, err := j.Prepare()
	if err != nil {
		return CompareRow{}, 0, err
	}
	initial, err := p.Engine.Loss(p.Train.X, p.Train.Y, p.Train.N)
	if err != nil {
		return CompareRow{}, 0, err
	}
	steps := map[int]int{} // first among the hooks, so a hook that stops the run cannot skip it
	rec := train.Funcs{Epoch: func(e *train.Epoch) error { steps[e.Epoch] = e.Steps; return nil }}
	res, err := train.Run(ctx, p.Engine, p.TrainOptimizer(), p.Train, p.Val, p.Loop, append([]train.Hook{rec}, j.Hooks...)...)
	if err != nil {
		return CompareRow{}, 0, err
	}
	cfg := p.Optimizer.Config()
	epochs, curve, _ := res.History.Points()
	curveSteps := make([]int, len(epochs))
	for i, e := range epochs {
		s, ok := steps[e]
		if !ok {
			s = res.Steps // the partial epoch a gradient tolerance ended
		}
		curveSteps[i] = s
	}
	return CompareRow{
		Label: v.label(), Optimizer: cfg.Name, LR: cfg.LR, Status: res.Status,
		Loss: res.Loss, ValLoss: res.ValLoss, Epochs: res.Epochs, Steps: res.Steps,
		Curve: curve, CurveEpochs: epochs, CurveSteps: curveSteps,
		Diverged: res.Diverged, Duration: res.Duration,
		full: p.Loop.BatchSize == 0 || p.Loop.BatchSize >= p.Train.N,
	}, initial, nil
}

// WriteTable prints one line per variant: label, optimizer, learning rate,
// final loss (and validation loss, when there is one), steps to the target,
// status and, when timings is set, the wall time. Without timings the
// table is deterministic.
func (c *Comparison) WriteTable(w io.Writer, timings bool) error {
	val := false
	for _, r := range c.Rows {
		val = val || !math.IsNaN(r.ValLoss)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "variant\toptimizer\tlr\tfinal loss"
	if val {
		head += "\tval loss"
	}
	head += "\tsteps to target\tstatus"
	if timings {
		head += "\ttime"
	}
	fmt.Fprintln(tw, head)
	for _, r := range c.Rows {
		reached := "never"
		if r.StepsToTarget >= 0 {
			reached = strconv.Itoa(r.StepsToTarget)
		}
		status := r.Status.String()
		if d := r.Diverged; d != nil {
			status = fmt.Sprintf("diverged at step %d", d.Step)
		}
		fmt.Fprintf(tw, "%s\t%s\t%g\t%.6g", r.Label, r.Optimizer, r.LR, r.Loss)
		if val {
			fmt.Fprintf(tw, "\t%.6g", r.ValLoss)
		}
		fmt.Fprintf(tw, "\t%s\t%s", reached, status)
		if timings {
			fmt.Fprintf(tw, "\t%s", r.Duration.Round(time.Microsecond))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	target := "none"
	if !math.IsNaN(c.Target) {
		target = fmt.Sprintf("%.6g", c.Target)
	}
	_, err := fmt.Fprintf(w, "target loss: %s (%s); starting loss %.6g\n", target, c.TargetRule, c.Initial)
	return err
}

// MarshalJSON writes the comparison with non-finite numbers and a target
// never reached as null, and wall times in seconds.
func (c *Comparison) MarshalJSON() ([]byte, error) {
	type divJSON struct {
		Epoch int    `json:"epoch"`
		Step  int    `json:"step"`
		What  string `json:"what"`
		Hint  string `json:"hint"`
	}
	type rowJSON struct {
		Label         string       `json:"label"`
		Optimizer     string       `json:"optimizer"`
		LR            float64      `json:"lr"`
		Status        train.Status `json:"status"`
		Loss          any          `json:"loss"`
		ValLoss       any          `json:"val_loss,omitempty"`
		Epochs        int          `json:"epochs"`
		Steps         int          `json:"steps"`
		StepsToTarget any          `json:"steps_to_target"`
		Seconds       float64      `json:"seconds"`
		Diverged      *divJSON     `json:"diverged,omitempty"`
		Curve         []any        `json:"curve"`
		CurveSteps    []int        `json:"curve_steps"`
	}
	rows := make([]rowJSON, len(c.Rows))
	for i, r := range c.Rows {
		rows[i] = rowJSON{Label: r.Label, Optimizer: r.Optimizer, LR: r.LR, Status: r.Status,
			Loss: jsonFloat(r.Loss), ValLoss: jsonFloat(r.ValLoss), Epochs: r.Epochs, Steps: r.Steps,
			Seconds: r.Duration.Seconds(), Curve: make([]any, len(r.Curve)), CurveSteps: r.CurveSteps}
		if r.StepsToTarget >= 0 {
			rows[i].StepsToTarget = r.StepsToTarget
		}
		for k, v := range r.Curve {
			rows[i].Curve[k] = jsonFloat(v)
		}
		if d := r.Diverged; d != nil {
			rows[i].Diverged = &divJSON{Epoch: d.Epoch, Step: d.Step, What: d.What, Hint: d.Hint}
		}
	}
	return json.Marshal(struct {
		Target     any       `json:"target"`
		TargetRule string    `json:"target_rule"`
		Initial    any       `json:"initial_loss"`
		Rows       []rowJSON `json:"rows"`
	}{jsonFloat(c.Target), c.TargetRule, jsonFloat(c.Initial), rows})
}

// CurveXY is a row's loss curve for plotting: the kept epochs and their
// losses, and for a diverged run one more point at +Inf, one epoch after
// the last, which a plot clips and marks.
func CurveXY(r CompareRow) (x, y []float64) {
	x = make([]float64, len(r.CurveEpochs), len(r.CurveEpochs)+1)
	for i, e := range r.CurveEpochs {
		x[i] = float64(e)
	}
	y = append([]float64(nil), r.Curve...)
	if r.Status == train.Diverged {
		last := 0.0
		if len(x) > 0 {
			last = x[len(x)-1]
		}
		x, y = append(x, last+1), append(y, math.Inf(1))
	}
	return x, y
}
