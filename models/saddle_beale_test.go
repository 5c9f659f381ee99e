package models_test

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// gradSurface is an objective with a closed-form gradient.
type gradSurface interface {
	models.Objective
	Grad(x, y float64) (float64, float64)
}

// TestSaddleBeale checks Saddle and Beale at several points: the engine's
// value against Eval, the engine's gradient against the closed-form Grad,
// and Grad against central finite differences of Eval.
func TestSaddleBeale(t *testing.T) {
	for _, c := range []struct {
		name string
		make func(x, y float64) gradSurface
	}{
		{"saddle", func(x, y float64) gradSurface { return models.Saddle{X0: x, Y0: y} }},
		{"beale", func(x, y float64) gradSurface { return models.Beale{X0: x, Y0: y} }},
	} {
		for _, pt := range [][2]float64{{0, 0}, {1, 1.5}, {-1.2, 1}, {3, 0.5}, {0.7, -1.3}, {-2.5, -0.4}} {
			m := c.make(pt[0], pt[1])
			gx, gy := m.Grad(pt[0], pt[1])
			t.Run(fmt.Sprintf("%s/fd/%v", c.name, pt), func(t *testing.T) {
				g := fd.Gradient(nil, func(p []float64) float64 { return m.Eval(p[0], p[1]) }, pt[:], &fd.Settings{Formula: fd.Central, Step: 1e-6})
				for i, want := range []float64{gx, gy} {
					if math.Abs(g[i]-want) > models.FDTol64*math.Max(1, math.Abs(want)) {
						t.Errorf("∂f/∂%c: closed form %v, finite differences %v", "xy"[i], want, g[i])
					}
				}
			})
			for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
				t.Run(fmt.Sprintf("%s/%v/%v", c.name, dt, pt), func(t *testing.T) {
					e, err := models.Problem{Model: m, Dtype: dt}.Engine(graph.Options{})
					if err != nil {
						t.Fatal(err)
					}
					l, err := e.Step(nil, nil, 0)
					if err != nil {
						t.Fatal(err)
					}
					if want := m.Eval(pt[0], pt[1]); !closeTo(dt, l, want) {
						t.Errorf("value %v, Eval %v", l, want)
					}
					if g := e.Grads(); !closeTo(dt, g["x"][0], gx) || !closeTo(dt, g["y"][0], gy) {
						t.Errorf("gradient (%v, %v), closed form (%v, %v)", g["x"][0], g["y"][0], gx, gy)
					}
				})
			}
		}
	}
}

// TestSaddleBealeMinima checks the documented stationary points: Beale's
// minimum 0 at (3, 0.5), the saddle's minima −¼ at (0, ±1) and its saddle
// point at the origin, where every gradient is exactly zero.
func TestSaddleBealeMinima(t *testing.T) {
	for _, c := range []struct {
		name string
		m    gradSurface
		x, y float64
		f    float64
	}{
		{"beale min", models.Beale{}, 3, 0.5, 0},
		{"saddle min +", models.Saddle{}, 0, 1, -0.25},
		{"saddle min -", models.Saddle{}, 0, -1, -0.25},
		{"saddle point", models.Saddle{}, 0, 0, 0},
	} {
		gx, gy := c.m.Grad(c.x, c.y)
		if f := c.m.Eval(c.x, c.y); f != c.f || gx != 0 || gy != 0 {
			t.Errorf("%s at (%v, %v): f %v, ∇f (%v, %v); want f %v and ∇f 0", c.name, c.x, c.y, f, gx, gy, c.f)
		}
	}
	// A point on the saddle's ridge y = 0 has no y gradient: descent stays there.
	if _, gy := (models.Saddle{}).Grad(1.5, 0); gy != 0 {
		t.Errorf("saddle ∂f/∂y at (1.5, 0) = %v, want 0", gy)
	}
}

// ExampleBeale evaluates Beale's function at its minimum and at a start.
func ExampleBeale() {
	b := models.Beale{}
	gx, gy := b.Grad(1, 1)
	fmt.Printf("f(3, 0.5) = %g\n", b.Eval(3, 0.5))
	fmt.Printf("f(1, 1) = %.4f, ∇f = (%.4f, %.4f)\n", b.Eval(1, 1), gx, gy)
	// Output:
	// f(3, 0.5) = 0
	// f(1, 1) = 14.2031, ∇f = (0.0000, 27.7500)
}

// ExampleSaddle shows the saddle's flat ridge: no y gradient on y = 0.
func ExampleSaddle() {
	s := models.Saddle{}
	for _, p := range [][2]float64{{1, 0}, {1, 0.1}, {0, 1}} {
		gx, gy := s.Grad(p[0], p[1])
		fmt.Printf("f(%g, %g) = %.5f, ∇f = (%g, %.3f)\n", p[0], p[1], s.Eval(p[0], p[1]), gx, gy)
	}
	// Output:
	// f(1, 0) = 1.00000, ∇f = (2, 0.000)
	// f(1, 0.1) = 0.99502, ∇f = (2, -0.099)
	// f(0, 1) = -0.25000, ∇f = (0, 0.000)
}
