package plot

import (
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
)

var plotDir = flag.String("plotdir", "", "also write the sample pictures into this directory, to look at them")

// Sample problems shared by the tests and examples.

// bumpy is f(x, y) = sin(x)·cos(y) + 0.1·(x² + y²), a surface with many local minima.
func bumpy(x, y float64) float64 { return math.Sin(x)*math.Cos(y) + 0.1*(x*x+y*y) }

func bumpyGrad(x, y float64) (float64, float64) {
	return math.Cos(x)*math.Cos(y) + 0.2*x, -math.Sin(x)*math.Sin(y) + 0.2*y
}

// rosenbrock is (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1).
func rosenbrock(x, y float64) float64 { return (1-x)*(1-x) + 100*(y-x*x)*(y-x*x) }

func rosenbrockGrad(x, y float64) (float64, float64) {
	return -2*(1-x) - 400*x*(y-x*x), 200 * (y - x*x)
}

// descend runs heavy-ball gradient descent (momentum mu, 0 = plain) for n steps.
func descend(grad func(x, y float64) (float64, float64), x, y, lr, mu float64, n int) Series {
	s := Series{X: []float64{x}, Y: []float64{y}}
	var vx, vy float64
	for range n {
		gx, gy := grad(x, y)
		vx, vy = mu*vx+gx, mu*vy+gy
		x, y = x-lr*vx, y-lr*vy
		s.X, s.Y = append(s.X, x), append(s.Y, y)
	}
	return s
}

// quadraticLoss is the loss history of gradient descent on ½·Σλᵢwᵢ² from w = 1.
func quadraticLoss(lr float64, n int) []float64 {
	lambda := []float64{1, 0.05}
	w := []float64{1, 1}
	loss := make([]float64, 0, n)
	for range n {
		l := 0.0
		for i := range w {
			l += 0.5 * lambda[i] * w[i] * w[i]
		}
		loss = append(loss, l)
		for i := range w {
			w[i] -= lr * lambda[i] * w[i]
		}
	}
	return loss
}

// lrComparison is the "too small / good / too large" picture's data; the
// large rate overflows to +Inf and then NaN, as a real run does.
func lrComparison() []Series {
	large := quadraticLoss(2.6, 60)
	for i := range large {
		if i > 45 {
			large[i] = large[i] * 1e300 // → +Inf
		}
		if i > 50 {
			large[i] = math.NaN()
		}
	}
	return []Series{
		{Name: "lr = 0.05 (too small)", Y: quadraticLoss(0.05, 60)},
		{Name: "lr = 1.5 (good)", Y: quadraticLoss(1.5, 60)},
		{Name: "lr = 2.6 (too large)", Y: large},
	}
}

// noisyParabola returns y = 0.5x² − x + 2 + noise at 40 x's in [−3, 3],
// and least-squares fits of degree 1 and 2 evaluated on a fine grid.
func noisyParabola() (Series, []Series) {
	r := rand.New(rand.NewPCG(1, 2))
	data := Series{Name: "noisy samples"}
	for i := range 40 {
		x := -3 + 6*float64(i)/39
		data.X = append(data.X, x)
		data.Y = append(data.Y, 0.5*x*x-x+2+0.6*r.NormFloat64())
	}
	var curves []Series
	for _, deg := range []int{1, 2} {
		a := mat.NewDense(len(data.X), deg+1, nil)
		for i, x := range data.X {
			for j := 0; j <= deg; j++ {
				a.Set(i, j, math.Pow(x, float64(j)))
			}
		}
		var coef mat.VecDense
		if err := coef.SolveVec(a, mat.NewVecDense(len(data.Y), data.Y)); err != nil {
			panic(err)
		}
		c := Series{Name: map[int]string{1: "line (degree 1)", 2: "quadratic (degree 2)"}[deg]}
		for k := range 101 {
			x := -3.2 + 6.4*float64(k)/100
			y := 0.0
			for j := 0; j <= deg; j++ {
				y += coef.AtVec(j) * math.Pow(x, float64(j))
			}
			c.X, c.Y = append(c.X, x), append(c.Y, y)
		}
		curves = append(curves, c)
	}
	return data, curves
}

// TestSamplePictures draws the pictures a learner sees and checks each file
// decodes; with -plotdir it also keeps them there for a person to look at.
func TestSamplePictures(t *testing.T) {
	if testing.Short() && *plotDir == "" {
		t.Skip("draws seven full-size pictures")
	}
	dir := *plotDir
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, curves := noisyParabola()
	bumpyPaths := []Series{
		withName(descend(bumpyGrad, -4.2, 4.0, 0.3, 0, 40), "GD, lr = 0.3"),
		withName(descend(bumpyGrad, 4.5, 3.5, 0.1, 0.9, 60), "momentum 0.9, lr = 0.1"),
		withName(descend(bumpyGrad, 1.0, -4.5, 1.8, 0, 25), "GD, lr = 1.8"),
	}
	rosenPaths := []Series{
		withName(descend(rosenbrockGrad, -1.5, 2, 0.001, 0, 3000), "GD, lr = 0.001"),
		withName(descend(rosenbrockGrad, -1.8, -0.5, 0.0001, 0.9, 1500), "momentum 0.9, lr = 0.0001"),
		withName(descend(rosenbrockGrad, -0.5, 2.5, 0.004, 0, 30), "GD, lr = 0.004"),
	}
	cases := []struct {
		file string
		draw func(path string) error
	}{
		{"lr_log.png", func(p string) error {
			return Lines(p, lrComparison(), Options{Title: "Learning rate comparison", XLabel: "step", YLabel: "loss", LogY: true})
		}},
		{"lr_linear.png", func(p string) error {
			return Lines(p, lrComparison(), Options{Title: "Learning rate comparison", XLabel: "step", YLabel: "loss"})
		}},
		{"contour_bumpy.png", func(p string) error {
			return Contour(p, bumpy, [2]float64{-5, 5}, [2]float64{-5, 5}, bumpyPaths,
				Options{Title: "f(x, y) = sin x · cos y + 0.1(x² + y²)", XLabel: "x", YLabel: "y", ZLabel: "f(x, y)"})
		}},
		{"contour_rosenbrock.png", func(p string) error {
			return Contour(p, rosenbrock, [2]float64{-2, 2}, [2]float64{-1, 3}, rosenPaths,
				Options{Title: "Rosenbrock", XLabel: "x", YLabel: "y", ZLabel: "f(x, y)"})
		}},
		{"optimizers.png", func(p string) error {
			var series []Series
			for i, name := range []string{"SGD", "momentum", "Nesterov", "Adagrad", "RMSprop", "Adam", "AdamW", "L-BFGS"} {
				s := Series{Name: name}
				for k := range 2000 {
					s.Y = append(s.Y, 2*math.Exp(-float64(k)*float64(i+1)/800)+0.01*float64(i)+0.05*math.Sin(float64(k)/50+float64(i)))
				}
				series = append(series, s)
			}
			return Lines(p, series, Options{Title: "Optimizers on the same problem", XLabel: "step", YLabel: "loss", LogY: true})
		}},
		{"contour_undefined.png", func(p string) error {
			f := func(x, y float64) float64 { return math.Log(x*x+y*y-1) + 0.1*x }
			return Contour(p, f, [2]float64{-3, 3}, [2]float64{-2, 2}, []Series{withName(descend(func(x, y float64) (float64, float64) {
				r := x*x + y*y - 1
				return 2*x/r + 0.1, 2 * y / r
			}, 2.5, 1.5, 0.05, 0, 30), "GD")}, Options{Title: "log(x² + y² − 1) + 0.1x", ZLabel: "f"})
		}},
		{"fit.png", func(p string) error {
			return Fit(p, data, curves, Options{Title: "Fitting a noisy parabola", XLabel: "x", YLabel: "y"})
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			p := filepath.Join(dir, c.file)
			if err := c.draw(p); err != nil {
				t.Fatal(err)
			}
			checkPNG(t, p)
		})
	}
}

func withName(s Series, name string) Series { s.Name = name; return s }
