package job

import (
	"context"
	"fmt"
	"github.com/descent-ml/descent/train"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
)

// surfaceLine is the line dataset as training data with its linear engine.
func surfaceLine(t *testing.T, loss string) (*graph.Engine, *train.Data) {
	t.Helper()
	ds, err := data.Builtin("line")
	require.NoError(t, err)
	e, err := models.Problem{Model: models.Linear{Features: 1}, Loss: loss}.Engine(graph.Options{})
	require.NoError(t, err)
	return e, &train.Data{X: ds.X, Y: ds.Y, N: ds.N, D: 1, T: 1}
}

func TestNewSurfaceErrors(t *testing.T) {
	poly, err := models.Problem{Model: models.Poly{Degree: 2}}.Engine(graph.Options{})
	require.NoError(t, err)
	mlp, err := models.NewMLP(1, 1, []int{4}, "", 1)
	require.NoError(t, err)
	big, err := models.Problem{Model: mlp}.Engine(graph.Options{})
	require.NoError(t, err)
	hills, err := models.Problem{Model: models.Hills{}}.Engine(graph.Options{})
	require.NoError(t, err)
	line, d := surfaceLine(t, "mse")
	cases := []struct {
		name string
		e    *graph.Engine
		d    *train.Data
		want string
	}{
		{"no engine", nil, nil, "job: surface: no engine"},
		{"three values", poly, d, "job: a loss surface needs a model with exactly 2 parameter values, this one has 3 (W[0], W[1], b)"},
		{"many values", big, d, "job: a loss surface needs a model with exactly 2 parameter values, this one has 13"},
		{"objective with data", hills, d, "job: surface: the objective takes no data, got a set of 5 rows"},
		{"model without data", line, nil, "job: surface: the model needs data (1 features), got none"},
		{"empty data", line, &train.Data{D: 1, T: 1}, "job: surface: the data has 0 rows, 0 X values and 0 Y values"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewSurface(c.e, c.d)
			assert.EqualError(t, err, c.want)
		})
	}
	_, err = NewObjectiveSurface(nil, graph.Options{})
	assert.EqualError(t, err, "job: surface: no objective")
}

func TestSurfaceEval(t *testing.T) {
	e, d := surfaceLine(t, "half-mse")
	s, err := NewSurface(e, d)
	require.NoError(t, err)
	assert.Equal(t, [2]string{"W", "b"}, s.Names)
	assert.Equal(t, [2]float64{0, 0}, s.Point())
	for _, p := range [][2]float64{{0, 0}, {2, 1}, {-1.5, 3}, {10, -4}} {
		var want float64
		for i, x := range d.X {
			r := p[0]*x + p[1] - d.Y[i]
			want += r * r / float64(2*d.N)
		}
		assert.InDelta(t, want, s.Eval(p[0], p[1]), 1e-9*(1+want), "%v", p)
	}

	// An objective through its graph and through its plain-Go Eval.
	he, err := models.Problem{Model: models.Hills{}}.Engine(graph.Options{})
	require.NoError(t, err)
	viaGraph, err := NewSurface(he, nil)
	require.NoError(t, err)
	viaGo, err := NewObjectiveSurface(models.Hills{}, graph.Options{})
	require.NoError(t, err)
	assert.Equal(t, [2]string{"x", "y"}, viaGo.Names)
	for _, p := range [][2]float64{{0.3, -1.2}, {-2, 2}, {3.5, 0.1}} {
		want := math.Sin(p[0])*math.Cos(p[1]) + 0.1*(p[0]*p[0]+p[1]*p[1])
		assert.InDelta(t, want, viaGraph.Eval(p[0], p[1]), 1e-12)
		assert.InDelta(t, want, viaGo.Eval(p[0], p[1]), 1e-12)
	}
}

func TestSurfaceDescendRosenbrockMatchesHandGradient(t *testing.T) {
	const lr, steps = 0.001, 50
	s, err := NewObjectiveSurface(models.Rosenbrock{}, graph.Options{})
	require.NoError(t, err)
	starts := [][2]float64{{-1.2, 1}, {0.5, 2}}
	paths, err := s.Descend(context.Background(), optimizers.Config{Name: "gd", LR: lr}, train.Config{Epochs: steps}, starts)
	require.NoError(t, err)
	require.Len(t, paths, 2)
	for i, p := range paths {
		assert.Equal(t, train.MaxEpochs, p.Status)
		assert.Equal(t, steps, p.Steps)
		assert.Equal(t, starts[i], p.Start)
		require.Len(t, p.X, steps+1, "the start, one point per step, and the end")
		x, y := starts[i][0], starts[i][1]
		for k := 0; k <= steps; k++ {
			assert.InDelta(t, x, p.X[k], 1e-12, "start %v step %d", starts[i], k)
			assert.InDelta(t, y, p.Y[k], 1e-12)
			gx, gy := models.Rosenbrock{}.Grad(x, y)
			x, y = x-lr*gx, y-lr*gy
		}
		assert.Equal(t, [2]float64{p.X[steps], p.Y[steps]}, p.End)
		assert.InDelta(t, models.Rosenbrock{}.Eval(p.End[0], p.End[1]), p.Loss, 1e-12)
	}
}

func TestSurfaceDescendDataMatchesHandGradient(t *testing.T) {
	const lr, steps = 0.05, 30
	e, d := surfaceLine(t, "half-mse")
	s, err := NewSurface(e, d)
	require.NoError(t, err)
	paths, err := s.Descend(context.Background(), optimizers.Config{Name: "gd", LR: lr}, train.Config{Epochs: steps}, [][2]float64{{4, -2}})
	require.NoError(t, err)
	w, b := 4.0, -2.0
	for k := 0; k < steps; k++ {
		var gw, gb float64
		for i, x := range d.X {
			r := w*x + b - d.Y[i]
			gw += r * x / float64(d.N)
			gb += r / float64(d.N)
		}
		w, b = w-lr*gw, b-lr*gb
	}
	p := paths[0]
	assert.InDelta(t, w, p.End[0], 1e-10)
	assert.InDelta(t, b, p.End[1], 1e-10)
	assert.InDelta(t, s.Eval(w, b), p.Loss, 1e-10)
	assert.Len(t, p.X, steps+1)
}

func TestSurfaceDescendStops(t *testing.T) {
	hills, err := NewObjectiveSurface(models.Hills{}, graph.Options{})
	require.NoError(t, err)
	rosen, err := NewObjectiveSurface(models.Rosenbrock{}, graph.Options{})
	require.NoError(t, err)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name   string
		s      *Surface
		ctx    context.Context
		lr     float64
		loop   train.Config
		status train.Status
	}{
		{"gradient tolerance", hills, context.Background(), 0.1, train.Config{Epochs: 1000, GradTol: 1e-6}, train.GradientTolerance},
		{"loss tolerance", hills, context.Background(), 0.1, train.Config{Epochs: 1000, Tol: 1e-10}, train.LossTolerance},
		{"diverged", rosen, context.Background(), 0.1, train.Config{Epochs: 1000}, train.Diverged},
		{"interrupted", hills, cancelled, 0.1, train.Config{Epochs: 10}, train.Interrupted},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			paths, err := c.s.Descend(c.ctx, optimizers.Config{Name: "gd", LR: c.lr}, c.loop, [][2]float64{{-1.2, 1}})
			require.NoError(t, err, "a run that stops early is a path, not an error")
			p := paths[0]
			assert.Equal(t, c.status, p.Status)
			assert.False(t, math.IsNaN(p.End[0]) || math.IsInf(p.End[0], 0) || math.IsNaN(p.End[1]) || math.IsInf(p.End[1], 0), "end %v", p.End)
			switch c.status {
			case train.GradientTolerance:
				gx, gy := models.Hills{}.Grad(p.End[0], p.End[1])
				assert.Less(t, math.Hypot(gx, gy), 1e-6)
			case train.Diverged:
				require.NotNil(t, p.Diverged)
				assert.Less(t, p.Steps, 1000)
			case train.Interrupted:
				assert.Equal(t, 0, p.Steps)
				assert.Equal(t, p.Start, p.End)
			}
		})
	}
}

func TestSurfaceDescendErrors(t *testing.T) {
	s, err := NewObjectiveSurface(models.Hills{}, graph.Options{})
	require.NoError(t, err)
	ctx := context.Background()
	_, err = s.Descend(ctx, optimizers.Config{}, train.Config{}, nil)
	assert.EqualError(t, err, "job: surface: no starting points")
	_, err = s.Descend(ctx, optimizers.Config{}, train.Config{}, [][2]float64{{0, 0}, {math.NaN(), 1}})
	assert.EqualError(t, err, "job: surface: start 2 is (NaN, 1), want finite values")
	_, err = s.Descend(ctx, optimizers.Config{LR: -1, Set: map[string]bool{"lr": true}}, train.Config{}, [][2]float64{{0, 0}})
	assert.EqualError(t, err, "optimizers: lr must be > 0, got -1")
	_, err = s.Descend(ctx, optimizers.Config{}, train.Config{Epochs: -1}, [][2]float64{{0, 0}})
	assert.EqualError(t, err, "train: epochs must be >= 0, got -1")
}

func TestPathBounds(t *testing.T) {
	cases := []struct {
		name   string
		paths  []Path
		pad    float64
		xr, yr [2]float64
		ok     bool
	}{
		{"box with margin", []Path{{X: []float64{0, 2}, Y: []float64{1, 5}}, {X: []float64{-2}, Y: []float64{3}}}, 0.25, [2]float64{-3, 3}, [2]float64{0, 6}, true},
		{"non-finite points skipped", []Path{{X: []float64{1, math.NaN(), math.Inf(1)}, Y: []float64{1, 0, 0}}}, 0.5, [2]float64{0.5, 1.5}, [2]float64{0.5, 1.5}, true},
		{"nothing finite", []Path{{X: []float64{math.NaN()}, Y: []float64{0}}}, 0.1, [2]float64{}, [2]float64{}, false},
		{"no paths", nil, 0.1, [2]float64{}, [2]float64{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			xr, yr, ok := PathBounds(c.paths, c.pad)
			assert.Equal(t, c.ok, ok)
			assert.Equal(t, c.xr, xr)
			assert.Equal(t, c.yr, yr)
		})
	}
}

// Gradient descent on the bumpy Hills surface from two starts ends in two
// different local minima; s.Eval is the function to contour.
func ExampleNewObjectiveSurface() {
	s, err := NewObjectiveSurface(models.Hills{}, graph.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	paths, err := s.Descend(context.Background(), optimizers.Config{Name: "gd", LR: 0.1},
		train.Config{Epochs: 500, GradTol: 1e-6}, [][2]float64{{0.5, 0.5}, {2, 0}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range paths {
		fmt.Printf("%v → (%.2f, %.2f) f = %.3f, %s\n", p.Start, p.End[0], p.End[1], s.Eval(p.End[0], p.End[1]), p.Status)
	}
	// Output:
	// [0.5 0.5] → (-1.31, 0.00) f = -0.795, gradient-tolerance
	// [2 0] → (3.84, 0.00) f = 0.832, gradient-tolerance
}

// A line on one feature has two parameter values, W and b; its surface is
// the loss over the whole data set.
func ExampleNewSurface() {
	ds, _ := data.Builtin("line")
	e, _ := models.Problem{Model: models.Linear{Features: 1}, Loss: "half-mse"}.Engine(graph.Options{})
	s, err := NewSurface(e, &train.Data{X: ds.X, Y: ds.Y, N: ds.N, D: 1, T: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Names, s.Eval(2, 1), s.Eval(0, 0))

	poly, _ := models.Problem{Model: models.Poly{Degree: 2}}.Engine(graph.Options{})
	_, err = NewSurface(poly, &train.Data{X: ds.X, Y: ds.Y, N: ds.N, D: 1, T: 1})
	fmt.Println(err)
	// Output:
	// [W b] 0 28.5
	// job: a loss surface needs a model with exactly 2 parameter values, this one has 3 (W[0], W[1], b)
}
