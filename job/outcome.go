package job

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/modelfile"
	"github.com/descent-ml/descent/train"
)

// Outcome is what a run produced.
type Outcome struct {
	Result *train.Result
	// Loss is the loss trained with, and LossReason why it was chosen.
	Loss, LossReason string
	// TrainMetrics and ValMetrics score the final parameters on the
	// training and validation rows; both are nil after a divergence, whose
	// parameters are not worth scoring, and after an interrupted streamed
	// run, which stops without more passes over the file.
	TrainMetrics, ValMetrics *Metrics
	Engine                   *graph.Engine
	// File is the model file of the final parameters, with the optimizer
	// state and position, ready to Save (nil when the model is a user's
	// module that is not registered; FileErr says why).
	File    *modelfile.File
	FileErr error
	// Train and Val are the encoded sets the run used.
	Train train.Data
	Val   *train.Data
	// Resumed says the run continued a checkpoint.
	Resumed bool
	// Standardized says the target was standardized (the loss is then in
	// standardized units; the metrics are in the target's).
	Standardized bool
	// Ranks is the number of processes that trained (data-parallel when
	// more than 1).
	Ranks int
}

// Metrics score a model on a set: accuracy for a classifier; R², RMSE and
// MAE in the target's units for a regression.
type Metrics struct {
	Accuracy *float64 `json:"accuracy,omitempty"`
	R2       *float64 `json:"r2,omitempty"`
	RMSE     *float64 `json:"rmse,omitempty"`
	MAE      *float64 `json:"mae,omitempty"`
}

// Run prepares and trains.
func (j *Job) Run(ctx context.Context) (*Outcome, error) {
	p, err := j.Prepare()
	if err != nil {
		return nil, err
	}
	return p.Run(ctx)
}

// Run trains the prepared job, with the job's hooks and then hooks.
func (p *Prepared) Run(ctx context.Context, hooks ...train.Hook) (*Outcome, error) {
	all := append(append([]train.Hook(nil), p.job.Hooks...), hooks...)
	res, err := train.Run(ctx, p.Engine, p.TrainOptimizer(), p.Train, p.Val, p.Loop, all...)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Result: res, Engine: p.Engine, Train: p.Train, Val: p.Val, Loss: p.Loss, LossReason: p.LossReason,
		Resumed: p.Resumed, Standardized: p.TargetStats != nil, Ranks: p.Ranks()}
	if res.Status != train.Diverged && (res.Status != train.Interrupted || p.stream == nil) {
		if out.TrainMetrics, err = p.Metrics(p.Train); err != nil {
			return nil, err
		}
		if p.Val != nil {
			if out.ValMetrics, err = p.Metrics(*p.Val); err != nil {
				return nil, err
			}
		}
	}
	out.File, out.FileErr = p.File(res)
	return out, nil
}

// File is the model file of the engine's current parameters after res:
// with the optimizer state and position, it is a checkpoint.
func (p *Prepared) File(res *train.Result) (*modelfile.File, error) {
	if p.archErr != nil {
		return nil, p.archErr
	}
	f := modelfile.New(p.Arch, p.Engine)
	f.Features, f.Target, f.Classes = p.Features, p.Target, p.Classes
	if len(p.InputShape) > 1 {
		f.InputShape = append([]int(nil), p.InputShape...)
	}
	f.Standardize, f.TargetStandardize = p.Stats, p.TargetStats
	state, err := p.marshalState()
	if err != nil {
		return nil, err
	}
	f.Optimizer = &modelfile.Optimizer{Name: p.Optimizer.Config().Name, State: state}
	if res != nil {
		pos := res.Position
		f.Position = &pos
		f.Epochs, f.Steps = res.Epochs, res.Steps
	}
	return f, nil
}

// Metrics scores the engine's current parameters on d, in the target's
// units.
func (p *Prepared) Metrics(d train.Data) (*Metrics, error) {
	if c, ok := p.comm(); ok || d.Source != nil {
		return p.reducedMetrics(d, c)
	}
	pred, err := p.Engine.Predict(d.X, d.N, nil)
	if err != nil {
		return nil, err
	}
	for _, v := range pred {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil // nothing worth scoring
		}
	}
	m := &Metrics{}
	if p.Classes > 0 {
		acc, err := train.Accuracy(pred, d.Labels, d.Classes)
		if err != nil {
			return nil, err
		}
		m.Accuracy = &acc
		return m, nil
	}
	y := d.Y
	if st := p.TargetStats; st != nil {
		y = make([]float64, len(d.Y))
		for i := range pred {
			pred[i] = pred[i]*st.Std[0] + st.Mean[0]
			y[i] = d.Y[i]*st.Std[0] + st.Mean[0]
		}
	}
	if len(pred) != len(y) {
		return m, nil // several outputs per row: no single target to score
	}
	r2, err := train.R2(pred, y)
	if err != nil {
		return nil, err
	}
	rmse, _ := train.RMSE(pred, y)
	mae, _ := train.MAE(pred, y)
	if isFinite(r2) {
		m.R2 = &r2
	}
	if isFinite(rmse) {
		m.RMSE, m.MAE = &rmse, &mae
	}
	return m, nil
}

// WriteSummary prints the readable end-of-run summary: why the run
// stopped, how long it took, the loss and why it was chosen, the metrics
// and small parameters.
func (o *Outcome) WriteSummary(w io.Writer) error {
	r := o.Result
	var b strings.Builder
	fmt.Fprintf(&b, "stopped:   %s after %d epochs, %d steps in %s", r.Status, r.Epochs, r.Steps, r.Duration.Round(time.Microsecond))
	if o.Resumed {
		b.WriteString(" (counts include the checkpoint's)")
	}
	b.WriteString("\n")
	if o.Ranks > 1 {
		fmt.Fprintf(&b, "parallel:  data-parallel on %d ranks\n", o.Ranks)
	}
	if d := r.Diverged; d != nil {
		fmt.Fprintf(&b, "diverged:  the %s became non-finite at epoch %d, step %d; kept the last finite parameters\n", d.What, d.Epoch, d.Step)
		fmt.Fprintf(&b, "hint:      %s\n", d.Hint)
	}
	if r.Status == train.EarlyStopping {
		fmt.Fprintf(&b, "best:      epoch %d's parameters (lowest validation loss) were restored\n", r.BestEpoch)
	}
	units := ""
	if o.Standardized {
		units = " (standardized target)"
	}
	fmt.Fprintf(&b, "loss:      %s %.6g%s", o.Loss, r.Loss, units)
	if o.Val != nil {
		fmt.Fprintf(&b, "   validation loss: %.6g", r.ValLoss)
	}
	b.WriteString("\n")
	if o.LossReason != "" && o.LossReason != "given" {
		fmt.Fprintf(&b, "           %s chosen: %s\n", o.Loss, o.LossReason)
	}
	switch {
	case r.Status == train.Diverged:
		b.WriteString("metrics:   not computed: the run diverged\n")
	case o.TrainMetrics != nil:
		writeMetrics(&b, o.TrainMetrics, o.ValMetrics)
	}
	total := 0
	for _, v := range o.Engine.Params() {
		total += len(v)
	}
	if total <= 16 {
		b.WriteString("params:   ")
		for _, p := range o.Engine.Spec().Params {
			fmt.Fprintf(&b, " %s = %s", p.Name, fmtVec(o.Engine.Params()[p.Name]))
		}
		b.WriteString("\n")
	} else {
		fmt.Fprintf(&b, "params:    %d values\n", total)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMetrics(b *strings.Builder, tr, va *Metrics) {
	line := func(label, format string, get func(*Metrics) *float64, scale float64) {
		if v := get(tr); v != nil {
			fmt.Fprintf(b, "%-10s "+format, label+":", scale**v)
			if va != nil && get(va) != nil {
				fmt.Fprintf(b, "   validation: "+format, scale**get(va))
			}
			b.WriteString("\n")
		}
	}
	line("accuracy", "%.2f%%", func(m *Metrics) *float64 { return m.Accuracy }, 100)
	line("R²", "%.6f", func(m *Metrics) *float64 { return m.R2 }, 1)
	line("RMSE", "%.6g", func(m *Metrics) *float64 { return m.RMSE }, 1)
	line("MAE", "%.6g", func(m *Metrics) *float64 { return m.MAE }, 1)
}

func fmtVec(v []float64) string {
	if len(v) == 1 {
		return fmt.Sprintf("%.6g", v[0])
	}
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%.6g", x)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// MarshalSummary renders an outcome as the JSON summary the CLI prints,
// with the per-epoch history (thinned for long runs).
func (o *Outcome) MarshalSummary() ([]byte, error) {
	r := o.Result
	s := map[string]any{
		"status": r.Status.String(), "epochs": r.Epochs, "steps": r.Steps, "loss": jsonFloat(r.Loss),
		"loss_name": o.Loss, "loss_reason": o.LossReason,
		"seconds": r.Duration.Seconds(),
	}
	if o.Ranks > 1 {
		s["ranks"] = o.Ranks
	}
	if total := len(o.Engine.Params()); total > 0 {
		n := 0
		for _, v := range o.Engine.Params() {
			n += len(v)
		}
		if n <= 1024 {
			s["params"] = o.Engine.Params()
		} else {
			s["param_values"] = n
		}
	}
	if o.Val != nil {
		s["val_loss"] = jsonFloat(r.ValLoss)
	}
	if o.TrainMetrics != nil {
		s["metrics"] = o.TrainMetrics
	}
	if o.ValMetrics != nil {
		s["val_metrics"] = o.ValMetrics
	}
	if r.Diverged != nil {
		s["diverged"] = map[string]any{"epoch": r.Diverged.Epoch, "step": r.Diverged.Step, "what": r.Diverged.What, "hint": r.Diverged.Hint}
	}
	if r.History != nil {
		ep, loss, val := r.History.Points()
		h := map[string]any{"epoch": ep, "loss": floats(loss)}
		if val != nil {
			h["val_loss"] = floats(val)
		}
		s["history"] = h
	}
	return json.MarshalIndent(s, "", "  ")
}

func floats(v []float64) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = jsonFloat(x)
	}
	return out
}

func jsonFloat(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
