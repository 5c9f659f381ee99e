package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Objective is a function of its parameters alone, with no data: its
// Forward builds the value to minimise. Hills and Rosenbrock are two.
type Objective interface {
	Model
	// Eval computes the objective in plain float64, for plots of the surface.
	Eval(x, y float64) float64
}

// Hills is the bumpy surface f(x,y) = sin(x)·cos(y) + 0.1·(x² + y²), which
// has several local minima. X0 and Y0 are the starting point.
type Hills struct{ X0, Y0 float64 }

// surface2D declares the two scalar parameters x and y of a 2-parameter
// objective, starting at (x0, y0).
func surface2D(s *graph.Scope, x0, y0 float64) (x, y *G.Node, err error) {
	if x, err = s.Param("x", nil, constant(x0)); err != nil {
		return nil, nil, err
	}
	if y, err = s.Param("y", nil, constant(y0)); err != nil {
		return nil, nil, err
	}
	return x, y, nil
}

func constant(v float64) graph.Init {
	return func([]int, *rand.Rand) []float64 { return []float64{v} }
}

// Forward implements Model.
func (h Hills) Forward(s *graph.Scope, _ *G.Node) (out *G.Node, err error) {
	defer recoverModel(&err, "hills")
	x, y, err := surface2D(s, h.X0, h.Y0)
	if err != nil {
		return nil, err
	}
	bump := G.Must(G.Mul(G.Must(G.Sin(x)), G.Must(G.Cos(y))))
	bowl := G.Must(G.Mul(constOf(s, 0.1), G.Must(G.Add(G.Must(G.Square(x)), G.Must(G.Square(y))))))
	return G.Add(bump, bowl)
}

// Eval implements Objective.
func (Hills) Eval(x, y float64) float64 { return math.Sin(x)*math.Cos(y) + 0.1*(x*x+y*y) }

// Rosenbrock is f(x,y) = (a−x)² + b·(y−x²)² (Rosenbrock 1960) with a = 1 and
// b = 100, minimum 0 at (1,1). X0 and Y0 are the starting point.
type Rosenbrock struct{ X0, Y0 float64 }

// Forward implements Model.
func (r Rosenbrock) Forward(s *graph.Scope, _ *G.Node) (out *G.Node, err error) {
	defer recoverModel(&err, "rosenbrock")
	x, y, err := surface2D(s, r.X0, r.Y0)
	if err != nil {
		return nil, err
	}
	a := G.Must(G.Square(G.Must(G.Sub(constOf(s, 1), x))))
	b := G.Must(G.Square(G.Must(G.Sub(y, G.Must(G.Square(x))))))
	return G.Add(a, G.Must(G.Mul(constOf(s, 100), b)))
}

// Eval implements Objective.
func (Rosenbrock) Eval(x, y float64) float64 { return (1-x)*(1-x) + 100*(y-x*x)*(y-x*x) }

func recoverModel(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("models: building %s: %v", what, r)
	}
}

func constOf(s *graph.Scope, v float64) *G.Node {
	if s.Dtype == G.Float32 {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}

// Grad is the hand-derived gradient of Hills:
// ∂f/∂x = cos(x)·cos(y) + 0.2x, ∂f/∂y = −sin(x)·sin(y) + 0.2y.
func (Hills) Grad(x, y float64) (gx, gy float64) {
	return math.Cos(x)*math.Cos(y) + 0.2*x, -math.Sin(x)*math.Sin(y) + 0.2*y
}

// Grad is the hand-derived gradient of Rosenbrock:
// ∂f/∂x = −2(1−x) − 400x(y−x²), ∂f/∂y = 200(y−x²).
func (Rosenbrock) Grad(x, y float64) (gx, gy float64) {
	return -2*(1-x) - 400*x*(y-x*x), 200 * (y - x*x)
}

// Bowl is the quadratic f(x,y) = ½·(x² + κ·y²) with condition number κ
// (Cond; 0 means 1), minimum 0 at the origin: the classic test of how an
// optimizer copes with ill-conditioning. X0 and Y0 are the starting point.
type Bowl struct{ Cond, X0, Y0 float64 }

func (b Bowl) cond() float64 {
	if b.Cond == 0 {
		return 1
	}
	return b.Cond
}

// Forward implements Model.
func (b Bowl) Forward(s *graph.Scope, _ *G.Node) (out *G.Node, err error) {
	defer recoverModel(&err, "bowl")
	x, y, err := surface2D(s, b.X0, b.Y0)
	if err != nil {
		return nil, err
	}
	q := G.Must(G.Add(G.Must(G.Square(x)), G.Must(G.Mul(constOf(s, b.cond()), G.Must(G.Square(y))))))
	return G.Mul(constOf(s, 0.5), q)
}

// Eval implements Objective.
func (b Bowl) Eval(x, y float64) float64 { return 0.5 * (x*x + b.cond()*y*y) }

// Grad is the hand-derived gradient (x, κ·y).
func (b Bowl) Grad(x, y float64) (gx, gy float64) { return x, b.cond() * y }
