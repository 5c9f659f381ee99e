package plot_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	gonumplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/descent-ml/descent/plot"
)

// exists reports whether path is a non-empty file.
func exists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Size() > 0
}

// Three learning rates on f(w) = ½w²: too small crawls, good converges, too
// large diverges to +Inf and NaN. The picture stays framed on the first two
// and the legend says "(diverged, clipped)".
func ExampleLines() {
	dir, _ := os.MkdirTemp("", "descent-plot")
	defer os.RemoveAll(dir)

	var series []plot.Series
	for _, lr := range []float64{0.05, 0.8, 2.5} {
		s := plot.Series{Name: fmt.Sprintf("lr = %g", lr)}
		w := 1.0
		for range 40 {
			s.Y = append(s.Y, 0.5*w*w)
			w -= lr * w
			if math.Abs(w) > 1e10 {
				w = math.NaN()
			}
		}
		series = append(series, s)
	}
	path := filepath.Join(dir, "lr.png")
	err := plot.Lines(path, series, plot.Options{Title: "Learning rates", XLabel: "step", YLabel: "loss", LogY: true})
	fmt.Println(err, exists(path))

	err = plot.Lines(filepath.Join(dir, "lr.svg"), []plot.Series{{Name: "adam", X: []float64{0, 1}, Y: []float64{1}}}, plot.Options{})
	fmt.Println(err)
	// Output:
	// <nil> true
	// plot: series "adam": X has 2 values but Y has 1
}

// A loss plot as `train --plot` draws it: the title names the run, the
// epoch axis has whole-number ticks, a vertical line marks the epoch that
// early stopping kept, and each legend entry carries its learning rate.
func ExampleLines_earlyStopping() {
	dir, _ := os.MkdirTemp("", "descent-plot")
	defer os.RemoveAll(dir)

	train := plot.Series{Name: "training loss"}
	val := plot.Series{Name: "validation loss"}
	for e := 1; e <= 30; e++ {
		t := float64(e)
		train.X, train.Y = append(train.X, t), append(train.Y, math.Exp(-t/5)+0.1)
		val.X, val.Y = append(val.X, t), append(val.Y, math.Exp(-t/5)+0.15+0.0004*(t-20)*(t-20))
	}
	path := filepath.Join(dir, "loss.png")
	err := plot.Lines(path, []plot.Series{train, val}, plot.Options{
		Title:    "Loss by epoch",
		Subtitle: "diabetes · mlp:64 · adam · lr 0.001",
		XLabel:   "epoch", YLabel: "loss J",
		IntegerX: true,
		Marks:    []plot.Mark{{X: 20, Label: "early stop: best epoch 20"}},
	})
	fmt.Println(err, exists(path))

	adam := plot.Series{Name: "adam", LR: 0.001, Y: []float64{1, 0.5, 0.2}}
	sgd := plot.Series{Name: "sgd", LR: 0.1, Y: []float64{1, 0.7, 0.6}}
	err = plot.Lines(filepath.Join(dir, "cmp.svg"), []plot.Series{adam, sgd}, plot.Options{IntegerX: true})
	fmt.Println(err)

	err = plot.Lines(path, []plot.Series{train}, plot.Options{Marks: []plot.Mark{{X: math.NaN()}}})
	fmt.Println(err)
	// Output:
	// <nil> true
	// <nil>
	// plot: Options.Marks[0].X must be finite, got NaN
}

// Himmelblau's function has four minima; Options.Minima stars them and the
// legend names them.
func ExampleContour_minima() {
	dir, _ := os.MkdirTemp("", "descent-plot")
	defer os.RemoveAll(dir)

	f := func(x, y float64) float64 { return math.Pow(x*x+y-11, 2) + math.Pow(x+y*y-7, 2) }
	minima := []plot.Point{{X: 3, Y: 2}, {X: -2.805118, Y: 3.131312}, {X: -3.779310, Y: -3.283186}, {X: 3.584428, Y: -1.848126}}
	path := filepath.Join(dir, "himmelblau.png")
	err := plot.Contour(path, f, [2]float64{-5, 5}, [2]float64{-5, 5}, nil,
		plot.Options{Title: "Himmelblau", XLabel: "x", YLabel: "y", Minima: minima, Resolution: 101})
	fmt.Println(err, exists(path))

	err = plot.Contour(path, f, [2]float64{1, 1.0000000000000002}, [2]float64{-5, 5}, nil, plot.Options{})
	fmt.Println(err)
	// Output:
	// <nil> true
	// plot: contour: xr = [1, 1.0000000000000002] is too narrow to draw: its width must exceed 1e-9 of its magnitude and 1e-280
}

// Gradient descent on Rosenbrock's function, drawn on its log-spaced contours.
func ExampleContour() {
	dir, _ := os.MkdirTemp("", "descent-plot")
	defer os.RemoveAll(dir)

	f := func(x, y float64) float64 { return (1-x)*(1-x) + 100*(y-x*x)*(y-x*x) }
	gd := plot.Series{Name: "GD, lr = 0.001"}
	x, y := -1.5, 2.0
	for range 2000 {
		gd.X, gd.Y = append(gd.X, x), append(gd.Y, y)
		gx, gy := -2*(1-x)-400*x*(y-x*x), 200*(y-x*x)
		x, y = x-0.001*gx, y-0.001*gy
	}
	path := filepath.Join(dir, "rosenbrock.svg")
	err := plot.Contour(path, f, [2]float64{-2, 2}, [2]float64{-1, 3}, []plot.Series{gd},
		plot.Options{Title: "Rosenbrock", XLabel: "x", YLabel: "y", ZLabel: "f(x, y)"})
	fmt.Println(err, exists(path))

	err = plot.Contour(path, f, [2]float64{2, -2}, [2]float64{-1, 3}, nil, plot.Options{})
	fmt.Println(err)
	// Output:
	// <nil> true
	// plot: contour: xr must be finite with xr[0] < xr[1], got [2, -2]
}

// Noisy samples of a parabola with a straight line and a parabola through them.
func ExampleFit() {
	dir, _ := os.MkdirTemp("", "descent-plot")
	defer os.RemoveAll(dir)

	data := plot.Series{Name: "samples"}
	line := plot.Series{Name: "y = 1.2x + 2"}
	quad := plot.Series{Name: "y = x² + 1"}
	for i := range 21 {
		x := -2 + 0.2*float64(i)
		data.X, data.Y = append(data.X, x), append(data.Y, x*x+1+0.3*math.Sin(7*x))
		line.X, line.Y = append(line.X, x), append(line.Y, 1.2*x+2)
		quad.X, quad.Y = append(quad.X, x), append(quad.Y, x*x+1)
	}
	path := filepath.Join(dir, "fit.png")
	err := plot.Fit(path, data, []plot.Series{line, quad}, plot.Options{XLabel: "x", YLabel: "y"})
	fmt.Println(err, exists(path))
	// Output:
	// <nil> true
}

// Save writes any gonum plot, by extension, atomically.
func ExampleSave() {
	dir, _ := os.MkdirTemp("", "descent-plot")
	defer os.RemoveAll(dir)

	p := gonumplot.New()
	fn := plotter.NewFunction(math.Sin)
	p.Add(fn)
	p.X.Min, p.X.Max = 0, 2*math.Pi

	path := filepath.Join(dir, "sin.svg")
	fmt.Println(plot.Save(p, path, 12*vg.Centimeter, 8*vg.Centimeter), exists(path))
	fmt.Println(plot.Save(p, "sin.jpg", 12*vg.Centimeter, 8*vg.Centimeter))
	// Output:
	// <nil> true
	// plot: save "sin.jpg": unsupported file extension ".jpg" (allowed: .png, .svg)
}
