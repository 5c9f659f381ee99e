package nn_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"sort"
	"sync"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/nn"
)

var update = flag.Bool("update", false, "rewrite golden files: re-run testdata/gen_golden.py with /usr/bin/python3 (PyTorch)")

// layerGolden is testdata/layers.json, written by testdata/gen_golden.py.
type layerGolden struct {
	Torch string      `json:"torch"`
	Cases []layerCase `json:"cases"`
}

// layerCase is one layer with one option set: the input, the parameters
// and buffers, the upstream gradient and, per mode, what torch computed.
type layerCase struct {
	Name     string                `json:"name"`
	Spec     string                `json:"spec"`
	Shape    []int                 `json:"shape"`
	IDs      bool                  `json:"ids"`
	X        []float64             `json:"x"`
	Upstream []float64             `json:"upstream"`
	Params   map[string][]float64  `json:"params"`
	Buffers  map[string][]float64  `json:"buffers"`
	Modes    map[string]modeResult `json:"modes"`
}

type modeResult struct {
	Y       []float64            `json:"y"`
	YShape  []int                `json:"y_shape"`
	DX      []float64            `json:"dx"`
	Grads   map[string][]float64 `json:"grads"`
	Buffers map[string][]float64 `json:"buffers"`
}

// trajGolden is testdata/trajectories.json.
type trajGolden struct {
	Torch  string `json:"torch"`
	N, K   int
	Labels []int `json:"labels"`
	// Data holds the inputs by name: the shape of one row and the rows.
	Data map[string]struct {
		Shape []int     `json:"shape"`
		X     []float64 `json:"x"`
	} `json:"data"`
	Nets  []trajNet  `json:"nets"`
	Cases []trajCase `json:"cases"`
}

type trajNet struct {
	Name   string               `json:"name"`
	Spec   string               `json:"spec"`
	Input  string               `json:"input"` // a key of trajGolden.Data
	Params map[string][]float64 `json:"params"`
}

type trajCase struct {
	Net       string    `json:"net"`
	Optimizer string    `json:"optimizer"`
	LR        float64   `json:"lr"`
	Losses    []float64 `json:"losses"`
	Steps     map[string]struct {
		Params  map[string][]float64 `json:"params"`
		Buffers map[string][]float64 `json:"buffers"`
	} `json:"steps"`
}

var (
	goldenOnce sync.Once
	goldenErr  error
	layersData *layerGolden
	trajData   *trajGolden
)

// loadGolden reads testdata/layers.json and testdata/trajectories.json,
// regenerating both first under -update.
func loadGolden(t testing.TB) (*layerGolden, *trajGolden) {
	t.Helper()
	goldenOnce.Do(func() {
		if *update {
			out, err := exec.Command("/usr/bin/python3", "testdata/gen_golden.py").CombinedOutput()
			if err != nil {
				goldenErr = fmt.Errorf("gen_golden.py: %v\n%s", err, out)
				return
			}
		}
		layersData, trajData = new(layerGolden), new(trajGolden)
		for _, f := range []struct {
			path string
			v    any
		}{{"testdata/layers.json", layersData}, {"testdata/trajectories.json", trajData}} {
			b, err := os.ReadFile(f.path)
			if err != nil {
				goldenErr = err
				return
			}
			if err := json.Unmarshal(b, f.v); err != nil {
				goldenErr = fmt.Errorf("%s: %w", f.path, err)
				return
			}
		}
	})
	if goldenErr != nil {
		t.Fatal(goldenErr)
	}
	return layersData, trajData
}

// probe wraps a module so that graph.Engine computes everything a golden
// case holds: its input is the parameter "x" (or, for integer ids, a
// constant), and the objective is Σ (U + y₀)⊙layer(x), y₀ being the
// zero parameter "y". Its gradient with respect to x and to the layer's
// parameters is then the backward pass for the upstream gradient U, and
// its gradient with respect to y₀ is the layer's output itself. With
// eval set the layer is built in evaluation mode even in a training Step.
type probe struct {
	layer nn.Module
	shape []int
	ids   []float64 // the constant input, for embeddings
	up    []float64 // U, one value per output element
	eval  bool
}

func (p *probe) Forward(s *graph.Scope, _ *G.Node) (*G.Node, error) {
	var x *G.Node
	var err error
	if p.ids != nil {
		x = constant(s.Dtype, "ids", p.shape, p.ids)
	} else if x, err = s.Param("x", p.shape, nil); err != nil {
		return nil, err
	}
	ls := s
	if p.eval {
		c := *s
		c.Training = false
		ls = &c
	}
	y, err := p.layer.Forward(ls, x)
	if err != nil {
		return nil, err
	}
	size := y.Shape().TotalSize()
	if size != len(p.up) {
		return nil, fmt.Errorf("probe: the output has %d values (shape %v), the upstream gradient %d", size, y.Shape(), len(p.up))
	}
	if y.Dims() != 1 {
		if y, err = G.Reshape(y, []int{size}); err != nil {
			return nil, err
		}
	}
	y0, err := s.Param("y", []int{size}, nil)
	if err != nil {
		return nil, err
	}
	w, err := G.Add(y0, constant(s.Dtype, "U", []int{size}, p.up))
	if err != nil {
		return nil, err
	}
	prod, err := G.HadamardProd(w, y)
	if err != nil {
		return nil, err
	}
	return G.Sum(prod)
}

// spec is the probe as an objective of its parameters alone.
func (p *probe) spec(dt tensor.Dtype) graph.Spec {
	return graph.Spec{Dtype: dt, Seed: 1, Forward: func(s *graph.Scope) (*G.Node, error) { return p.Forward(s, nil) }}
}

// engine builds the probe's engine and sets its parameters and buffers
// (those not given keep their initial values; y₀ starts at zero).
func (p *probe) engine(t testing.TB, dt tensor.Dtype, params, buffers map[string][]float64) *graph.Engine {
	t.Helper()
	e, err := graph.New(p.spec(dt), graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SetParams(params); err != nil {
		t.Fatal(err)
	}
	if err := e.SetBuffers(buffers); err != nil {
		t.Fatal(err)
	}
	return e
}

// constant is a named tensor constant. The name matters: Gorgonia names
// an unnamed constant by its abbreviated printout and merges constants of
// the same name, so two large constants that print alike would become one.
func constant(dt tensor.Dtype, name string, shape []int, v []float64) *G.Node {
	if dt == tensor.Float32 {
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		return G.NewConstant(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f)), G.WithName(name))
	}
	return G.NewConstant(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...))), G.WithName(name))
}

// probeOf builds the probe of a golden case.
func probeOf(t testing.TB, c *layerCase, eval bool) *probe {
	t.Helper()
	seq, err := nn.Parse(c.Spec)
	if err != nil {
		t.Fatal(err)
	}
	p := &probe{layer: seq, shape: c.Shape, up: c.Upstream, eval: eval}
	if c.IDs {
		p.ids = c.X
	}
	return p
}

// caseParams is the golden case's parameters, with the input x.
func caseParams(c *layerCase) map[string][]float64 {
	m := map[string][]float64{}
	for k, v := range c.Params {
		m[k] = v
	}
	if !c.IDs {
		m["x"] = c.X
	}
	return m
}

// normDev is max|got − want| / max|want| (the absolute deviation when
// want is all zeros), and an error when the lengths differ.
func normDev(got, want []float64) (float64, error) {
	if len(got) != len(want) {
		return math.Inf(1), fmt.Errorf("%d values, want %d", len(got), len(want))
	}
	var d, s float64
	for i, w := range want {
		d = math.Max(d, math.Abs(got[i]-w))
		if math.IsNaN(got[i]) {
			d = math.Inf(1)
		}
		s = math.Max(s, math.Abs(w))
	}
	if s == 0 {
		return d, nil
	}
	return d / s, nil
}

// check compares got with want to tol (normwise relative), naming what.
func check(t testing.TB, what string, got, want []float64, tol float64) float64 {
	t.Helper()
	d, err := normDev(got, want)
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return d
	}
	if d > tol {
		i := worstIndex(got, want)
		t.Errorf("%s: relative deviation %.2e > %.0e (element %d: %.17g, want %.17g)", what, d, tol, i, got[i], want[i])
	}
	return d
}

func worstIndex(got, want []float64) int {
	w, best := 0, -1.0
	for i := range want {
		if d := math.Abs(got[i] - want[i]); d > best || math.IsNaN(d) {
			w, best = i, d
		}
	}
	return w
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func clone(m map[string][]float64) map[string][]float64 {
	out := make(map[string][]float64, len(m))
	for k, v := range m {
		out[k] = append([]float64(nil), v...)
	}
	return out
}
