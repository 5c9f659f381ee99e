package models_test

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// Wave is y = a·sin(b·x) + c: three scalar parameters and a forward
// expression. Gorgonia differentiates it; there is no gradient code.
type Wave struct{}

// Params declares the learnable parameters and where they start.
func (Wave) Params() []graph.Param {
	return []graph.Param{
		{Name: "a", Init: []float64{1}},
		{Name: "b", Init: []float64{1.2}},
		{Name: "c", Init: []float64{0}},
	}
}

// Forward builds the prediction from the n×1 input s.X.
func (Wave) Forward(s *graph.Scope) (*gorgonia.Node, error) {
	bx := gorgonia.Must(gorgonia.Mul(s.X, s.Params["b"]))
	sin := gorgonia.Must(gorgonia.Sin(bx))
	return gorgonia.Add(gorgonia.Must(gorgonia.Mul(sin, s.Params["a"])), s.Params["c"])
}

// ExampleModel defines a new model in a few lines and fits it by plain
// gradient descent to data drawn from a = 2, b = 1.5, c = 0.5.
func ExampleModel() {
	const n = 50
	X, Y := make([]float64, n), make([]float64, n)
	for i := range X {
		X[i] = -2 + 4*float64(i)/(n-1)
		Y[i] = 2*math.Sin(1.5*X[i]) + 0.5
	}

	e, err := models.Problem{Model: Wave{}, Features: 1, Outputs: 1}.Engine(graph.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for step := 0; step < 300; step++ {
		if _, err := e.Step(X, Y, n); err != nil {
			fmt.Println(err)
			return
		}
		for name, g := range e.Grads() {
			e.Params()[name][0] -= 0.1 * g[0]
		}
	}
	p := e.Params()
	fmt.Printf("a=%.3f b=%.3f c=%.3f\n", p["a"][0], p["b"][0], p["c"][0])
	// Output:
	// a=2.000 b=1.500 c=0.500
}
