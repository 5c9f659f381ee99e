package models_test

import (
	"fmt"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// ExampleProblem_Engine fits y = 2x + 1 with a linear model and the mean
// squared error, by plain gradient descent on the engine's gradients.
func ExampleProblem_Engine() {
	X := []float64{-1, -0.5, 0, 0.5, 1, 1.5}
	Y := make([]float64, len(X))
	for i, x := range X {
		Y[i] = 2*x + 1
	}
	e, err := models.Problem{Model: models.Linear{Features: 1}}.Engine(graph.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for step := 0; step < 300; step++ {
		if _, err := e.Step(X, Y, len(X)); err != nil {
			fmt.Println(err)
			return
		}
		for name, g := range e.Grads() {
			w := e.Params()[name]
			for i := range w {
				w[i] -= 0.2 * g[i]
			}
		}
	}
	fmt.Printf("W=%.3f b=%.3f\n", e.Params()["W"][0], e.Params()["b"][0])
	// Output:
	// W=2.000 b=1.000
}

// ExampleHills compares the gradient Gorgonia derives for the Hills
// surface with its closed form at one point.
func ExampleHills() {
	h := models.Hills{X0: 0.5, Y0: -1}
	e, err := models.Problem{Model: h}.Engine(graph.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := e.Step(nil, nil, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	gx, gy := h.Grad(0.5, -1)
	fmt.Printf("f(0.5, -1)  = %.6f (Eval %.6f)\n", f, h.Eval(0.5, -1))
	fmt.Printf("engine grad = (%.6f, %.6f)\n", e.Grads()["x"][0], e.Grads()["y"][0])
	fmt.Printf("closed form = (%.6f, %.6f)\n", gx, gy)
	// Output:
	// f(0.5, -1)  = 0.384035 (Eval 0.384035)
	// engine grad = (0.574160, 0.203423)
	// closed form = (0.574160, 0.203423)
}

// ExampleParse builds models from the specs the command line accepts.
func ExampleParse() {
	for _, spec := range []string{"linear", "poly:3", "softmax", "mlp:16,8", "mlp:0"} {
		m, err := models.Parse(spec, 4, 3, "tanh", 1)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-8s", spec)
		e, err := models.Problem{Model: m}.Engine(graph.Options{})
		if err != nil {
			fmt.Println(err)
			continue
		}
		for _, p := range e.Spec().Params {
			fmt.Printf(" %s%v", p.Name, p.Shape)
		}
		fmt.Println()
	}
	// Output:
	// linear   W[4 1] b[1]
	// models: model "poly:3" takes one feature, the data has 4
	// softmax  W[4 3] b[3]
	// mlp:16,8 0.weight[16 4] 0.bias[16] 2.weight[8 16] 2.bias[8] 4.weight[3 8] 4.bias[3]
	// models: model "mlp:0": hidden sizes must be integers >= 1, as in mlp:64,32
}
