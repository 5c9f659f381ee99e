package job

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteSummary prints the readable end-of-run summary: why the run stopped,
// how long it took, the final loss, R² or accuracy, and small parameters.
func (o *Outcome) WriteSummary(w io.Writer) error {
	r := o.Result
	var b strings.Builder
	fmt.Fprintf(&b, "stopped:   %s after %d epochs, %d steps in %s\n", r.Status, r.Epochs, r.Steps, r.Duration.Round(time.Microsecond))
	if d := r.Diverged; d != nil {
		fmt.Fprintf(&b, "diverged:  the %s became non-finite at epoch %d, step %d; kept the last finite parameters\n", d.What, d.Epoch, d.Step)
		fmt.Fprintf(&b, "hint:      %s\n", d.Hint)
	}
	fmt.Fprintf(&b, "loss:      %.6g", r.Loss)
	if o.Val != nil {
		fmt.Fprintf(&b, "   validation loss: %.6g", r.ValLoss)
	}
	b.WriteString("\n")
	if o.R2 != nil {
		fmt.Fprintf(&b, "R²:        %.6f", *o.R2)
		if o.ValR2 != nil {
			fmt.Fprintf(&b, "   validation R²: %.6f", *o.ValR2)
		}
		b.WriteString("\n")
	}
	if o.Accuracy != nil {
		fmt.Fprintf(&b, "accuracy:  %.2f%%", 100**o.Accuracy)
		if o.ValAccuracy != nil {
			fmt.Fprintf(&b, "   validation accuracy: %.2f%%", 100**o.ValAccuracy)
		}
		b.WriteString("\n")
	}
	params := o.Engine.Params()
	total := 0
	for _, v := range params {
		total += len(v)
	}
	if total <= 16 {
		names := make([]string, 0, len(params))
		for _, p := range o.Engine.Spec().Params {
			names = append(names, p.Name)
		}
		b.WriteString("params:   ")
		for _, n := range names {
			fmt.Fprintf(&b, " %s = %s", n, fmtVec(params[n]))
		}
		b.WriteString("\n")
	} else {
		fmt.Fprintf(&b, "params:    %d values\n", total)
	}
	_, err := io.WriteString(w, b.String())
	return err
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
