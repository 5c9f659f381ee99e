package demo

import (
	"context"
	"fmt"
	"github.com/descent-ml/descent/job"
	"io"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

// Checkpoint is the line after a given epoch.
type Checkpoint struct {
	Epoch   int
	W, B, J float64
}

// Linear300Result is what the conditioning demo measured.
type Linear300Result struct {
	// LambdaMax and LambdaMin are the extreme eigenvalues of the half-mse
	// Hessian H = (1/n)·[x 1]ᵀ[x 1]; LR is the learning rate used.
	LambdaMax, LambdaMin, LR float64
	Checkpoints              []Checkpoint
	// StdEpochs is how many epochs the standardized problem took to
	// converge, and StdW, StdB its line back in x units.
	StdEpochs  int
	StdW, StdB float64
}

// linear300Epochs is the length of the unstandardized run.
const linear300Epochs = 200000

// Linear300 fits y = 0.5x + 2 on x = 1..300 without standardizing, by
// 200000 epochs of gradient descent at the largest comfortably stable
// learning rate, 1.9/λmax of the half-mse Hessian. W settles within a few
// hundred steps; b crawls, because its direction has curvature λmin, some
// 10⁵ times smaller than λmax. The same fit on standardized x converges in tens of epochs.
func Linear300(ctx context.Context, w io.Writer, opt Options) (*Linear300Result, error) {
	ds, err := data.Builtin("linear-300")
	if err != nil {
		return nil, err
	}
	r := &Linear300Result{}
	if r.LambdaMax, r.LambdaMin, err = hessianEigen(ds); err != nil {
		return nil, err
	}
	r.LR = 1.9 / r.LambdaMax
	p := &printer{w: w}
	p.header("linear-300", "x = 1..300 unstandardized: the conditioning lesson")
	p.printf("data:   x = 1..300, y = 0.5x + 2 (dataset linear-300); model ŷ = W·x + b from W = b = 0; loss half-mse\n")
	p.printf("Hessian H = (1/n)·[x 1]ᵀ[x 1]: λmax = %.6g, λmin = %.4g, condition number %.3g\n", r.LambdaMax, r.LambdaMin, r.LambdaMax/r.LambdaMin)
	p.printf("gradient descent is stable for lr < 2/λmax = %.4g; this run takes lr = 1.9/λmax = %.4g\n", 2/r.LambdaMax, r.LR)

	marks := []int{1, 10, 1000, 100000, linear300Epochs}
	var engine *graph.Engine // set before the run starts
	var werr, berr []float64 // |W − 0.5| and |b − 2| every 100 epochs, for the plot
	rec := train.Funcs{Epoch: func(e *train.Epoch) error {
		prm := engine.Params()
		W, b := prm["W"][0], prm["b"][0]
		if e.Epoch%100 == 0 || e.Epoch == 1 {
			werr, berr = append(werr, math.Abs(W-0.5)), append(berr, math.Abs(b-2))
		}
		if slices.Contains(marks, e.Epoch) {
			J, err := engine.Loss(ds.X, ds.Y, ds.N)
			if err != nil {
				return err // Run returns it
			}
			r.Checkpoints = append(r.Checkpoints, Checkpoint{Epoch: e.Epoch, W: W, B: b, J: J})
		}
		return nil
	}}
	jb := &job.Job{Data: ds, Model: "linear", Loss: "half-mse", Engine: engineOpts,
		Optimizer: optimizers.Config{Name: "gd", LR: r.LR}, Loop: train.Config{Epochs: linear300Epochs}}
	prep, err := jb.Prepare()
	if err != nil {
		return nil, err
	}
	engine = prep.Engine
	if _, err := train.Run(ctx, prep.Engine, prep.TrainOptimizer(), prep.Train, nil, prep.Loop, rec); err != nil {
		return nil, err
	}
	rows := [][]string{{"after epoch", "W", "b", "J"}}
	for _, c := range r.Checkpoints {
		rows = append(rows, []string{fmt.Sprint(c.Epoch), fmt.Sprintf("%.6f", c.W), fmt.Sprintf("%.6f", c.B), fmt.Sprintf("%.3g", c.J)})
	}
	p.table(rows)
	if n := len(r.Checkpoints); n > 0 {
		last := r.Checkpoints[n-1]
		p.printf("after %d epochs W is %.1g from 0.5 but b is still %.2g from 2. Along the steep direction (mostly W)\n", last.Epoch, math.Abs(last.W-0.5), math.Abs(last.B-2))
		p.printf("the error shrinks by |1 − lr·λmax| = %.2g per step, gone in a few hundred; along the flat one (mostly b)\n", math.Abs(1-r.LR*r.LambdaMax))
		p.printf("it takes 1/(lr·λmin) = %.3g epochs per e-fold. The step size is capped by λmax, the pace set by λmin.\n", 1/(r.LR*r.LambdaMin))
	}

	// The cure: standardize x. H becomes the identity and lr 0.5 halves the error every step.
	std, err := traced(ctx, &job.Job{Data: ds, Model: "linear", Loss: "half-mse", Standardize: true, Engine: engineOpts,
		Optimizer: optimizers.Config{Name: "gd", LR: 0.5}, Loop: train.Config{Epochs: 1000, Tol: 1e-12}})
	if err != nil {
		return nil, err
	}
	st := std.prep.Stats
	r.StdEpochs = std.res.Epochs
	r.StdW = std.param("W") / st.Std[0]
	r.StdB = std.param("b") - r.StdW*st.Mean[0]
	p.printf("standardized x (H = I, lr 0.5): |ΔJ| < 1e-12 after %d epochs; back in x units W = %.6f, b = %.6f\n", r.StdEpochs, r.StdW, r.StdB)
	if err := p.plot(opt, "linear-300-errors.png", func(path string) error {
		xs := make([]float64, len(werr))
		for i := range xs {
			xs[i] = float64(max(1, 100*i))
		}
		return plot.Lines(path, []plot.Series{{Name: "|W − 0.5|", X: xs, Y: werr}, {Name: "|b − 2|", X: xs, Y: berr}},
			plot.Options{Title: fmt.Sprintf("linear-300: distance to the solution, lr = %.3g", r.LR), XLabel: "epoch", IntegerX: true, YLabel: "error", LogY: true})
	}); err != nil {
		return nil, err
	}
	return r, p.err
}

// hessianEigen returns the largest and smallest eigenvalues of the
// half-mse Hessian (1/n)·AᵀA, A = [x 1], of a one-feature dataset.
func hessianEigen(ds *data.Dataset) (hi, lo float64, err error) {
	a := mat.NewDense(ds.N, 2, nil)
	for i, x := range ds.X {
		a.Set(i, 0, x)
		a.Set(i, 1, 1)
	}
	var h mat.SymDense
	h.SymOuterK(1/float64(ds.N), a.T())
	var eig mat.EigenSym
	if !eig.Factorize(&h, false) {
		return 0, 0, fmt.Errorf("demo: the Hessian's eigen-decomposition failed")
	}
	v := eig.Values(nil) // ascending
	return v[len(v)-1], v[0], nil
}
