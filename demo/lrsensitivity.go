package demo

import (
	"context"
	"github.com/descent-ml/descent/job"
	"io"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

// lrVariants are the three learning rates of the lr-sensitivity demo on
// the line problem, whose half-mse Hessian has λmax ≈ 11.8: stable below
// 2/λmax ≈ 0.169.
var lrVariants = []job.Variant{
	{Label: "too small", LR: 0.01},
	{Label: "good", LR: 0.1},
	{Label: "too large", LR: 0.5},
}

// LRSensitivity trains the line problem (half-mse, gradient descent, 300
// epochs) at a learning rate that is too small, a good one and one too
// large, which diverges: a table of final loss, steps to the target and
// status, and a plot in which the diverging curve is clipped.
func LRSensitivity(ctx context.Context, w io.Writer, opt Options) (*job.Comparison, error) {
	const epochs = 300
	ds, err := data.Builtin("line")
	if err != nil {
		return nil, err
	}
	hi, _, err := hessianEigen(ds)
	if err != nil {
		return nil, err
	}
	base := &job.Job{Data: ds, Model: "linear", Loss: "half-mse", Engine: engineOpts,
		Optimizer: optimizers.Config{Name: "gd"}, Loop: train.Config{Epochs: epochs}}
	c, err := job.Compare(ctx, base, lrVariants, job.CompareOptions{})
	if err != nil {
		return nil, err
	}
	p := &printer{w: w}
	p.header("lr-sensitivity", "one problem, three learning rates")
	p.printf("line (y = 2x + 1), half-mse, gradient descent for %d epochs from W = b = 0\n", epochs)
	p.printf("the Hessian's largest eigenvalue is λmax = %.4g, so gradient descent converges only for lr < 2/λmax = %.3g\n", hi, 2/hi)
	if p.err == nil {
		p.err = c.WriteTable(w, opt.Timings)
	}
	p.printf("too small crawls, good converges, too large overshoots further every step until the loss overflows.\n")
	if err := p.plot(opt, "lr-sensitivity.png", func(path string) error {
		names := make([]string, len(c.Rows))
		for i, r := range c.Rows {
			names[i] = r.Label + " (lr " + f6(r.LR) + ")"
		}
		return plot.Lines(path, curveSeries(c, names), plot.Options{Title: "lr-sensitivity: loss by epoch on line", XLabel: "epoch", IntegerX: true, YLabel: "loss J", LogY: true})
	}); err != nil {
		return nil, err
	}
	return c, p.err
}

// curveSeries turns comparison rows into per-epoch loss curves with the
// given names; a diverged curve ends in +Inf, which plot.Lines clips and
// labels.
func curveSeries(c *job.Comparison, names []string) []plot.Series {
	out := make([]plot.Series, len(c.Rows))
	for i, r := range c.Rows {
		x, y := job.CurveXY(r)
		out[i] = plot.Series{Name: names[i], LR: r.LR, X: x, Y: y}
	}
	return out
}
