package demo

import (
	"context"
	"github.com/descent-ml/descent/job"
	"io"
	"math"

	"gonum.org/v1/gonum/stat"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

// NoisyLineResult is gradient descent's line beside the least-squares one.
type NoisyLineResult struct {
	W, B, Loss       float64
	LSW, LSB, LSLoss float64
}

// NoisyLine runs 200 steps of gradient descent (half-mse, lr 0.02) on six
// noisy points near y = 2x + 1 and compares the line with the closed-form
// least-squares line from gonum's stat.LinearRegression.
func NoisyLine(ctx context.Context, w io.Writer, opt Options) (*NoisyLineResult, error) {
	const lr, epochs = 0.02, 200
	ds, err := data.Builtin("noisy-line")
	if err != nil {
		return nil, err
	}
	p := &printer{w: w}
	p.header("noisy-line", "noisy points: gradient descent against the least-squares line")
	p.printf("data:   x = 1..6, y ≈ 2x + 1 with noise (dataset noisy-line)\n")
	p.printf("loss:   half-mse; gradient descent with lr %g for %d steps from W = b = 0\n", lr, epochs)
	rn, err := traced(ctx, &job.Job{Data: ds, Model: "linear", Loss: "half-mse", Engine: engineOpts,
		Optimizer: optimizers.Config{Name: "gd", LR: lr}, Loop: train.Config{Epochs: epochs}})
	if err != nil {
		return nil, err
	}
	r := &NoisyLineResult{W: rn.param("W"), B: rn.param("b"), Loss: rn.res.Loss}
	r.LSB, r.LSW = stat.LinearRegression(ds.X, ds.Y, nil, false)
	r.LSLoss = halfMSE(ds.X, ds.Y, r.LSW, r.LSB)
	p.table([][]string{
		{"", "W", "b", "J"},
		{"gradient descent, 200 steps", f4(r.W), f4(r.B), f6(r.Loss)},
		{"least squares (closed form)", f4(r.LSW), f4(r.LSB), f6(r.LSLoss)},
		{"difference", f4(r.W - r.LSW), f4(r.B - r.LSB), f6(r.Loss - r.LSLoss)},
	})
	p.printf("the slope is within %.2g of the least-squares one, the intercept still %.2g away;\n", math.Abs(r.W-r.LSW), math.Abs(r.B-r.LSB))
	p.printf("with x unstandardized, b is the slow direction (linear-300 shows it at scale).\n")
	if err := p.plot(opt, "noisy-line-fit.png", func(path string) error {
		xs := linspace(0, 7, 2)
		return plot.Fit(path, plot.Series{Name: "data", X: ds.X, Y: ds.Y}, []plot.Series{
			lineSeries("gradient descent, 200 steps", xs, r.W, r.B),
			lineSeries("least squares", xs, r.LSW, r.LSB),
		}, plot.Options{Title: "noisy-line: gradient descent vs least squares", XLabel: "x", YLabel: "y"})
	}); err != nil {
		return nil, err
	}
	return r, p.err
}
