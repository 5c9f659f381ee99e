package models

import (
	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Beale is Beale's function (Beale 1958, "On an iterative method for
// finding a local minimum of a function of more than one variable"),
//
//	f(x,y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
//
// with its one minimum 0 at (3, 0.5), flat valleys and steep walls: a
// standard test in the suites of Moré, Garbow & Hillstrom (1981). X0 and
// Y0 are the starting point.
type Beale struct{ X0, Y0 float64 }

var _ Objective = Beale{}

// Forward implements Model.
func (b Beale) Forward(s *graph.Scope, _ *G.Node) (out *G.Node, err error) {
	defer recoverModel(&err, "beale")
	x, y, err := surface2D(s, b.X0, b.Y0)
	if err != nil {
		return nil, err
	}
	y2 := G.Must(G.Square(y))
	y3 := G.Must(G.Mul(y2, y))
	term := func(c float64, yk *G.Node) *G.Node {
		t := G.Must(G.Add(G.Must(G.Sub(constOf(s, c), x)), G.Must(G.Mul(x, yk))))
		return G.Must(G.Square(t))
	}
	return G.Add(G.Must(G.Add(term(1.5, y), term(2.25, y2))), term(2.625, y3))
}

// Eval implements Objective.
func (Beale) Eval(x, y float64) float64 {
	a, b, c := bealeTerms(x, y)
	return a*a + b*b + c*c
}

// Grad is the hand-derived gradient of Beale: with a, b, c the three terms,
// ∂f/∂x = 2a(y−1) + 2b(y²−1) + 2c(y³−1) and ∂f/∂y = 2a·x + 4b·xy + 6c·xy².
func (Beale) Grad(x, y float64) (gx, gy float64) {
	a, b, c := bealeTerms(x, y)
	gx = 2*a*(y-1) + 2*b*(y*y-1) + 2*c*(y*y*y-1)
	gy = 2*a*x + 4*b*x*y + 6*c*x*y*y
	return gx, gy
}

func bealeTerms(x, y float64) (a, b, c float64) {
	return 1.5 - x + x*y, 2.25 - x + x*y*y, 2.625 - x + x*y*y*y
}
