package models_test

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

// Wave is y = a·sin(b·x) + c: three scalar parameters, each declared where
// it is used, and a forward expression. Gorgonia differentiates it; there
// is no gradient code.
type Wave struct{}

// Forward builds the prediction from the n×1 input x.
func (Wave) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	a, err := s.Param("a", nil, nn.Constant(1))
	if err != nil {
		return nil, err
	}
	b, err := s.Param("b", nil, nn.Constant(1.2))
	if err != nil {
		return nil, err
	}
	c, err := s.Param("c", nil, nil) // nil: starts at zero
	if err != nil {
		return nil, err
	}
	sin := G.Must(G.Sin(G.Must(G.Mul(x, b))))
	return G.Add(G.Must(G.Mul(sin, a)), c)
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

	prob := models.Problem{Model: Wave{}, Input: []int{1}, Target: []int{1}}
	e, err := prob.Engine(graph.Options{})
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
