package demo

import (
	"context"
	"github.com/descent-ml/descent/job"
	"io"

	"gonum.org/v1/gonum/stat"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

// SalaryResult is what the salary demo found, in z units and in dollars.
type SalaryResult struct {
	// W and B are the standardized slope and intercept after 5 epochs.
	W, B float64
	// Slope and Intercept are the same line in dollars and years.
	Slope, Intercept float64
	// LSSlope and LSIntercept are the least-squares line.
	LSSlope, LSIntercept float64
	Trace                *train.Trace
}

// Salary runs 5 epochs of gradient descent (lr 0.1, half-mse) on the
// salary dataset with both years and salary standardized, so the step
// table holds readable numbers, then converts the line back to dollars and
// sets it beside the least-squares line.
func Salary(ctx context.Context, w io.Writer, opt Options) (*SalaryResult, error) {
	const lr, epochs = 0.1, 5
	raw, err := data.Builtin("salary")
	if err != nil {
		return nil, err
	}
	// Standardize the target too: Job standardizes only the features.
	ds := raw.Subset(seq(raw.N))
	xs := data.FitStats(raw.X, raw.N, 1)
	ys := data.FitStats(raw.Y, raw.N, 1)
	if err := ys.Apply(ds.Y, 1); err != nil {
		return nil, err
	}
	p := &printer{w: w}
	p.header("salary", "salary by years of experience, standardized")
	p.printf("data:   years %s → salary %s (dataset salary)\n", list(raw.X), list(raw.Y))
	p.printf("both columns are standardized, z = (v − mean)/std (population std), so W, b and J are readable:\n")
	p.printf("        years: mean %g, std %.4g; salary: mean %g, std %.5g\n", xs.Mean[0], xs.Std[0], ys.Mean[0], ys.Std[0])
	p.printf("loss:   half-mse; gradient descent with lr %g for %d epochs from W = b = 0\n", lr, epochs)

	fit := func(epochs int) (*run, error) {
		return traced(ctx, &job.Job{Data: ds, Model: "linear", Loss: "half-mse", Standardize: true, Engine: engineOpts,
			Optimizer: optimizers.Config{Name: "gd", LR: lr}, Loop: train.Config{Epochs: epochs}})
	}
	// dollars turns a standardized line into salary = intercept + slope·years.
	dollars := func(W, b float64) (slope, intercept float64) {
		slope = ys.Std[0] * W / xs.Std[0]
		return slope, ys.Mean[0] + ys.Std[0]*b - slope*xs.Mean[0]
	}
	short, err := fit(epochs)
	if err != nil {
		return nil, err
	}
	trace := short.trace
	r := &SalaryResult{W: short.param("W"), B: short.param("b"), Trace: trace}
	r.Slope, r.Intercept = dollars(r.W, r.B)
	r.LSIntercept, r.LSSlope = stat.LinearRegression(raw.X, raw.Y, nil, false)
	p.printf("row t: the W and b at which step t computed J and the gradient, before its update\n")
	p.stepTable(trace, epochs, f4)
	p.printf("after %d updates: W = %s, b = %s (z units) → salary ≈ %.0f + %.0f·years\n", epochs, f4(r.W), f4(r.B), r.Intercept, r.Slope)
	long, err := fit(200)
	if err != nil {
		return nil, err
	}
	ls, li := dollars(long.param("W"), long.param("b"))
	p.printf("after 200 updates: W = %s → salary ≈ %.0f + %.0f·years\n", f4(long.param("W")), li, ls)
	p.printf("least squares (gonum stat.LinearRegression): salary = %.0f + %.0f·years\n", r.LSIntercept, r.LSSlope)
	p.printf("the points lie on a line, so standardized W → 1 and b stays 0: after t updates W = 1 − (1 − lr)ᵗ.\n")
	p.printf("Standardizing both columns makes the problem perfectly conditioned.\n")
	if err := p.plot(opt, "salary-fit.png", func(path string) error {
		grid := linspace(0, 9, 2)
		return plot.Fit(path, plot.Series{Name: "data", X: raw.X, Y: raw.Y}, []plot.Series{
			lineSeries("after 5 epochs", grid, r.Slope, r.Intercept),
			lineSeries("after 200 epochs", grid, ls, li),
		}, plot.Options{Title: "salary: gradient descent on standardized data", XLabel: "years of experience", YLabel: "salary ($)"})
	}); err != nil {
		return nil, err
	}
	return r, p.err
}
