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

// DigitsResult is how the digit classifier did.
type DigitsResult struct {
	TrainAccuracy, ValAccuracy float64
	TrainRows, ValRows         int
	// EpochLoss and EpochValLoss are the per-epoch losses.
	EpochLoss, EpochValLoss []float64
}

// DigitsMLP trains an MLP 64 → 32 → 10 with relu on the 8×8 digits
// (pixels standardized), softmax cross-entropy, adam lr 0.005, batches of
// 64 for 15 epochs, holding out 20% for validation, and prints the loss per
// epoch and the training and validation accuracy.
func DigitsMLP(ctx context.Context, w io.Writer, opt Options) (*DigitsResult, error) {
	const lr, epochs, batch, val = 0.005, 15, 64, 0.2
	ds, err := data.Builtin("digits")
	if err != nil {
		return nil, err
	}
	p := &printer{w: w}
	p.header("digits-mlp", "handwritten digits with a small MLP")
	job := &job.Job{Data: ds, Model: "mlp:32", Activation: "relu", Loss: "xent", Standardize: true, ValSplit: val, Engine: engineOpts,
		Optimizer: optimizers.Config{Name: "adam", LR: lr}, Loop: train.Config{Epochs: epochs, BatchSize: batch, Seed: 1}}
	out, err := job.Run(ctx)
	if err != nil {
		return nil, err
	}
	res := out.Result
	xs, loss, vloss := res.History.Curves()
	r := &DigitsResult{TrainRows: out.Train.N, ValRows: out.Val.N, EpochLoss: loss, EpochValLoss: vloss}
	if out.TrainMetrics == nil || out.ValMetrics == nil || out.TrainMetrics.Accuracy == nil || out.ValMetrics.Accuracy == nil {
		return nil, fmt.Errorf("demo: digits: no accuracy was computed")
	}
	r.TrainAccuracy, r.ValAccuracy = *out.TrainMetrics.Accuracy, *out.ValMetrics.Accuracy
	p.printf("data:   %d images of 8×8 pixels (0–16, standardized), digits 0–9 (dataset digits);\n", ds.N)
	p.printf("        %d for training, %d held out for validation (val-split %g, seed 1)\n", r.TrainRows, r.ValRows, val)
	p.printf("model:  MLP 64 → 32 → 10, relu; softmax cross-entropy; adam lr %g, batches of %d, %d epochs\n", lr, batch, epochs)
	rows := [][]string{{"epoch", "train loss", "validation loss"}}
	for i, l := range loss {
		rows = append(rows, []string{fmt.Sprint(xs[i]), fmt.Sprintf("%.4f", l), fmt.Sprintf("%.4f", vloss[i])})
	}
	p.table(rows)
	p.printf("accuracy: training %.1f%%, validation %.1f%%\n", 100*r.TrainAccuracy, 100*r.ValAccuracy)
	if err := p.plot(opt, "digits-mlp-loss.png", func(path string) error {
		return plot.Lines(path, []plot.Series{{Name: "training (mean over the epoch)", X: xs, Y: loss}, {Name: "validation (after the epoch)", X: xs, Y: vloss}},
			plot.Options{Title: "digits-mlp: cross-entropy by epoch", XLabel: "epoch", IntegerX: true, YLabel: "loss"})
	}); err != nil {
		return nil, err
	}
	return r, p.err
}
