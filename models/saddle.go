package models

import (
	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Saddle is f(x,y) = x² + ¼y⁴ − ½y², a saddle point at the origin between
// two minima at (0, ±1) where f = −¼: along y = 0 the gradient has no y
// part, so a descent started on that line stops at the saddle, and one
// started a hair off it escapes to a minimum (the picture of Dauphin et al.
// 2014, "Identifying and attacking the saddle point problem in
// high-dimensional non-convex optimization", NeurIPS). X0 and Y0 are the
// starting point.
type Saddle struct{ X0, Y0 float64 }

var _ Objective = Saddle{}

// Forward implements Model.
func (s Saddle) Forward(sc *graph.Scope, _ *G.Node) (out *G.Node, err error) {
	defer recoverModel(&err, "saddle")
	x, y, err := surface2D(sc, s.X0, s.Y0)
	if err != nil {
		return nil, err
	}
	y2 := G.Must(G.Square(y))
	quartic := G.Must(G.Mul(constOf(sc, 0.25), G.Must(G.Square(y2))))
	half := G.Must(G.Mul(constOf(sc, 0.5), y2))
	return G.Sub(G.Must(G.Add(G.Must(G.Square(x)), quartic)), half)
}

// Eval implements Objective.
func (Saddle) Eval(x, y float64) float64 { return x*x + 0.25*y*y*y*y - 0.5*y*y }

// Grad is the hand-derived gradient of Saddle: ∂f/∂x = 2x, ∂f/∂y = y³ − y.
func (Saddle) Grad(x, y float64) (gx, gy float64) { return 2 * x, y*y*y - y }
