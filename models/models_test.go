package models_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

var dtypes = []tensor.Dtype{tensor.Float64, tensor.Float32}

func newMLP(t *testing.T, in, out int, hidden []int, act string, seed uint64) *models.MLP {
	t.Helper()
	m, err := models.NewMLP(in, out, hidden, act, seed)
	if err != nil {
		t.Fatalf("NewMLP(%d, %d, %v, %q, %d): %v", in, out, hidden, act, seed, err)
	}
	return m
}

// paramsOf builds m's engine and returns its parameters with their
// initial values.
func paramsOf(t *testing.T, m models.Model) []graph.Param {
	t.Helper()
	e, err := models.Problem{Model: m}.Engine(graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e.Spec().Params
}

func TestMLPSeededInit(t *testing.T) {
	for _, act := range []string{"relu", "tanh", "sigmoid"} {
		t.Run(act, func(t *testing.T) {
			a := paramsOf(t, newMLP(t, 6, 3, []int{8, 5}, act, 11))
			b := paramsOf(t, newMLP(t, 6, 3, []int{8, 5}, act, 11))
			c := paramsOf(t, newMLP(t, 6, 3, []int{8, 5}, act, 12))
			if !reflect.DeepEqual(a, b) {
				t.Errorf("seed 11 twice gave different parameters")
			}
			for i := range a {
				if slices.Equal(a[i].Init, c[i].Init) {
					t.Errorf("%s: seeds 11 and 12 gave the same values", a[i].Name)
				}
			}
		})
	}
}

// stats returns the mean and the sample standard deviation of v.
func stats(v []float64) (mean, std float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(v)-1))
}

// TestMLPTorchInit checks every weight and bias against PyTorch's default
// for Linear, U(±1/√in): every draw inside the bound, the largest close to
// it, and the sample std within 1% of bound/√3.
func TestMLPTorchInit(t *testing.T) {
	for _, act := range []string{"relu", "tanh"} {
		t.Run(act, func(t *testing.T) {
			for _, p := range paramsOf(t, newMLP(t, 300, 200, []int{500}, act, 9)) {
				in := 300
				if strings.HasPrefix(p.Name, "2.") {
					in = 500
				}
				a := 1 / math.Sqrt(float64(in))
				var most float64
				for _, x := range p.Init {
					most = math.Max(most, math.Abs(x))
				}
				if most > a {
					t.Errorf("%s: |w| reaches %.5f beyond the bound 1/√%d = %.5f", p.Name, most, in, a)
				}
				if most < 0.98*a {
					t.Errorf("%s: |w| only reaches %.5f of the bound %.5f in %d draws", p.Name, most, a, len(p.Init))
				}
				if len(p.Init) < 10000 {
					continue
				}
				mean, std := stats(p.Init)
				if math.Abs(std/(a/math.Sqrt(3))-1) > 0.01 {
					t.Errorf("%s: sample std %.5f, want a/√3 = %.5f", p.Name, std, a/math.Sqrt(3))
				}
				if math.Abs(mean) > 5*a/math.Sqrt(3*float64(len(p.Init))) {
					t.Errorf("%s: sample mean %.2g, want 0", p.Name, mean)
				}
			}
		})
	}
}

type shaped struct {
	name  string
	shape []int
}

func shapes(ps []graph.Param) []shaped {
	var out []shaped
	for _, p := range ps {
		out = append(out, shaped{p.Name, p.Shape})
	}
	return out
}

func TestParamShapes(t *testing.T) {
	for _, c := range []struct {
		name  string
		m     models.Model
		want  []shaped
		zeros []string // parameters that start at zero
	}{
		{"linear", models.Linear{Features: 4}, []shaped{{"W", []int{4, 1}}, {"b", []int{1}}}, []string{"W", "b"}},
		{"logistic", models.Logistic{Features: 5}, []shaped{{"W", []int{5, 1}}, {"b", []int{1}}}, []string{"W", "b"}},
		{"softmax", models.Softmax{Features: 4, Classes: 3}, []shaped{{"W", []int{4, 3}}, {"b", []int{3}}}, []string{"W", "b"}},
		{"poly3", models.Poly{Degree: 3}, []shaped{{"W", []int{3, 1}}, {"b", []int{1}}}, []string{"W", "b"}},
		{"mlp", newMLP(t, 5, 3, []int{7, 4}, "relu", 1), []shaped{
			{"0.weight", []int{7, 5}}, {"0.bias", []int{7}}, {"2.weight", []int{4, 7}}, {"2.bias", []int{4}}, {"4.weight", []int{3, 4}}, {"4.bias", []int{3}}},
			nil},
		{"mlp-no-hidden", newMLP(t, 5, 2, nil, "tanh", 1), []shaped{{"0.weight", []int{2, 5}}, {"0.bias", []int{2}}}, nil},
		{"hills", models.Hills{X0: 1, Y0: 2}, []shaped{{"x", nil}, {"y", nil}}, nil},
		{"rosenbrock", models.Rosenbrock{X0: 1, Y0: 2}, []shaped{{"x", nil}, {"y", nil}}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			ps := paramsOf(t, c.m)
			if got := shapes(ps); !reflect.DeepEqual(got, c.want) {
				t.Errorf("params %v, want %v", got, c.want)
			}
			for _, p := range ps {
				zero := !slices.ContainsFunc(p.Init, func(v float64) bool { return v != 0 })
				if want := slices.Contains(c.zeros, p.Name); zero != want {
					t.Errorf("%s starts at %v: zero %v, want %v", p.Name, p.Init, zero, want)
				}
			}
		})
	}
}

func TestDims(t *testing.T) {
	for _, c := range []struct {
		m       models.Sized
		in, out int
	}{
		{models.Linear{Features: 4}, 4, 1},
		{models.Logistic{Features: 2}, 2, 1},
		{models.Softmax{Features: 4, Classes: 3}, 4, 3},
		{models.Poly{Degree: 5}, 1, 1},
		{newMLP(t, 6, 2, []int{3}, "", 0), 6, 2},
	} {
		if in, out := c.m.Dims(); in != c.in || out != c.out {
			t.Errorf("%T.Dims() = %d, %d, want %d, %d", c.m, in, out, c.in, c.out)
		}
	}
}

func TestDefaultLoss(t *testing.T) {
	for _, c := range []struct {
		m    models.Model
		want string
	}{
		{models.Linear{Features: 1}, "mse"},
		{models.Poly{Degree: 2}, "mse"},
		{models.Logistic{Features: 1}, "bce"},
		{models.Softmax{Features: 1, Classes: 2}, "xent"},
		{newMLP(t, 2, 3, []int{4}, "relu", 0), "mse"},
	} {
		if got := models.DefaultLoss(c.m); got != c.want {
			t.Errorf("DefaultLoss(%T) = %q, want %q", c.m, got, c.want)
		}
		if got := (models.Problem{Model: c.m}).LossName(); got != c.want {
			t.Errorf("Problem{%T}.LossName() = %q, want %q", c.m, got, c.want)
		}
		if got := (models.Problem{Model: c.m, Loss: "mae"}).LossName(); got != "mae" {
			t.Errorf("Problem{%T, Loss: mae}.LossName() = %q", c.m, got)
		}
	}
}

func TestProblemSpec(t *testing.T) {
	for _, c := range []struct {
		name             string
		p                models.Problem
		features, target int
		rowMean, hasLoss bool
	}{
		{"linear", models.Problem{Model: models.Linear{Features: 3}}, 3, 1, true, true},
		{"linear+l2", models.Problem{Model: models.Linear{Features: 3}, L2: 0.1}, 3, 1, false, true},
		{"softmax", models.Problem{Model: models.Softmax{Features: 3, Classes: 4}}, 3, 4, true, true},
		{"mlp+l2", models.Problem{Model: newMLP(t, 2, 3, []int{4}, "tanh", 0), Loss: "xent", L2: 1e-4}, 2, 3, false, true},
		{"unsized", models.Problem{Model: Wave{}, Input: []int{1}, Target: []int{1}}, 1, 1, true, true},
		{"rosenbrock", models.Problem{Model: models.Rosenbrock{}}, 0, 0, false, false},
	} {
		for _, dt := range dtypes {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				p := c.p
				p.Dtype = dt
				s, err := p.Spec()
				if err != nil {
					t.Fatal(err)
				}
				if s.InputSize() != c.features || s.TargetSize() != c.target {
					t.Errorf("input, target sizes = %d, %d, want %d, %d", s.InputSize(), s.TargetSize(), c.features, c.target)
				}
				if s.RowMean != c.rowMean {
					t.Errorf("RowMean = %v, want %v", s.RowMean, c.rowMean)
				}
				if (s.Loss != nil) != c.hasLoss {
					t.Errorf("Loss set = %v, want %v", s.Loss != nil, c.hasLoss)
				}
				if s.Dtype != dt {
					t.Errorf("Dtype = %v, want %v", s.Dtype, dt)
				}
			})
		}
	}
}

// TestL2Penalty checks that L2 adds (λ/2)·Σθ² to the loss and λ·θ to every
// gradient, biases included.
func TestL2Penalty(t *testing.T) {
	const lambda = 0.3
	m := newMLP(t, 3, 2, []int{4}, "tanh", 2)
	rng := rand.New(rand.NewPCG(1, 2))
	X := make([]float64, 6*3)
	for i := range X {
		X[i] = rng.NormFloat64()
	}
	Y := []float64{1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1}
	params := map[string][]float64{}
	var sq float64
	for _, p := range paramsOf(t, m) {
		v := make([]float64, p.Size())
		for i := range v {
			v[i] = rng.NormFloat64()
			sq += v[i] * v[i]
		}
		params[p.Name] = v
	}
	run := func(l2 float64) (float64, map[string][]float64) {
		e, err := models.Problem{Model: m, Loss: "xent", L2: l2}.Engine(graph.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.SetParams(params); err != nil {
			t.Fatal(err)
		}
		l, err := e.Step(X, Y, 6)
		if err != nil {
			t.Fatal(err)
		}
		g := map[string][]float64{}
		for k, v := range e.Grads() {
			g[k] = slices.Clone(v)
		}
		return l, g
	}
	l0, g0 := run(0)
	l1, g1 := run(lambda)
	if want := l0 + lambda/2*sq; math.Abs(l1-want) > 1e-12*math.Abs(want) {
		t.Errorf("loss with L2 %v, want %v + (λ/2)Σθ² = %v", l1, l0, want)
	}
	for name, g := range g1 {
		for i := range g {
			want := g0[name][i] + lambda*params[name][i]
			if math.Abs(g[i]-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("%s[%d]: gradient with L2 %v, want %v", name, i, g[i], want)
			}
		}
	}
}

// engine builds the problem's engine with the given parameters.
func engine(t *testing.T, p models.Problem, params map[string][]float64) *graph.Engine {
	t.Helper()
	e, err := p.Engine(graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SetParams(params); err != nil {
		t.Fatal(err)
	}
	return e
}

func closeTo(dt tensor.Dtype, got, want float64) bool {
	tol := 1e-13
	if dt == tensor.Float32 {
		tol = 1e-5
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// TestPolyForward checks the prediction b + Σₖ Wₖ·xᵏ against the sum
// computed here, on negative, zero and positive x.
func TestPolyForward(t *testing.T) {
	W := []float64{0.5, -1.25, 0.75, 0.1}
	b := -0.3
	X := []float64{-2, -1.5, -0.3, 0, 0.4, 1, 1.7, 2.5}
	for _, dt := range dtypes {
		t.Run(dt.String(), func(t *testing.T) {
			e := engine(t, models.Problem{Model: models.Poly{Degree: 4}, Dtype: dt}, map[string][]float64{"W": W, "b": {b}})
			got, err := e.Predict(X, len(X), nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, x := range X {
				want := b
				for k, w := range W {
					want += w * math.Pow(x, float64(k+1))
				}
				if !closeTo(dt, got[i], want) {
					t.Errorf("x = %v: prediction %v, want b + Σ Wₖxᵏ = %v", x, got[i], want)
				}
			}
		})
	}
}

// TestAffineForward checks Linear, Logistic and Softmax predictions
// against X·W + b computed here.
func TestAffineForward(t *testing.T) {
	const n, d = 5, 3
	rng := rand.New(rand.NewPCG(3, 4))
	X := make([]float64, n*d)
	for i := range X {
		X[i] = rng.Float64()*4 - 2
	}
	for _, c := range []struct {
		m models.Model
		k int
	}{{models.Linear{Features: d}, 1}, {models.Logistic{Features: d}, 1}, {models.Softmax{Features: d, Classes: 4}, 4}} {
		for _, dt := range dtypes {
			t.Run(fmt.Sprintf("%T/%v", c.m, dt), func(t *testing.T) {
				W := make([]float64, d*c.k)
				B := make([]float64, c.k)
				for i := range W {
					W[i] = rng.Float64() - 0.5
				}
				for i := range B {
					B[i] = rng.Float64() - 0.5
				}
				e := engine(t, models.Problem{Model: c.m, Dtype: dt}, map[string][]float64{"W": W, "b": B})
				if e.Outputs() != c.k {
					t.Errorf("Outputs() = %d, want %d", e.Outputs(), c.k)
				}
				got, err := e.Predict(X, n, nil)
				if err != nil {
					t.Fatal(err)
				}
				for i := 0; i < n; i++ {
					for j := 0; j < c.k; j++ {
						want := B[j]
						for m := 0; m < d; m++ {
							want += X[i*d+m] * W[m*c.k+j]
						}
						if !closeTo(dt, got[i*c.k+j], want) {
							t.Errorf("row %d, output %d: %v, want %v", i, j, got[i*c.k+j], want)
						}
					}
				}
			})
		}
	}
}

// TestMLPForward checks a one-hidden-layer tanh MLP against
// tanh(X·W1 + b1)·W2 + b2 computed here.
func TestMLPForward(t *testing.T) {
	const n, d, h, k = 4, 3, 5, 2
	m := newMLP(t, d, k, []int{h}, "tanh", 8)
	rng := rand.New(rand.NewPCG(5, 6))
	X := make([]float64, n*d)
	for i := range X {
		X[i] = rng.NormFloat64()
	}
	params := map[string][]float64{}
	for _, p := range paramsOf(t, m) {
		v := make([]float64, p.Size())
		for i := range v {
			v[i] = rng.NormFloat64() * 0.5
		}
		params[p.Name] = v
	}
	for _, dt := range dtypes {
		t.Run(dt.String(), func(t *testing.T) {
			e := engine(t, models.Problem{Model: m, Dtype: dt}, params)
			got, err := e.Predict(X, n, nil)
			if err != nil {
				t.Fatal(err)
			}
			// PyTorch's layout: weights are (out, in).
			W1, b1, W2, b2 := params["0.weight"], params["0.bias"], params["2.weight"], params["2.bias"]
			for i := 0; i < n; i++ {
				hid := make([]float64, h)
				for j := range hid {
					s := b1[j]
					for c := 0; c < d; c++ {
						s += X[i*d+c] * W1[j*d+c]
					}
					hid[j] = math.Tanh(s)
				}
				for o := 0; o < k; o++ {
					want := b2[o]
					for j := range hid {
						want += hid[j] * W2[o*h+j]
					}
					if !closeTo(dt, got[i*k+o], want) {
						t.Errorf("row %d, output %d: %v, want %v", i, o, got[i*k+o], want)
					}
				}
			}
		})
	}
}

// TestObjectives checks Hills and Rosenbrock: the engine's value against
// Eval and its gradient against the closed-form Grad at several points,
// and Rosenbrock's minimum at (1, 1).
func TestObjectives(t *testing.T) {
	type surface interface {
		models.Objective
		Grad(x, y float64) (float64, float64)
	}
	for _, c := range []struct {
		name string
		make func(x, y float64) surface
	}{
		{"hills", func(x, y float64) surface { return models.Hills{X0: x, Y0: y} }},
		{"rosenbrock", func(x, y float64) surface { return models.Rosenbrock{X0: x, Y0: y} }},
	} {
		for _, dt := range dtypes {
			for _, pt := range [][2]float64{{0, 0}, {-1.2, 1}, {1, 1}, {0.7, -1.3}, {2.5, -0.4}} {
				t.Run(fmt.Sprintf("%s/%v/%v", c.name, dt, pt), func(t *testing.T) {
					m := c.make(pt[0], pt[1])
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
					gx, gy := m.Grad(pt[0], pt[1])
					if g := e.Grads(); !closeTo(dt, g["x"][0], gx) || !closeTo(dt, g["y"][0], gy) {
						t.Errorf("gradient (%v, %v), closed form (%v, %v)", g["x"][0], g["y"][0], gx, gy)
					}
				})
			}
		}
	}
	e, err := models.Problem{Model: models.Rosenbrock{X0: 1, Y0: 1}}.Engine(graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l, err := e.Step(nil, nil, 0); err != nil || l != 0 || e.Grads()["x"][0] != 0 || e.Grads()["y"][0] != 0 {
		t.Errorf("Rosenbrock at (1,1): value %v, gradient %v, %v (err %v), want exactly 0", l, e.Grads()["x"], e.Grads()["y"], err)
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		spec          string
		features, out int
		want          models.Model
	}{
		{"linear", 4, 1, models.Linear{Features: 4}},
		{"logistic", 3, 1, models.Logistic{Features: 3}},
		{"softmax", 4, 3, models.Softmax{Features: 4, Classes: 3}},
		{"poly:1", 1, 1, models.Poly{Degree: 1}},
		{"poly:12", 1, 1, models.Poly{Degree: 12}},
	} {
		got, err := models.Parse(c.spec, c.features, c.out, "", 0)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.spec, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", c.spec, got, c.want)
		}
	}
	for _, c := range []struct {
		spec, act string
		hidden    []int
		wantAct   string
	}{{"mlp:8", "", []int{8}, "relu"}, {"mlp:16,8,4", "tanh", []int{16, 8, 4}, "tanh"}, {"mlp:3", "sigmoid", []int{3}, "sigmoid"}} {
		got, err := models.Parse(c.spec, 5, 2, c.act, 42)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.spec, err)
			continue
		}
		m, ok := got.(*models.MLP)
		if !ok {
			t.Errorf("Parse(%q) = %T, want *models.MLP", c.spec, got)
			continue
		}
		if m.Features != 5 || m.Outputs != 2 || !slices.Equal(m.Hidden, c.hidden) || m.Activation != c.wantAct || m.Seed != 42 {
			t.Errorf("Parse(%q, act %q) = %+v", c.spec, c.act, m)
		}
		direct := newMLP(t, 5, 2, c.hidden, c.act, 42)
		if !reflect.DeepEqual(paramsOf(t, m), paramsOf(t, direct)) {
			t.Errorf("Parse(%q) and NewMLP with the same seed drew different weights", c.spec)
		}
	}
}
