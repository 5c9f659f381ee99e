package ops_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/diff/fd"

	"github.com/descent-ml/descent/ops"
)

func TestLossLookup(t *testing.T) {
	for _, name := range []string{"mse", "half-mse", "mae", "huber", "bce", "xent"} {
		_, err := ops.ByName(name, 0)
		assert.NoError(t, err, name)
	}
	_, err := ops.ByName("hinge", 0)
	assert.EqualError(t, err, `ops: unknown loss "hinge" (want one of bce, half-mse, huber, mae, mse, xent)`)
	_, err = ops.Huber(-1)
	assert.EqualError(t, err, "ops: huber delta must be > 0, got -1")
	_, err = ops.ActivationByName("gelu")
	assert.EqualError(t, err, `ops: unknown activation "gelu" (want relu, tanh, sigmoid or softmax)`)
	info, err := ops.LossInfo("xent")
	require.NoError(t, err)
	assert.Equal(t, "multi", info.Classes)
}

// The reference gradients are themselves checked against central finite
// differences of their own losses, so the gradcheck compares Gorgonia's
// autodiff with something independently verified.
func TestReferenceGradientsAgainstFiniteDifferences(t *testing.T) {
	X := []float64{0.5, -1.2, 2, 0.3, -0.7, 1.1, 1.5, 0.2, -0.4}
	y := []float64{1.3, -0.2, 0.8}
	labels := []float64{1, 0, 1}
	Y := []float64{0, 1, 0, 1, 0, 0, 0, 0, 1}
	W := []float64{0.3, -0.1, 0.2}
	for _, loss := range []string{"mse", "half-mse", "mae", "huber"} {
		f := func(p []float64) float64 {
			_, _, J, _ := ops.LinearGrad(loss, 0.5, X, y, 3, 3, p[:3], p[3])
			return J
		}
		gW, gb, _, err := ops.LinearGrad(loss, 0.5, X, y, 3, 3, W, 0.1)
		require.NoError(t, err)
		num := fd.Gradient(nil, f, append(append([]float64{}, W...), 0.1), &fd.Settings{Formula: fd.Central})
		assert.InDeltaSlice(t, num, append(gW, gb), 1e-7, loss)
	}
	f := func(p []float64) float64 { _, _, J, _ := ops.LogisticGrad(X, labels, 3, 3, p[:3], p[3]); return J }
	gW, gb, _, err := ops.LogisticGrad(X, labels, 3, 3, W, 0.1)
	require.NoError(t, err)
	num := fd.Gradient(nil, f, append(append([]float64{}, W...), 0.1), &fd.Settings{Formula: fd.Central})
	assert.InDeltaSlice(t, num, append(gW, gb), 1e-7, "bce")

	Ws := []float64{0.1, -0.2, 0.3, 0.05, 0.4, -0.1, -0.3, 0.2, 0.1}
	fs := func(p []float64) float64 { _, _, J, _ := ops.SoftmaxGrad(X, Y, 3, 3, 3, p[:9], p[9:]); return J }
	gWs, gbs, _, err := ops.SoftmaxGrad(X, Y, 3, 3, 3, Ws, []float64{0.1, 0, -0.1})
	require.NoError(t, err)
	num = fd.Gradient(nil, fs, append(append([]float64{}, Ws...), 0.1, 0, -0.1), &fd.Settings{Formula: fd.Central})
	assert.InDeltaSlice(t, num, append(gWs, gbs...), 1e-7, "xent")
	assert.False(t, math.IsNaN(gb))

	_, _, _, err = ops.LinearGrad("mse", 1, X, y, 3, 2, W, 0)
	assert.ErrorContains(t, err, "ops: X has 9 values, want 3×2")
}
