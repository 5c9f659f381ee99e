package demo

import (
	"context"
	"fmt"
	"github.com/descent-ml/descent/job"
	"io"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

// batchSizes are the regimes of the batch demo: 0 is the whole set.
var batchSizes = []struct {
	label string
	size  int
}{{"batch", 0}, {"sgd", 1}, {"mini-batch", 8}}

// Batches trains the same standardized multi problem (mse, gradient
// descent lr 0.05, 20 epochs, seed 1) with the whole set per step, one row
// per step (SGD) and 8 rows per step, and prints the steps each took, the
// final loss and the loss per epoch.
func Batches(ctx context.Context, w io.Writer, opt Options) (*job.Comparison, error) {
	const lr, epochs = 0.05, 20
	ds, err := data.Builtin("multi")
	if err != nil {
		return nil, err
	}
	base := &job.Job{Data: ds, Model: "linear", Loss: "mse", Standardize: true, Engine: engineOpts,
		Optimizer: optimizers.Config{Name: "gd", LR: lr}, Loop: train.Config{Epochs: epochs, Seed: 1}}
	var variants []job.Variant
	for _, b := range batchSizes {
		size := b.size
		variants = append(variants, job.Variant{Label: b.label, Edit: func(j *job.Job) { j.Loop.BatchSize = size }})
	}
	c, err := job.Compare(ctx, base, variants, job.CompareOptions{})
	if err != nil {
		return nil, err
	}
	p := &printer{w: w}
	p.header("batch-vs-sgd-vs-minibatch", "full batch, SGD and mini-batches for the same epochs")
	p.printf("multi (50 rows, 3 standardized features), mse, gradient descent lr %g, %d epochs, rows shuffled with seed 1\n", lr, epochs)
	rows := [][]string{{"variant", "rows per step", "steps", "final loss"}}
	names := make([]string, len(c.Rows))
	for i, r := range c.Rows {
		per := fmt.Sprint(batchSizes[i].size)
		if batchSizes[i].size == 0 {
			per = fmt.Sprintf("%d (all)", ds.N)
		}
		names[i] = fmt.Sprintf("%s: %s %s per step", r.Label, per, plural(batchSizes[i].size, "row"))
		rows = append(rows, []string{r.Label, per, fmt.Sprint(r.Steps), fmt.Sprintf("%.4g", r.Loss)})
	}
	p.table(rows)
	p.printf("loss per epoch (mean of the epoch's batch losses):\n")
	curve := [][]string{{"epoch"}}
	for _, r := range c.Rows {
		curve[0] = append(curve[0], r.Label)
	}
	for _, e := range []int{1, 2, 3, 5, 10, 20} {
		row := []string{fmt.Sprint(e)}
		for _, r := range c.Rows {
			row = append(row, fmt.Sprintf("%.4g", r.Curve[e-1]))
		}
		curve = append(curve, row)
	}
	p.table(curve)
	p.printf("per epoch, SGD makes %d small updates and mini-batches %d, where full batch makes one: they get far\n",
		c.Rows[1].Steps/epochs, c.Rows[2].Steps/epochs)
	p.printf("in fewer epochs, and settle in a noisy band around the minimum instead of on it.\n")
	if err := p.plot(opt, "batch-vs-sgd-vs-minibatch.png", func(path string) error {
		return plot.Lines(path, curveSeries(c, names), plot.Options{Title: "multi: loss by epoch for three batch sizes", XLabel: "epoch", IntegerX: true, YLabel: "loss J", LogY: true})
	}); err != nil {
		return nil, err
	}
	return c, p.err
}
