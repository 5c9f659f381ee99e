package demo

import (
	"context"
	"fmt"
	"github.com/descent-ml/descent/job"
	"io"

	"gonum.org/v1/gonum/mat"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

// multiTruth is the ground truth of the multi dataset (see data.Builtin):
// intercept, then the weights of x1, x2, x3.
var multiTruth = [4]float64{4, 3, -2, 0.5}

// MultiResult holds the coefficients as intercept, w1, w2, w3.
type MultiResult struct {
	Estimate, LeastSquares, Truth [4]float64
	Loss                          float64
	Epochs                        int
	Status                        train.Status
}

// Multi recovers y = 4 + 3·x1 − 2·x2 + 0.5·x3 from the 50 noisy rows of
// the multi dataset by gradient descent (mse, lr 0.1, until |ΔJ| < 1e-12)
// and prints the estimate beside the least-squares solution and the truth.
func Multi(ctx context.Context, w io.Writer, opt Options) (*MultiResult, error) {
	const lr, tol = 0.1, 1e-12
	ds, err := data.Builtin("multi")
	if err != nil {
		return nil, err
	}
	p := &printer{w: w}
	p.header("multi", "three features: recovering known coefficients")
	p.printf("data:   50 rows, x1, x2, x3 ~ U[−2, 2], y = 4 + 3·x1 − 2·x2 + 0.5·x3 + ε, ε ~ N(0, 0.1²) (dataset multi)\n")
	p.printf("loss:   mse; gradient descent with lr %g until |ΔJ| < %g (at most 2000 epochs);\n", lr, tol)
	p.printf("        features left as they are (already on one scale), so the weights read in data units\n")
	rn, err := traced(ctx, &job.Job{Data: ds, Model: "linear", Loss: "mse", Engine: engineOpts,
		Optimizer: optimizers.Config{Name: "gd", LR: lr}, Loop: train.Config{Epochs: 2000, Tol: tol}})
	if err != nil {
		return nil, err
	}
	prm := rn.prep.Engine.Params()
	r := &MultiResult{Truth: multiTruth, Loss: rn.res.Loss, Epochs: rn.res.Epochs, Status: rn.res.Status}
	r.Estimate[0] = prm["b"][0]
	copy(r.Estimate[1:], prm["W"])
	if r.LeastSquares, err = leastSquares(ds); err != nil {
		return nil, err
	}
	p.printf("stopped: %s after %d epochs, J = %.4g (the noise variance is 0.01)\n", r.Status, r.Epochs, r.Loss)
	rows := [][]string{{"coefficient", "estimate", "least squares", "truth"}}
	for i, name := range []string{"b (intercept)", "w1 (x1)", "w2 (x2)", "w3 (x3)"} {
		rows = append(rows, []string{name, f4(r.Estimate[i]), f4(r.LeastSquares[i]), fmt.Sprint(r.Truth[i])})
	}
	p.table(rows)
	p.printf("gradient descent lands on the least-squares solution; both miss the truth by the noise alone.\n")
	if err := p.plot(opt, "multi-loss.png", func(path string) error {
		return plot.Lines(path, []plot.Series{{Name: "J (mse)", X: curveX(rn.res), Y: curveY(rn.res)}},
			plot.Options{Title: "multi: loss by epoch, gradient descent lr 0.1", XLabel: "epoch", IntegerX: true, YLabel: "loss J", LogY: true})
	}); err != nil {
		return nil, err
	}
	return r, p.err
}

// leastSquares solves min ‖[1 X]·β − y‖₂ with gonum's QR-based solver.
func leastSquares(ds *data.Dataset) ([4]float64, error) {
	var out [4]float64
	a := mat.NewDense(ds.N, ds.D+1, nil)
	for i := 0; i < ds.N; i++ {
		a.Set(i, 0, 1)
		for j, v := range ds.Row(i) {
			a.Set(i, j+1, v)
		}
	}
	var beta mat.VecDense
	if err := beta.SolveVec(a, mat.NewVecDense(ds.N, append([]float64(nil), ds.Y...))); err != nil {
		return out, fmt.Errorf("demo: least squares: %w", err)
	}
	for i := range out {
		out[i] = beta.AtVec(i)
	}
	return out, nil
}
