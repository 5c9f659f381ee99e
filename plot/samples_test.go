package plot

import (
	"flag"
	"fmt"
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
		t.Skip("draws twenty full-size pictures")
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
		// Item 17 of issue 8: one picture per fix.
		{"loss_early_stop.png", func(p string) error {
			tr, va := earlyStopRun()
			best := 0
			for i, v := range va {
				if v < va[best] {
					best = i
				}
			}
			return Lines(p, []Series{{Name: "training loss", X: epochs(len(tr)), Y: tr}, {Name: "validation loss", X: epochs(len(va)), Y: va}},
				Options{Title: "Loss by epoch", Subtitle: "diabetes · mlp:64 · adam · lr 0.001 · batch 32", XLabel: "epoch", YLabel: "loss J",
					IntegerX: true, Marks: []Mark{{X: float64(best + 1), Label: fmt.Sprintf("early stop: best epoch %d", best+1)}}})
		}},
		{"loss_flat.png", func(p string) error {
			flat := make([]float64, 40)
			for i := range flat {
				flat[i] = 0.6931471805599453
			}
			return Lines(p, []Series{{Name: "training loss", X: epochs(40), Y: flat}},
				Options{Title: "Loss by epoch", Subtitle: "a run that learns nothing: lr 0", XLabel: "epoch", YLabel: "loss J", IntegerX: true})
		}},
		{"loss_few_ulps.png", func(p string) error {
			// The curve of issue 8, item 1: 20002 epochs spanning a few ulps.
			y := make([]float64, 20002)
			for i := range y {
				y[i] = 0.4513274336283186
				if i%3 == 0 {
					y[i] = math.Nextafter(y[i], 1)
				}
			}
			return Lines(p, []Series{{Name: "training loss", X: epochs(len(y)), Y: y}},
				Options{Title: "Loss by epoch", Subtitle: "diabetes · linear · gd · lr 0.05 (resumed at the minimum)", XLabel: "epoch", YLabel: "loss J", IntegerX: true})
		}},
		{"loss_few_epochs.png", func(p string) error {
			return Lines(p, []Series{{Name: "training loss", X: epochs(3), Y: []float64{2.4, 1.1, 0.7}}},
				Options{Title: "Loss by epoch", Subtitle: "three epochs: whole-number ticks only", XLabel: "epoch", YLabel: "loss J", IntegerX: true})
		}},
		{"optimizers_seven.png", func(p string) error {
			return Lines(p, sevenOptimizers(), Options{Title: "Loss by epoch: seven optimizers", Subtitle: "digits · softmax · best lr per optimizer",
				XLabel: "epoch", YLabel: "loss J", LogY: true, IntegerX: true})
		}},
		{"ticks_one_format.png", func(p string) error {
			var y []float64
			for k := range 61 {
				y = append(y, 40000+1000*float64(k)+3000*math.Sin(float64(k)/5))
			}
			return Lines(p, []Series{{Name: "J (raw salary targets)", Y: y}}, Options{Title: "One tick format per axis", XLabel: "epoch", YLabel: "loss J", IntegerX: true})
		}},
		{"ticks_scientific.png", func(p string) error {
			var y []float64
			for k := range 50 {
				y = append(y, 5.84e9*math.Exp(-float64(k)/10)+2e8)
			}
			return Lines(p, []Series{{Name: "J (housing, raw targets)", Y: y}}, Options{Title: "Scientific labels share one exponent", XLabel: "epoch", YLabel: "loss J", IntegerX: true})
		}},
		{"contour_minimum.png", func(p string) error {
			return Contour(p, rosenbrock, [2]float64{-2, 2}, [2]float64{-1, 3}, rosenPaths[:2],
				Options{Title: "Rosenbrock", Subtitle: "minimum 0 at (1, 1)", XLabel: "x", YLabel: "y", ZLabel: "f(x, y)", Minima: []Point{{1, 1}}})
		}},
		{"contour_minima.png", func(p string) error {
			h := func(x, y float64) float64 { return math.Pow(x*x+y-11, 2) + math.Pow(x+y*y-7, 2) }
			return Contour(p, h, [2]float64{-5, 5}, [2]float64{-5, 5}, nil,
				Options{Title: "Himmelblau", XLabel: "x", YLabel: "y", ZLabel: "f(x, y)",
					Minima: []Point{{3, 2}, {-2.805118, 3.131312}, {-3.779310, -3.283186}, {3.584428, -1.848126}}})
		}},
		{"contour_legend_outside.png", func(p string) error {
			paths := []Series{
				withName(descend(bumpyGrad, -4.8, 4.8, 0.05, 0, 60), "GD from the top left"),
				withName(descend(bumpyGrad, 4.8, -4.8, 0.05, 0, 60), "GD from the bottom right"),
				withName(descend(bumpyGrad, 4.8, 4.8, 0.05, 0, 60), "GD from the top right"),
				withName(descend(bumpyGrad, -4.8, -4.8, 0.05, 0, 60), "GD from the bottom left"),
			}
			return Contour(p, bumpy, [2]float64{-5, 5}, [2]float64{-5, 5}, paths,
				Options{Title: "Four starts, every corner taken", XLabel: "x", YLabel: "y", ZLabel: "f(x, y)", Minima: []Point{{-1.3, 0}}})
		}},
		{"huge_series.png", func(p string) error {
			// Two million steps with one diverging spike: decimated, the spike stays.
			r := rand.New(rand.NewPCG(5, 6))
			y := make([]float64, 2_000_000)
			for i := range y {
				y[i] = 1/(1+float64(i)/1e5) + 0.02*r.Float64()
			}
			y[1_234_567] = 3
			return Lines(p, []Series{{Name: "loss", Y: y}}, Options{Title: "2 000 000 steps, one spike", XLabel: "step", YLabel: "loss", IntegerX: true})
		}},
		{"legend_outside.png", func(p string) error {
			// Noisy minibatch losses fill every corner: the legend goes outside.
			r := rand.New(rand.NewPCG(7, 8))
			var series []Series
			for i, name := range []string{"batch 8", "batch 32", "batch 128"} {
				s := Series{Name: name, LR: 0.01 * float64(i+1)}
				for k := range 300 {
					s.Y = append(s.Y, 0.3+0.7*math.Exp(-float64(k)/40)+0.5*r.Float64()/float64(i+1))
				}
				series = append(series, s)
			}
			return Lines(p, series, Options{Title: "Minibatch loss by step", XLabel: "step", YLabel: "loss J", IntegerX: true,
				Marks: []Mark{{X: 280, Label: "lr drop"}}})
		}},
		{"near_max_float.png", func(p string) error {
			return Lines(p, []Series{{Name: "overflowing run", Y: []float64{-1e308, 1.7e308, -1.7e308, 1e308, 0}}},
				Options{Title: "Values near ±1.8e308", XLabel: "step", YLabel: "loss", IntegerX: true})
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

// epochs returns 1, 2, …, n.
func epochs(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i + 1)
	}
	return x
}

// earlyStopRun is a training and a validation curve whose validation loss
// is lowest at epoch 23 and rises after it (overfitting).
func earlyStopRun() (train, val []float64) {
	for e := 1; e <= 33; e++ {
		t := float64(e)
		train = append(train, 3000*math.Exp(-t/6)+2900)
		val = append(val, 3000*math.Exp(-t/6)+3100+0.0002*math.Pow(t, 4))
	}
	return train, val
}

// sevenOptimizers are seven loss curves labelled with their learning rates.
func sevenOptimizers() []Series {
	names := []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"}
	lrs := []float64{0.5, 0.1, 0.1, 0.5, 0.001, 0.001, 0.001}
	var out []Series
	for i, n := range names {
		s := Series{Name: n, LR: lrs[i]}
		for k := 1; k <= 200; k++ {
			s.X = append(s.X, float64(k))
			s.Y = append(s.Y, 2.3*math.Exp(-float64(k)*float64(i+2)/150)+0.05+0.01*float64(i)+0.02*math.Sin(float64(k)/7+float64(i)))
		}
		out = append(out, s)
	}
	return out
}
