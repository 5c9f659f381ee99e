package ops_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/ops"
)

// exInput makes a float64 node holding values in the given shape.
func exInput(g *G.ExprGraph, name string, values []float64, shape ...int) *G.Node {
	v := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(values))
	if len(shape) == 1 {
		return G.NewVector(g, tensor.Float64, G.WithShape(shape...), G.WithName(name), G.WithValue(v))
	}
	return G.NewTensor(g, tensor.Float64, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(v))
}

// exRun evaluates the graph with Gorgonia's TapeMachine.
func exRun(g *G.ExprGraph) {
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		fmt.Println(err)
	}
}

func ExampleConv2d() {
	g := G.NewGraph()
	// One 3×3 image and one 2×2 filter that sums its window.
	x := exInput(g, "x", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3)
	w := exInput(g, "w", []float64{1, 1, 1, 1}, 1, 1, 2, 2)
	y, err := ops.Conv2d(x, w, ops.ConvOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// ∂Σy/∂x counts the windows each pixel is in.
	cost, _ := G.Sum(y)
	grads, _ := G.Grad(cost, x)
	exRun(g)
	fmt.Println(y.Shape(), y.Value().Data())
	fmt.Println(grads[0].Value().Data())

	_, err = ops.Conv2d(x, exInput(g, "w4", make([]float64, 16), 1, 1, 4, 4), ops.ConvOptions{})
	fmt.Println(err)
	// Output:
	// (1, 1, 2, 2) [12 16 24 28]
	// [1 2 1 2 4 2 1 2 1]
	// ops: conv2d: kernel 4×4 with padding 0 does not fit a 3×3 input (input (1, 1, 3, 3), weight (1, 1, 4, 4))
}

func ExampleConv1d() {
	g := G.NewGraph()
	// A difference filter at stride 2 with one zero of padding each side.
	x := exInput(g, "x", []float64{1, 4, 9, 16, 25}, 1, 1, 5)
	w := exInput(g, "w", []float64{-1, 1}, 1, 1, 2)
	y, err := ops.Conv1d(x, w, ops.Conv1dOptions{Stride: 2, Padding: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	exRun(g)
	fmt.Println(y.Shape(), y.Value().Data())
	// Output:
	// (1, 1, 3) [1 5 9]
}

func ExampleAddChannelBias() {
	g := G.NewGraph()
	y := exInput(g, "y", []float64{1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2)
	b := exInput(g, "b", []float64{10, 100}, 2)
	out, err := ops.AddChannelBias(y, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	cost, _ := G.Sum(out)
	grads, _ := G.Grad(cost, b)
	exRun(g)
	fmt.Println(out.Value().Data())
	fmt.Println(grads[0].Value().Data())
	// Output:
	// [11 12 13 14 105 106 107 108]
	// [4 4]
}

func ExampleMaxPool2d() {
	g := G.NewGraph()
	// A blank left half: its window ties, and torch's rule sends the
	// gradient to the window's first element only.
	x := exInput(g, "x", []float64{
		0, 0, 1, 2,
		0, 0, 4, 3,
	}, 1, 1, 2, 4)
	y, err := ops.MaxPool2d(x, [2]int{2, 2}, ops.MaxPoolOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	cost, _ := G.Sum(y)
	grads, _ := G.Grad(cost, x)
	exRun(g)
	fmt.Println(y.Value().Data())
	fmt.Println(grads[0].Value().Data())
	// Output:
	// [0 4]
	// [1 0 0 0 0 0 1 0]
}

func ExampleAvgPool2d() {
	g := G.NewGraph()
	x := exInput(g, "x", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3)
	// 2×2 windows at stride 2 with one row and column of zero padding:
	// torch's default counts the padding, ExcludePad does not.
	in, _ := ops.AvgPool2d(x, [2]int{2, 2}, ops.AvgPoolOptions{Padding: [2]int{1, 1}})
	ex, _ := ops.AvgPool2d(x, [2]int{2, 2}, ops.AvgPoolOptions{Padding: [2]int{1, 1}, ExcludePad: true})
	exRun(g)
	fmt.Println(in.Value().Data())
	fmt.Println(ex.Value().Data())
	// Output:
	// [0.25 1.25 2.75 7]
	// [1 2.5 5.5 7]
}

func ExampleGlobalAvgPool2d() {
	g := G.NewGraph()
	x := exInput(g, "x", []float64{1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2)
	y, err := ops.GlobalAvgPool2d(x)
	if err != nil {
		fmt.Println(err)
		return
	}
	exRun(g)
	fmt.Println(y.Shape(), y.Value().Data())
	// Output:
	// (1, 2) [2.5 25]
}
