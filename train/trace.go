package train

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/descent-ml/descent/graph"
)

// MaxTraceValues is the largest parameter count for which a Trace keeps
// every parameter and partial derivative; larger models keep the loss and
// gradient norm only.
const MaxTraceValues = 8

// Trace is a Hook that records every step, for the step-by-step table
// learners read, for CSV traces and for loss curves and descent paths.
type Trace struct {
	// Names label each recorded value: "b" for a one-value parameter,
	// "W[0]", "W[1]", … otherwise. Empty when the model is too large.
	Names []string
	Rows  []TraceRow
	// Limit is the most rows kept (the first ones); 0 keeps every row. A
	// long run's trace should stream to a file instead (CSVTrace).
	Limit int
	order []graph.Param
}

// TraceRow is one recorded step: the parameters the loss and gradient were
// computed at, and the gradient, before the update.
type TraceRow struct {
	Epoch, Step    int
	Loss, GradNorm float64
	LR             float64
	Values, Grads  []float64
}

var _ Hook = (*Trace)(nil)

// NewTrace records the parameters in the given order.
func NewTrace(params []graph.Param) *Trace {
	t := &Trace{order: params}
	total := 0
	for _, p := range params {
		total += p.Size()
	}
	if total <= MaxTraceValues {
		for _, p := range params {
			if p.Size() == 1 {
				t.Names = append(t.Names, p.Name)
				continue
			}
			for i := 0; i < p.Size(); i++ {
				t.Names = append(t.Names, fmt.Sprintf("%s[%d]", p.Name, i))
			}
		}
	}
	return t
}

// OnStep implements Hook.
func (t *Trace) OnStep(s *Step) error {
	if t.Limit > 0 && len(t.Rows) >= t.Limit {
		return nil
	}
	row := TraceRow{Epoch: s.Epoch, Step: s.Step, Loss: s.Loss, GradNorm: s.GradNorm, LR: s.LR}
	if t.Names != nil {
		for _, p := range t.order {
			row.Values = append(row.Values, s.Params[p.Name]...)
			row.Grads = append(row.Grads, s.Grads[p.Name]...)
		}
	}
	t.Rows = append(t.Rows, row)
	return nil
}

// OnEpoch implements Hook.
func (t *Trace) OnEpoch(*Epoch) error { return nil }

// Losses returns the recorded loss of every step.
func (t *Trace) Losses() []float64 {
	out := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = r.Loss
	}
	return out
}

// Path returns the recorded values of the parameters at indexes i and j,
// the descent path across a 2-parameter loss surface.
func (t *Trace) Path(i, j int) (xs, ys []float64) {
	for _, r := range t.Rows {
		if i < len(r.Values) && j < len(r.Values) {
			xs, ys = append(xs, r.Values[i]), append(ys, r.Values[j])
		}
	}
	return xs, ys
}

// WriteCSV writes one row per step: epoch, step, loss, grad_norm, lr, and
// for small models every parameter and dJ/d(parameter).
func (t *Trace) WriteCSV(w io.Writer) error {
	c := NewCSVTrace(w, t.order)
	for i := range t.Rows {
		if err := c.write(&t.Rows[i]); err != nil {
			return err
		}
	}
	return c.Flush()
}

// CSVTrace is a Hook that streams one CSV row per step to a writer as the
// run goes, so a trace of any length takes no memory.
type CSVTrace struct {
	cw    *csv.Writer
	names []string
	order []graph.Param
	head  bool
	row   TraceRow
	rec   []string
}

var _ Hook = (*CSVTrace)(nil)

// NewCSVTrace writes the trace of a model with the given parameters to w.
func NewCSVTrace(w io.Writer, params []graph.Param) *CSVTrace {
	return &CSVTrace{cw: csv.NewWriter(w), names: NewTrace(params).Names, order: params}
}

// OnStep implements Hook.
func (c *CSVTrace) OnStep(s *Step) error {
	c.row = TraceRow{Epoch: s.Epoch, Step: s.Step, Loss: s.Loss, GradNorm: s.GradNorm, LR: s.LR,
		Values: c.row.Values[:0], Grads: c.row.Grads[:0]}
	if c.names != nil {
		for _, p := range c.order {
			c.row.Values = append(c.row.Values, s.Params[p.Name]...)
			c.row.Grads = append(c.row.Grads, s.Grads[p.Name]...)
		}
	}
	return c.write(&c.row)
}

// OnEpoch implements Hook.
func (c *CSVTrace) OnEpoch(*Epoch) error { return nil }

func (c *CSVTrace) header() error {
	if c.head {
		return nil
	}
	c.head = true
	head := []string{"epoch", "step", "loss", "grad_norm", "lr"}
	head = append(head, c.names...)
	for _, n := range c.names {
		head = append(head, "dJ/d"+n)
	}
	return c.cw.Write(head)
}

func (c *CSVTrace) write(r *TraceRow) error {
	if err := c.header(); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	c.rec = append(c.rec[:0], strconv.Itoa(r.Epoch), strconv.Itoa(r.Step), f(r.Loss), f(r.GradNorm), f(r.LR))
	for _, v := range r.Values {
		c.rec = append(c.rec, f(v))
	}
	for _, v := range r.Grads {
		c.rec = append(c.rec, f(v))
	}
	return c.cw.Write(c.rec)
}

// Flush writes any buffered rows (and the header of an empty trace).
func (c *CSVTrace) Flush() error {
	if err := c.header(); err != nil {
		return err
	}
	c.cw.Flush()
	return c.cw.Error()
}

// WriteTable writes the first n steps as the table learners follow by hand:
// epoch, each parameter, J, and each partial derivative.
func (t *Trace) WriteTable(w io.Writer, n int) error {
	if t.Names == nil {
		return fmt.Errorf("train: the step table needs a model with at most %d parameter values", MaxTraceValues)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "epoch\t")
	for _, name := range t.Names {
		fmt.Fprintf(tw, "%s\t", name)
	}
	fmt.Fprint(tw, "J\t")
	for _, name := range t.Names {
		fmt.Fprintf(tw, "dJ/d%s\t", name)
	}
	fmt.Fprintln(tw)
	for i, r := range t.Rows {
		if i >= n {
			break
		}
		fmt.Fprintf(tw, "%d\t", r.Epoch)
		for _, v := range r.Values {
			fmt.Fprintf(tw, "%.6g\t", v)
		}
		fmt.Fprintf(tw, "%.6g\t", r.Loss)
		for _, v := range r.Grads {
			fmt.Fprintf(tw, "%.6g\t", v)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
