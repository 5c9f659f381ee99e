package ops_test

import (
	"fmt"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/ops"
)

func TestBatchNormErrors(t *testing.T) {
	x, c := vec(4, 3), vec(3)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"eps", func() error { _, err := ops.BatchNormTrain(x, c, c, 0); return err }(), "ops: batch norm eps must be a finite number > 0, got 0"},
		{"gamma alone", func() error { _, err := ops.BatchNormTrain(x, c, nil, 1e-5); return err }(), "ops: batch norm takes both gamma and beta or neither"},
		{"rank", func() error { _, err := ops.BatchNormEval(vec(3), c, c, nil, nil, 1e-5); return err }(), "ops: batch norm needs an input (batch, channels, …), got shape (3)"},
		{"channels", func() error { _, err := ops.BatchNormTrain(x, vec(4), vec(4), 1e-5); return err }(), "ops: batch norm: gamma has shape (4), want (3) for an input of shape (4, 3)"},
		{"momentum", func() error { _, err := ops.BatchNormRunning(c, x, 1.5, false); return err }(), "ops: batch norm momentum must be in [0,1], got 1.5"},
		{"mean", func() error { _, err := ops.BatchNormEval(x, vec(2), c, nil, nil, 1e-5); return err }(), "ops: batch norm: mean has shape (2), want (3) for an input of shape (4, 3)"},
		{"running", func() error { _, err := ops.BatchNormRunning(vec(4), x, 0.1, true); return err }(), "ops: batch norm: running has shape (4), want (3) for an input of shape (4, 3)"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, tc.err, tc.want)
		}
	}
}

// ExampleBatchNormTrain normalizes two channels of a batch of three rows
// with the batch's statistics, and updates the running statistics with
// momentum 0.1 and the unbiased variance.
func ExampleBatchNormTrain() {
	g := G.NewGraph()
	x := input(g, "x", []float64{1, 10, 2, 20, 3, 30}, 3, 2)
	gamma := input(g, "gamma", []float64{1, 2}, 2)
	beta := input(g, "beta", []float64{0, 1}, 2)
	mean := input(g, "mean", []float64{0, 0}, 2)
	variance := input(g, "var", []float64{1, 1}, 2)
	y := G.Must(ops.BatchNormTrain(x, gamma, beta, 1e-5))
	newMean := G.Must(ops.BatchNormRunning(mean, x, 0.1, false))
	newVar := G.Must(ops.BatchNormRunning(variance, x, 0.1, true))
	out, err := run(g, y, newMean, newVar)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("y %.4f\nrunning mean %.4g, running var %.4g\n", out[0], out[1], out[2])
	// Output:
	// y [-1.2247 -1.4495 0.0000 1.0000 1.2247 3.4495]
	// running mean [0.2 2], running var [1 10.9]
}

// ExampleBatchNormEval normalizes with running statistics instead.
func ExampleBatchNormEval() {
	g := G.NewGraph()
	x := input(g, "x", []float64{1, 10, 3, 30}, 2, 2)
	mean := input(g, "mean", []float64{2, 20}, 2)
	variance := input(g, "var", []float64{4, 100}, 2)
	y := G.Must(ops.BatchNormEval(x, mean, variance, nil, nil, 1e-5))
	out, err := run(g, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", out[0])
	// Output:
	// [-0.5000 -1.0000 0.5000 1.0000]
}

// ExampleBatchNormRunning is the running-statistics update of one batch.
func ExampleBatchNormRunning() {
	g := G.NewGraph()
	x := input(g, "x", []float64{1, 2, 3, 6}, 4, 1)
	running := input(g, "running_var", []float64{1}, 1)
	v := G.Must(ops.BatchNormRunning(running, x, 0.5, true))
	out, err := run(g, v)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out[0]) // 0.5·1 + 0.5·(Σ(x−3)²/3 = 14/3)
	// Output:
	// [2.8333333333333335]
}

// TestBatchNormSharesStatistics: the normalization, its gradient and both
// running updates read one statistics node and the backward pass one
// reduction node, so a training step reads x five times, not fifteen.
func TestBatchNormSharesStatistics(t *testing.T) {
	g := G.NewGraph()
	x := G.NewMatrix(g, G.Float64, G.WithShape(5, 3), G.WithName("x"))
	gamma := G.NewVector(g, G.Float64, G.WithShape(3), G.WithName("gamma"))
	beta := G.NewVector(g, G.Float64, G.WithShape(3), G.WithName("beta"))
	rm := G.NewVector(g, G.Float64, G.WithShape(3), G.WithName("rm"))
	rv := G.NewVector(g, G.Float64, G.WithShape(3), G.WithName("rv"))
	y := G.Must(ops.BatchNormTrain(x, gamma, beta, 1e-5))
	G.Must(ops.BatchNormRunning(rm, x, 0.1, false))
	G.Must(ops.BatchNormRunning(rv, x, 0.1, true))
	loss := G.Must(G.Sum(G.Must(G.Square(y))))
	if _, err := G.Grad(loss, x, gamma, beta); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, n := range g.AllNodes() {
		if op := n.Op(); op != nil {
			count[strings.SplitN(op.String(), "{", 2)[0]]++
		}
	}
	for _, name := range []string{"BatchStats", "ΣBatchNorm", "∂xBatchNorm", "∂γBatchNorm", "∂βBatchNorm", "RunningMean", "RunningVar"} {
		if count[name] != 1 {
			t.Errorf("%d %s nodes, want 1 (all ops: %v)", count[name], name, count)
		}
	}
}
