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

// FitRow is one model's training and validation loss.
type FitRow struct {
	Model              string
	Params             int
	TrainLoss, ValLoss float64
}

// parabolaModels are the models the parabola demo fits, simplest first.
var parabolaModels = []string{"linear", "poly:2", "poly:9"}

// Parabola fits a line, a parabola and a degree-9 polynomial to 30 noisy
// points of y = x², holding 30% out for validation: the line underfits
// both sets (bias), the parabola matches the noise level on both, and
// degree 9 fits the training noise, scoring lower on training and higher on
// validation (variance). x is standardized so the powers up to x⁹ stay
// near 1; each model is trained with adam (lr 0.05) for 3000 epochs.
func Parabola(ctx context.Context, w io.Writer, opt Options) ([]FitRow, error) {
	const lr, epochs, val = 0.05, 3000, 0.3
	ds, err := data.Builtin("parabola")
	if err != nil {
		return nil, err
	}
	p := &printer{w: w}
	p.header("parabola", "line, parabola and degree 9: bias and variance")
	p.printf("data:   30 points, y = x² + ε, ε ~ N(0, 0.5²) (dataset parabola); %.0f%% held out for validation (seed 1)\n", 100*val)
	p.printf("each model: mse, adam with lr %g for %d epochs, x standardized (so x⁹ stays near 1)\n", lr, epochs)
	var rows []FitRow
	var curves []plot.Series
	grid := linspace(-3, 3, 121)
	for _, m := range parabolaModels {
		rn, err := traced(ctx, &job.Job{Data: ds, Model: m, Loss: "mse", Standardize: true, ValSplit: val, Engine: engineOpts,
			Optimizer: optimizers.Config{Name: "adam", LR: lr}, Loop: train.Config{Epochs: epochs, Seed: 1}})
		if err != nil {
			return nil, err
		}
		n := 0
		for _, v := range rn.prep.Engine.Params() {
			n += len(v)
		}
		rows = append(rows, FitRow{Model: m, Params: n, TrainLoss: rn.res.Loss, ValLoss: rn.res.ValLoss})
		if opt.Plots != "" {
			xs := append([]float64(nil), grid...)
			st := rn.prep.Stats
			for i := range xs {
				xs[i] = (xs[i] - st.Mean[0]) / st.Std[0]
			}
			y, err := rn.prep.Engine.Predict(xs, len(xs), nil)
			if err != nil {
				return nil, err
			}
			curves = append(curves, plot.Series{Name: m, X: grid, Y: y})
		}
	}
	table := [][]string{{"model", "parameters", "train loss", "validation loss"}}
	for _, r := range rows {
		table = append(table, []string{r.Model, fmt.Sprint(r.Params), fmt.Sprintf("%.3f", r.TrainLoss), fmt.Sprintf("%.3f", r.ValLoss)})
	}
	p.table(table)
	p.printf("linear: high on both sets, a line cannot bend (bias, underfitting).\n")
	p.printf("poly:2: both near the noise variance 0.25, the right shape.\n")
	p.printf("poly:9: lowest on training, highest validation of the curves: it fits the noise (variance, overfitting).\n")
	if err := p.plot(opt, "parabola-fit.png", func(path string) error {
		return plot.Fit(path, plot.Series{Name: "data", X: ds.X, Y: ds.Y}, curves,
			plot.Options{Title: "parabola: underfit, fit and overfit", XLabel: "x", YLabel: "y"})
	}); err != nil {
		return nil, err
	}
	return rows, p.err
}
