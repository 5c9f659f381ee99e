package demo_test

import (
	"context"
	"fmt"
	"os"

	"github.com/descent-ml/descent/demo"
)

// The first demo: y = 2x + 1 from five points, with the first step worked
// by hand and the table of the first steps.
func ExampleLine() {
	r, err := demo.Line(context.Background(), os.Stdout, demo.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("W ≈ %.3f, b ≈ %.3f\n", r.W, r.B)
	// Output:
	// == line: y = 2x + 1 from five points, step by step ==
	// data:   x = 1..5, y = 2x + 1 (dataset line); model ŷ = W·x + b, starting at W = b = 0
	// loss:   half-mse J = (1/2n)·Σ(ŷ − y)²; gradient descent with lr 0.1 until |ΔJ| < 1e-12
	// by hand: at W = b = 0, dJ/dW = −(1/n)·Σx·y = -25 and dJ/db = −(1/n)·Σy = -7,
	//          so step 1 moves to W = 0 − 0.1·(-25) = 2.5, b = 0 − 0.1·(-7) = 0.7
	// first 6 steps (the values each step's J and gradient were computed at):
	//   epoch       W        b          J    dJ/dW     dJ/db
	//       1       0        0       28.5      -25        -7
	//       2     2.5      0.7       0.97      4.6       1.2
	//       3    2.04     0.58     0.0466    -0.82      -0.3
	//       4   2.122     0.61   0.015172    0.172    -0.024
	//       5  2.1048   0.6124  0.0136622    -0.01   -0.0732
	//       6  2.1058  0.61972  0.0131706  0.02296  -0.06288
	// stopped: loss-tolerance after 591 epochs, J = 2.76e-11
	// result:  W = 2.0000, b = 1.0000 (truth: W = 2, b = 1)
	// W ≈ 2.000, b ≈ 1.000
}

// The demos `descent demo` knows, and the short tour it runs by default.
func ExampleNames() {
	fmt.Println(demo.Names())
	fmt.Println(demo.Tour())
	// Output:
	// [line salary noisy-line multi linear-300 parabola hills lr-sensitivity batch-vs-sgd-vs-minibatch digits-mlp]
	// [line salary hills lr-sensitivity]
}
