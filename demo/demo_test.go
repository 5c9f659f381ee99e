package demo

import (
	"bytes"
	"context"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/train"
)

var ctx = context.Background()

func TestLine(t *testing.T) {
	r, err := Line(ctx, io.Discard, Options{})
	require.NoError(t, err)
	assert.Equal(t, train.LossTolerance, r.Status)
	assert.InDelta(t, 2, r.W, 1e-4)
	assert.InDelta(t, 1, r.B, 1e-4)
	// Step 1 by hand: from W = b = 0 on y = 2x + 1, x = 1..5, half-mse,
	// dJ/dW = −(1/5)·Σx(2x+1) = −25, dJ/db = −(1/5)·Σ(2x+1) = −7.
	require.Greater(t, len(r.Trace.Rows), 2)
	assert.Equal(t, []float64{-25, -7}, r.Trace.Rows[0].Grads)
	assert.InDeltaSlice(t, []float64{2.5, 0.7}, r.Trace.Rows[1].Values, 1e-12)
}

func TestSalary(t *testing.T) {
	r, err := Salary(ctx, io.Discard, Options{})
	require.NoError(t, err)
	// The points lie on salary = 30000 + 10000·years, so the standardized
	// slope is 1 and gradient descent with lr 0.1 gives W = 1 − 0.9ᵗ.
	assert.InDelta(t, 1-math.Pow(0.9, 5), r.W, 1e-12)
	assert.InDelta(t, 0, r.B, 1e-12)
	assert.InDelta(t, 10000, r.LSSlope, 1e-6)
	assert.InDelta(t, 30000, r.LSIntercept, 1e-6)
	// Back in dollars, the 5-epoch line passes through the means (4.2, 72000).
	assert.InDelta(t, 72000, r.Intercept+4.2*r.Slope, 1e-6)
	assert.Len(t, r.Trace.Rows, 5)
}

func TestNoisyLine(t *testing.T) {
	r, err := NoisyLine(ctx, io.Discard, Options{})
	require.NoError(t, err)
	ds, err := data.Builtin("noisy-line")
	require.NoError(t, err)
	// The least-squares line by the normal equations.
	var sx, sy, sxx, sxy float64
	for i, x := range ds.X {
		sx, sy, sxx, sxy = sx+x, sy+ds.Y[i], sxx+x*x, sxy+x*ds.Y[i]
	}
	n := float64(ds.N)
	w := (n*sxy - sx*sy) / (n*sxx - sx*sx)
	assert.InDelta(t, w, r.LSW, 1e-9)
	assert.InDelta(t, (sy-w*sx)/n, r.LSB, 1e-9)
	assert.Greater(t, r.Loss, r.LSLoss, "200 steps have not reached the minimum")
	assert.Less(t, math.Abs(r.W-r.LSW), math.Abs(r.B-r.LSB), "the slope is closer than the intercept")
}

func TestMulti(t *testing.T) {
	r, err := Multi(ctx, io.Discard, Options{})
	require.NoError(t, err)
	assert.Equal(t, train.LossTolerance, r.Status)
	for i := range r.Estimate {
		assert.InDelta(t, r.LeastSquares[i], r.Estimate[i], 1e-4, "coefficient %d", i)
		assert.InDelta(t, r.Truth[i], r.Estimate[i], 0.05, "coefficient %d", i)
	}
}

func TestLinear300(t *testing.T) {
	if testing.Short() {
		t.Skip("200000 epochs: skipped under -short")
	}
	r, err := Linear300(ctx, io.Discard, Options{})
	require.NoError(t, err)
	// H = [[m2, m1], [m1, 1]] with m1 = mean x = 150.5 and m2 = mean x².
	m1, m2 := 150.5, 301.0*601/6
	tr, det := m2+1, m2-m1*m1
	hi := tr/2 + math.Sqrt(tr*tr/4-det)
	assert.InEpsilon(t, hi, r.LambdaMax, 1e-9)
	assert.InEpsilon(t, det/hi, r.LambdaMin, 1e-6)
	require.Len(t, r.Checkpoints, 5)
	last := r.Checkpoints[4]
	assert.Equal(t, 200000, last.Epoch)
	assert.InDelta(t, 0.5, last.W, 1e-3)
	assert.Greater(t, math.Abs(last.B-2), 0.05, "b is still far after 200000 epochs")
	assert.Less(t, math.Abs(last.B-2), math.Abs(r.Checkpoints[3].B-2))
	assert.Less(t, r.StdEpochs, 100)
	assert.InDelta(t, 0.5, r.StdW, 1e-6)
	assert.InDelta(t, 2, r.StdB, 1e-5)
}

func TestParabola(t *testing.T) {
	rows, err := Parabola(ctx, io.Discard, Options{})
	require.NoError(t, err)
	require.Len(t, rows, 3)
	line, quad, nine := rows[0], rows[1], rows[2]
	assert.Equal(t, []int{2, 3, 10}, []int{line.Params, quad.Params, nine.Params})
	assert.Greater(t, line.TrainLoss, 10*quad.TrainLoss, "the line underfits the training set")
	assert.Greater(t, line.ValLoss, 10*quad.ValLoss, "and the validation set")
	assert.Less(t, nine.TrainLoss, quad.TrainLoss, "degree 9 fits the training set better")
	assert.Greater(t, nine.ValLoss, quad.ValLoss, "and validates worse")
}

func TestHills(t *testing.T) {
	r, err := Hills(ctx, io.Discard, Options{})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, r.Minima, 3)
	for _, p := range r.Paths {
		assert.Equal(t, train.GradientTolerance, p.Status)
		gx, gy := models.Hills{}.Grad(p.End[0], p.End[1])
		assert.Less(t, math.Hypot(gx, gy), 1e-6)
		assert.Less(t, p.Loss, models.Hills{}.Eval(p.Start[0], p.Start[1]))
	}
}

func TestLRSensitivity(t *testing.T) {
	c, err := LRSensitivity(ctx, io.Discard, Options{})
	require.NoError(t, err)
	require.Len(t, c.Rows, 3)
	small, good, large := c.Rows[0], c.Rows[1], c.Rows[2]
	assert.Equal(t, train.MaxEpochs, small.Status)
	assert.Equal(t, train.MaxEpochs, good.Status)
	assert.Equal(t, train.Diverged, large.Status)
	assert.Less(t, good.Loss, small.Loss/100)
	assert.GreaterOrEqual(t, good.StepsToTarget, 0)
	assert.Equal(t, -1, small.StepsToTarget)
}

func TestBatches(t *testing.T) {
	c, err := Batches(ctx, io.Discard, Options{})
	require.NoError(t, err)
	require.Len(t, c.Rows, 3)
	// 50 rows for 20 epochs: 1, 50 and ⌈50/8⌉ = 7 steps an epoch.
	assert.Equal(t, []int{20, 1000, 140}, []int{c.Rows[0].Steps, c.Rows[1].Steps, c.Rows[2].Steps})
	for _, r := range c.Rows {
		assert.Len(t, r.Curve, 20)
	}
	assert.Less(t, c.Rows[1].Curve[1], c.Rows[0].Curve[1], "after 2 epochs SGD is further along")
}

func TestDigitsMLP(t *testing.T) {
	if testing.Short() {
		t.Skip("an MLP on 1797 images: skipped under -short")
	}
	r, err := DigitsMLP(ctx, io.Discard, Options{})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, r.ValAccuracy, 0.9)
	assert.Greater(t, r.TrainAccuracy, r.ValAccuracy)
	assert.Equal(t, 1797, r.TrainRows+r.ValRows)
	assert.Len(t, r.EpochLoss, 15)
	assert.Less(t, r.EpochValLoss[14], r.EpochValLoss[0])
}

func TestPlots(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "plots")
	var buf bytes.Buffer
	require.NoError(t, Run(ctx, &buf, []string{"line", "hills", "lr-sensitivity"}, Options{Plots: dir}))
	for _, name := range []string{"line-loss.png", "line-fit.png", "hills-contour.png", "lr-sensitivity.png"} {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		require.NoError(t, err, name)
		assert.True(t, bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")), "%s is a PNG", name)
		assert.Contains(t, buf.String(), "plot: "+path+"\n")
	}
}

func TestRunAndLookup(t *testing.T) {
	var buf bytes.Buffer
	err := Run(ctx, &buf, []string{"line", "nope"}, Options{})
	assert.EqualError(t, err, `demo: unknown demo "nope" (have: line, salary, noisy-line, multi, linear-300, parabola, hills, lr-sensitivity, batch-vs-sgd-vs-minibatch, digits-mlp)`)
	assert.Empty(t, buf.String(), "nothing runs when a name is wrong")

	require.NoError(t, Run(ctx, &buf, []string{"hills", "salary"}, Options{Timings: true}))
	out := buf.String()
	assert.Equal(t, 2, strings.Count(out, "\ntime: "))
	assert.Less(t, strings.Index(out, "== hills:"), strings.Index(out, "\n\n== salary:"))

	for _, name := range Tour() {
		d, err := Lookup(name)
		require.NoError(t, err)
		assert.False(t, d.Long, "the tour is fast")
	}
	assert.Len(t, All(), len(Names()))
}

func TestPlotsIntoAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, err := Line(ctx, io.Discard, Options{Plots: file})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "demo: plots directory:")
}
