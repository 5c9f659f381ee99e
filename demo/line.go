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

// LineResult is what the line demo found.
type LineResult struct {
	// W and B are the fitted slope and intercept.
	W, B float64
	// Loss is the final half-mse.
	Loss   float64
	Epochs int
	Status train.Status
	// Trace holds every step.
	Trace *train.Trace
}

// Line fits ŷ = W·x + b to y = 2x + 1 at x = 1..5 (dataset line) by full-batch
// gradient descent on the half-mse J = (1/2n)·Σ(ŷ − y)² with lr 0.1 from
// W = b = 0, until |ΔJ| < 1e-12 or 5000 epochs. It prints the first steps'
// table, the first step worked by hand, and the result.
func Line(ctx context.Context, w io.Writer, opt Options) (*LineResult, error) {
	const lr, tol = 0.1, 1e-12
	ds, err := data.Builtin("line")
	if err != nil {
		return nil, err
	}
	p := &printer{w: w}
	p.header("line", "y = 2x + 1 from five points, step by step")
	p.printf("data:   x = 1..5, y = 2x + 1 (dataset line); model ŷ = W·x + b, starting at W = b = 0\n")
	p.printf("loss:   half-mse J = (1/2n)·Σ(ŷ − y)²; gradient descent with lr %g until |ΔJ| < %g\n", lr, tol)

	// The first step by hand, from the data alone: at W = b = 0 the
	// residual is −y, so ∂J/∂W = −(1/n)·Σx·y and ∂J/∂b = −(1/n)·Σy.
	var sxy, sy float64
	for i, x := range ds.X {
		sxy += x * ds.Y[i]
		sy += ds.Y[i]
	}
	n := float64(ds.N)
	gW, gb := -sxy/n, -sy/n
	p.printf("by hand: at W = b = 0, dJ/dW = −(1/n)·Σx·y = %s and dJ/db = −(1/n)·Σy = %s,\n", f6(gW), f6(gb))
	p.printf("         so step 1 moves to W = 0 − %g·(%s) = %s, b = 0 − %g·(%s) = %s\n", lr, f6(gW), f6(-lr*gW), lr, f6(gb), f6(-lr*gb))

	rn, err := traced(ctx, &job.Job{Data: ds, Model: "linear", Loss: "half-mse", Engine: engineOpts,
		Optimizer: optimizers.Config{Name: "gd", LR: lr}, Loop: train.Config{Epochs: 5000, Tol: tol}})
	if err != nil {
		return nil, err
	}
	res, trace := rn.res, rn.trace
	r := &LineResult{W: rn.param("W"), B: rn.param("b"), Loss: res.Loss, Epochs: res.Epochs, Status: res.Status, Trace: trace}
	p.printf("first 6 steps (the values each step's J and gradient were computed at):\n")
	if p.err == nil {
		p.err = trace.WriteTable(w, 6)
	}
	p.printf("stopped: %s after %d epochs, J = %.3g\n", r.Status, r.Epochs, r.Loss)
	p.printf("result:  W = %.4f, b = %.4f (truth: W = 2, b = 1)\n", r.W, r.B)
	if err := p.plot(opt, "line-loss.png", func(path string) error {
		return plot.Lines(path, []plot.Series{{Name: "J (half-mse)", X: curveX(res), Y: curveY(res)}},
			plot.Options{Title: "line: loss by epoch, gradient descent lr 0.1", XLabel: "epoch", IntegerX: true, YLabel: "loss J", LogY: true})
	}); err != nil {
		return nil, err
	}
	if err := p.plot(opt, "line-fit.png", func(path string) error {
		xs := linspace(0, 6, 2)
		return plot.Fit(path, plot.Series{Name: "data", X: ds.X, Y: ds.Y},
			[]plot.Series{lineSeries("after step 1", xs, -lr*gW, -lr*gb), lineSeries("fitted", xs, r.W, r.B)},
			plot.Options{Title: "line: y = 2x + 1", XLabel: "x", YLabel: "y"})
	}); err != nil {
		return nil, err
	}
	return r, p.err
}
