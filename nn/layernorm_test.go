package nn_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

// TestLayerNormModes: layer norm is the same in training and evaluation,
// has no buffers, and since its rows are independent a batch may be split
// into row blocks (the prediction in blocks equals the whole one).
func TestLayerNormModes(t *testing.T) {
	const n = 40
	X, Y := randData(1, n, 4), randData(2, n, 3)
	mk := func(opt graph.Options) *graph.Engine {
		seq, err := nn.Parse("linear(6) layernorm linear(3)")
		if err != nil {
			t.Fatal(err)
		}
		e, err := models.Problem{Model: seq, Loss: "mse", Input: []int{4}, Target: []int{3}}.Engine(opt)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	e := mk(graph.Options{})
	if e.Batchwise() || len(e.BufferSpecs()) != 0 {
		t.Errorf("layer norm: batchwise %v, buffers %v; want neither", e.Batchwise(), e.BufferSpecs())
	}
	train, err := e.Step(X, Y, n)
	if err != nil {
		t.Fatal(err)
	}
	eval, err := e.Loss(X, Y, n)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(train-eval) > 1e-15*train {
		t.Errorf("training loss %v, evaluation loss %v", train, eval)
	}
	whole, err := e.Predict(X, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	split := mk(graph.Options{BlockRows: 6, Workers: 1})
	if err := split.SetParams(e.Params()); err != nil {
		t.Fatal(err)
	}
	blocks, err := split.Predict(X, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "prediction in row blocks", blocks, whole, 1e-15)
}

func TestLayerNormErrors(t *testing.T) {
	for _, c := range []struct{ spec, err string }{
		{"layernorm(eps=-1)", "eps must be a finite number > 0, got -1"},
		{"layernorm(4)", "layernorm takes 0 positional argument(s)"},
		{"layernorm(bias=false)", `layernorm has no argument "bias" (it takes eps, elementwise_affine)`},
	} {
		if _, err := nn.Parse(c.spec); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: %v, want %q", c.spec, err, c.err)
		}
	}
	seq, err := nn.Parse("layernorm(eps=0.01,elementwise_affine=false)")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := nn.Format(seq); err != nil || s != "layernorm(eps=0.01,elementwise_affine=false)" {
		t.Errorf("Format: %q, %v", s, err)
	}
}

// ExampleLayerNorm normalizes each row over its last dimension: with the
// initial weight 1 and bias 0 every row has mean 0 and variance
// 1 − ε/(σ² + ε).
func ExampleLayerNorm() {
	e, err := models.Problem{Model: nn.Seq(&nn.LayerNorm{}), Loss: "mse", Input: []int{4}, Target: []int{4}}.Engine(graph.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	y, err := e.Predict([]float64{1, 2, 3, 4, 10, 20, 30, 40}, 2, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n%.4f\n", y[:4], y[4:])
	fmt.Println(e.Spec().Params[0].Name, e.Spec().Params[1].Name)
	// Output:
	// [-1.3416 -0.4472 0.4472 1.3416]
	// [-1.3416 -0.4472 0.4472 1.3416]
	// 0.weight 0.bias
}
