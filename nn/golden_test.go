package nn_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
)

// goldenTol is the agreement asked of every golden value, relative to the
// largest value of its tensor: max|ours − torch| ≤ goldenTol·max|torch|.
const goldenTol = 1e-10

// TestGoldenLayers compares every layer and option with PyTorch
// (testdata/layers.json): the output, the input gradient, each parameter
// gradient and the buffers after the pass, in each mode the case records.
// Each case runs twice: through graph.Engine (a training Step, the layer
// built in training or evaluation mode) and through Gorgonia's own
// TapeMachine, which runs the custom ops' Do and differentiates them with
// gorgonia.Grad, so both executors are held to torch.
func TestGoldenLayers(t *testing.T) {
	lg, _ := loadGolden(t)
	worst := map[string]float64{}
	for i := range lg.Cases {
		c := &lg.Cases[i]
		for _, mode := range sortedNames(c.Modes) {
			want := c.Modes[mode]
			layer := strings.Split(c.Name, "/")[0]
			t.Run(c.Name+"/"+mode, func(t *testing.T) {
				t.Run("engine", func(t *testing.T) {
					worst[layer] = math.Max(worst[layer], engineGolden(t, c, mode, &want))
				})
				t.Run("tape", func(t *testing.T) {
					worst[layer] = math.Max(worst[layer], tapeGolden(t, c, mode, &want))
				})
			})
		}
	}
	for _, k := range sortedNames(worst) {
		t.Logf("%-12s max relative deviation from torch %s: %.1e", k, lg.Torch, worst[k])
	}
}

func engineGolden(t *testing.T, c *layerCase, mode string, want *modeResult) float64 {
	p := probeOf(t, c, mode == "eval")
	e := p.engine(t, tensor.Float64, caseParams(c), c.Buffers)
	var names []string
	for _, prm := range e.Spec().Params {
		if prm.Name != "x" && prm.Name != "y" {
			names = append(names, prm.Name)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, sortedNames(c.Params)) {
		t.Fatalf("parameters %v, torch's state_dict has %v", names, sortedNames(c.Params))
	}
	var bufs []string
	for _, b := range e.BufferSpecs() {
		bufs = append(bufs, b.Name)
	}
	slices.Sort(bufs)
	if !slices.Equal(bufs, sortedNames(c.Buffers)) {
		t.Fatalf("buffers %v, torch's state_dict has %v", bufs, sortedNames(c.Buffers))
	}
	loss, err := e.Step(nil, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The objective is a sum that may cancel: its deviation is measured
	// against Σ|U⊙y|.
	var wantLoss, scale float64
	for i, u := range c.Upstream {
		wantLoss += u * want.Y[i]
		scale += math.Abs(u * want.Y[i])
	}
	worst := math.Abs(loss-wantLoss) / math.Max(scale, math.SmallestNonzeroFloat64)
	if worst > goldenTol {
		t.Errorf("Σ U⊙y = %.17g, torch's output gives %.17g (relative deviation %.1e)", loss, wantLoss, worst)
	}
	g := e.Grads()
	worst = math.Max(worst, check(t, "output", g["y"], want.Y, goldenTol))
	if !c.IDs {
		worst = math.Max(worst, check(t, "input gradient", g["x"], want.DX, goldenTol))
	}
	for _, name := range sortedNames(c.Params) {
		worst = math.Max(worst, check(t, "gradient of "+name, g[name], want.Grads[name], goldenTol))
	}
	for _, name := range sortedNames(c.Buffers) {
		worst = math.Max(worst, check(t, "buffer "+name+" after the pass", e.Buffers()[name], want.Buffers[name], goldenTol))
	}
	return worst
}

func tapeGolden(t *testing.T, c *layerCase, mode string, want *modeResult) float64 {
	g := G.NewGraph()
	s := graph.NewScope(g, tensor.Float64, 0, mode == "train")
	p := probeOf(t, c, false)
	loss, err := p.Forward(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	values := caseParams(c)
	names := sortedNames(s.Params)
	wrt := make(G.Nodes, len(names))
	for i, name := range names {
		n := s.Params[name]
		v, ok := values[name]
		if !ok && name == "y" {
			v = make([]float64, n.Shape().TotalSize())
		}
		if err := let(n, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wrt[i] = n
	}
	for name, v := range c.Buffers {
		n, err := s.Buffer(name, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := let(n, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if err := G.Let(s.Step(), 0.0); err != nil { // the step count, for dropout
		t.Fatal(err)
	}
	grads, err := G.Grad(loss, wrt...)
	if err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	got := map[string][]float64{}
	for i, name := range names {
		got[name] = values64(grads[i].Value())
	}
	var worst float64
	// Gorgonia's TapeMachine differentiates its own tanh and sigmoid in
	// place, overwriting the output before the objective's gradient with
	// respect to y₀ reads it (the "node values may be clobbered" trap), so
	// for those two the tape's output is not torch's; the engine's is, and
	// their input gradients are right on both.
	if c.Name != "tanh" && c.Name != "sigmoid" {
		worst = math.Max(worst, check(t, "output", got["y"], want.Y, goldenTol))
	}
	if !c.IDs {
		worst = math.Max(worst, check(t, "input gradient", got["x"], want.DX, goldenTol))
	}
	for _, name := range sortedNames(c.Params) {
		worst = math.Max(worst, check(t, "gradient of "+name, got[name], want.Grads[name], goldenTol))
	}
	return worst
}

// let binds a value to an input node of the tape.
func let(n *G.Node, v []float64) error {
	if n.IsScalar() {
		return G.Let(n, v[0])
	}
	return G.Let(n, tensor.New(tensor.WithShape(n.Shape().Clone()...), tensor.WithBacking(append([]float64(nil), v...))))
}

func values64(v G.Value) []float64 {
	switch d := v.Data().(type) {
	case []float64:
		return append([]float64(nil), d...)
	case float64:
		return []float64{d}
	}
	return nil
}
