package ops_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// golden is ops/testdata/conv/golden.json, written by
// ops/testdata/gen_conv_golden.py from PyTorch.
type golden struct {
	Torch string
	Cases []goldenCase
}

type goldenCase struct {
	Name     string
	Op       string
	Opts     goldenOpts
	Inputs   map[string]goldenTensor
	Upstream goldenTensor
	Output   goldenTensor
	Grads    map[string]goldenTensor
}

// goldenOpts are torch's keyword arguments; an absent one is torch's
// default and stays the Go zero value.
type goldenOpts struct {
	Stride, Padding, Dilation json.RawMessage
	Groups                    int
	Kernel                    [2]int
	CountIncludePad           *bool `json:"count_include_pad"`
}

type goldenTensor struct {
	Shape []int
	Data  []float64
}

func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	b, err := os.ReadFile("testdata/conv/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) == 0 {
		t.Fatal("no golden cases")
	}
	return g.Cases
}

// pairOpt reads a torch option given as [h, w].
func pairOpt(t *testing.T, raw json.RawMessage) [2]int {
	var p [2]int
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatalf("option %s: %v", raw, err)
		}
	}
	return p
}

// intOpt reads a conv1d option given as an int.
func intOpt(t *testing.T, raw json.RawMessage) int {
	var v int
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("option %s: %v", raw, err)
		}
	}
	return v
}

// inputOrder lists a case's differentiable inputs in a fixed order.
func inputOrder(c goldenCase) []string {
	var names []string
	for _, n := range []string{"x", "w", "b"} {
		if _, ok := c.Inputs[n]; ok {
			names = append(names, n)
		}
	}
	return names
}

// build applies the case's op to its input nodes, as the Go API spells the
// torch call: the conv bias is AddChannelBias.
func build(t *testing.T, c goldenCase, in map[string]*G.Node) (*G.Node, error) {
	o := c.Opts
	switch c.Op {
	case "conv2d", "conv1d":
		var y *G.Node
		var err error
		if c.Op == "conv2d" {
			y, err = ops.Conv2d(in["x"], in["w"], ops.ConvOptions{
				Stride: pairOpt(t, o.Stride), Padding: pairOpt(t, o.Padding), Dilation: pairOpt(t, o.Dilation), Groups: o.Groups})
		} else {
			y, err = ops.Conv1d(in["x"], in["w"], ops.Conv1dOptions{
				Stride: intOpt(t, o.Stride), Padding: intOpt(t, o.Padding), Dilation: intOpt(t, o.Dilation), Groups: o.Groups})
		}
		if err != nil || in["b"] == nil {
			return y, err
		}
		return ops.AddChannelBias(y, in["b"])
	case "maxpool2d":
		return ops.MaxPool2d(in["x"], o.Kernel, ops.MaxPoolOptions{
			Stride: pairOpt(t, o.Stride), Padding: pairOpt(t, o.Padding), Dilation: pairOpt(t, o.Dilation)})
	case "avgpool2d":
		return ops.AvgPool2d(in["x"], o.Kernel, ops.AvgPoolOptions{
			Stride: pairOpt(t, o.Stride), Padding: pairOpt(t, o.Padding), ExcludePad: o.CountIncludePad != nil && !*o.CountIncludePad})
	case "globalavgpool2d":
		return ops.GlobalAvgPool2d(in["x"])
	}
	t.Fatalf("unknown op %q", c.Op)
	return nil, nil
}

// weighted builds Σ u ⊙ y, whose gradient for y is u.
func weighted(y, u *G.Node) (*G.Node, error) {
	n := y.Shape().TotalSize()
	yf, err := G.Reshape(y, tensor.Shape{n})
	if err != nil {
		return nil, err
	}
	uf, err := G.Reshape(u, tensor.Shape{n})
	if err != nil {
		return nil, err
	}
	p, err := G.HadamardProd(yf, uf)
	if err != nil {
		return nil, err
	}
	return G.Sum(p)
}

func newNode(g *G.ExprGraph, dt tensor.Dtype, gt goldenTensor, name string) *G.Node {
	var backing any = slices.Clone(gt.Data)
	if dt == tensor.Float32 {
		backing = to32(gt.Data)
	}
	v := tensor.New(tensor.WithShape(gt.Shape...), tensor.WithBacking(backing))
	if len(gt.Shape) == 1 {
		return G.NewVector(g, dt, G.WithShape(gt.Shape...), G.WithName(name), G.WithValue(v))
	}
	return G.NewTensor(g, dt, len(gt.Shape), G.WithShape(gt.Shape...), G.WithName(name), G.WithValue(v))
}

func to32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func floats(v G.Value) []float64 {
	switch d := v.Data().(type) {
	case []float64:
		return d
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out
	}
	return nil
}

// closeTo reports the first value off by more than tol relative to
// max(1, |want|), or "".
func closeTo(got, want []float64, tol float64) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d values, want %d", len(got), len(want))
	}
	for i := range want {
		if d := math.Abs(got[i] - want[i]); !(d <= tol*max(1, math.Abs(want[i]))) {
			return fmt.Sprintf("[%d] = %.17g, want %.17g (|Δ| = %.3g)", i, got[i], want[i], d)
		}
	}
	return ""
}

// TestGoldenTapeMachine runs every golden case through Gorgonia's own
// TapeMachine and G.Grad, that is, through the ops' Do and SymDiff, in
// float64 to 1e-10 and in float32 to float32 tolerance.
func TestGoldenTapeMachine(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		tol := 1e-10
		if dt == tensor.Float32 {
			tol = 2e-5
		}
		for _, c := range loadGolden(t) {
			t.Run(fmt.Sprintf("%v/%s", dt, c.Name), func(t *testing.T) {
				g := G.NewGraph()
				in := map[string]*G.Node{}
				var wrt G.Nodes
				for _, name := range inputOrder(c) {
					in[name] = newNode(g, dt, c.Inputs[name], name)
					wrt = append(wrt, in[name])
				}
				y, err := build(t, c, in)
				if err != nil {
					t.Fatal(err)
				}
				cost, err := weighted(y, newNode(g, dt, c.Upstream, "u"))
				if err != nil {
					t.Fatal(err)
				}
				grads, err := G.Grad(cost, wrt...)
				if err != nil {
					t.Fatal(err)
				}
				m := G.NewTapeMachine(g)
				defer m.Close()
				if err := m.RunAll(); err != nil {
					t.Fatal(err)
				}
				if !y.Shape().Eq(tensor.Shape(c.Output.Shape)) {
					t.Fatalf("y has shape %v, torch %v", y.Shape(), c.Output.Shape)
				}
				if msg := closeTo(floats(y.Value()), c.Output.Data, tol); msg != "" {
					t.Errorf("y%s", msg)
				}
				for i, name := range inputOrder(c) {
					if msg := closeTo(floats(grads[i].Value()), c.Grads[name].Data, tol); msg != "" {
						t.Errorf("d%s%s", name, msg)
					}
				}
			})
		}
	}
}

// goldenSpec is the objective Σ u ⊙ op(x, w, b) of the parameters alone,
// with u a parameter too, so that its gradient is the forward output.
func goldenSpec(t *testing.T, c goldenCase, dt tensor.Dtype) graph.Spec {
	spec := graph.Spec{Dtype: dt}
	for _, name := range inputOrder(c) {
		spec.Params = append(spec.Params, graph.Param{Name: name, Shape: c.Inputs[name].Shape, Init: c.Inputs[name].Data})
	}
	spec.Params = append(spec.Params, graph.Param{Name: "u", Shape: c.Upstream.Shape, Init: c.Upstream.Data})
	spec.Forward = func(s *graph.Scope) (*G.Node, error) {
		in := map[string]*G.Node{}
		for _, name := range inputOrder(c) {
			in[name] = s.Params[name]
		}
		y, err := build(t, c, in)
		if err != nil {
			return nil, err
		}
		return weighted(y, s.Params["u"])
	}
	return spec
}

// TestGoldenExecutor runs every golden case through Descent's executor,
// which calls the ops' native kernels.
func TestGoldenExecutor(t *testing.T) {
	for _, c := range loadGolden(t) {
		t.Run(c.Name, func(t *testing.T) {
			e, err := graph.New(goldenSpec(t, c, tensor.Float64), graph.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Step(nil, nil, 0); err != nil {
				t.Fatal(err)
			}
			if msg := closeTo(e.Grads()["u"], c.Output.Data, 1e-10); msg != "" {
				t.Errorf("y%s", msg)
			}
			for _, name := range inputOrder(c) {
				if msg := closeTo(e.Grads()[name], c.Grads[name].Data, 1e-10); msg != "" {
					t.Errorf("d%s%s", name, msg)
				}
			}
		})
	}
}

// TestGoldenExecutorFloat32 runs the golden cases in float32, to float32
// tolerance.
func TestGoldenExecutorFloat32(t *testing.T) {
	for _, c := range loadGolden(t) {
		t.Run(c.Name, func(t *testing.T) {
			e, err := graph.New(goldenSpec(t, c, tensor.Float32), graph.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Step(nil, nil, 0); err != nil {
				t.Fatal(err)
			}
			if msg := closeTo(e.Grads()["u"], c.Output.Data, 2e-5); msg != "" {
				t.Errorf("y%s", msg)
			}
			for _, name := range inputOrder(c) {
				if msg := closeTo(e.Grads()[name], c.Grads[name].Data, 2e-5); msg != "" {
					t.Errorf("d%s%s", name, msg)
				}
			}
		})
	}
}

// TestGoldenCoverage checks that the golden file exercises every op and
// every option, so that a case dropped from the script shows here.
func TestGoldenCoverage(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range loadGolden(t) {
		o := c.Opts
		seen[c.Op] = true
		mark := func(opt string, raw json.RawMessage) {
			if len(raw) > 0 {
				seen[c.Op+" "+opt] = true
			}
		}
		mark("stride", o.Stride)
		mark("padding", o.Padding)
		mark("dilation", o.Dilation)
		if o.Groups > 1 {
			seen[c.Op+" groups"] = true
		}
		if _, ok := c.Inputs["b"]; ok {
			seen[c.Op+" bias"] = true
		} else if strings.HasPrefix(c.Op, "conv") {
			seen[c.Op+" no bias"] = true
		}
		if o.CountIncludePad != nil && !*o.CountIncludePad {
			seen[c.Op+" count_include_pad=False"] = true
		}
		if strings.Contains(c.Name, "ties") || strings.Contains(c.Name, "blank") {
			seen[c.Op+" ties"] = true
		}
	}
	var missing []string
	for _, want := range []string{
		"conv2d", "conv2d stride", "conv2d padding", "conv2d dilation", "conv2d groups", "conv2d bias", "conv2d no bias",
		"conv1d", "conv1d stride", "conv1d padding", "conv1d dilation", "conv1d groups", "conv1d bias", "conv1d no bias",
		"maxpool2d", "maxpool2d stride", "maxpool2d padding", "maxpool2d dilation", "maxpool2d ties",
		"avgpool2d", "avgpool2d stride", "avgpool2d padding", "avgpool2d count_include_pad=False",
		"globalavgpool2d",
	} {
		if !seen[want] {
			missing = append(missing, want)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no golden case covers %s", strings.Join(missing, ", "))
	}
}

// fdCase is a small problem for the finite-difference checks: inputs are
// distinct values 0.05 apart in a shuffled order, so that no max-pooling
// window changes its maximum within a step; for convolutions they are
// scaled into [−1, 1].
func fdCase(op string, opts goldenOpts, shapes map[string][]int, out []int) goldenCase {
	c := goldenCase{Name: op, Op: op, Opts: opts, Inputs: map[string]goldenTensor{}}
	seed := uint64(1)
	next := func() float64 { // a small LCG: deterministic, no imports
		seed = seed*6364136223846793005 + 1442695040888963407
		return float64(seed>>33) / (1 << 31)
	}
	tensorOf := func(shape []int) goldenTensor {
		n := 1
		for _, d := range shape {
			n *= d
		}
		v := make([]float64, n)
		step := 0.05
		if strings.HasPrefix(op, "conv") {
			step = 2 / float64(n)
		}
		for i := range v {
			v[i] = step * float64(i-n/2)
		}
		for i := n - 1; i > 0; i-- {
			j := int(next() * float64(i+1))
			v[i], v[j] = v[j], v[i]
		}
		return goldenTensor{Shape: shape, Data: v}
	}
	for _, name := range []string{"x", "w", "b"} {
		if s, ok := shapes[name]; ok {
			c.Inputs[name] = tensorOf(s)
		}
	}
	c.Upstream = tensorOf(out)
	return c
}

func raw(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

var fdCases = []goldenCase{
	fdCase("conv2d", goldenOpts{Stride: raw([2]int{2, 1}), Padding: raw([2]int{1, 2}), Dilation: raw([2]int{1, 2}), Groups: 2},
		map[string][]int{"x": {2, 4, 5, 6}, "w": {4, 2, 3, 2}, "b": {4}}, []int{2, 4, 3, 8}),
	fdCase("conv1d", goldenOpts{Stride: raw(2), Padding: raw(1), Dilation: raw(2)},
		map[string][]int{"x": {2, 3, 9}, "w": {2, 3, 3}, "b": {2}}, []int{2, 2, 4}),
	fdCase("maxpool2d", goldenOpts{Kernel: [2]int{3, 2}, Stride: raw([2]int{2, 1}), Padding: raw([2]int{1, 1}), Dilation: raw([2]int{1, 2})},
		map[string][]int{"x": {2, 2, 6, 5}}, []int{2, 2, 3, 5}),
	fdCase("maxpool2d", goldenOpts{Kernel: [2]int{2, 2}},
		map[string][]int{"x": {2, 2, 4, 6}}, []int{2, 2, 2, 3}),
	fdCase("avgpool2d", goldenOpts{Kernel: [2]int{3, 3}, Stride: raw([2]int{2, 2}), Padding: raw([2]int{1, 1}), CountIncludePad: new(bool)},
		map[string][]int{"x": {2, 2, 6, 5}}, []int{2, 2, 3, 3}),
	fdCase("avgpool2d", goldenOpts{Kernel: [2]int{2, 3}, Padding: raw([2]int{1, 0})},
		map[string][]int{"x": {1, 2, 6, 7}}, []int{1, 2, 4, 2}),
	fdCase("globalavgpool2d", goldenOpts{}, map[string][]int{"x": {2, 3, 4, 3}}, []int{2, 3}),
}

// TestFiniteDifferences checks every op's gradient through graph.Engine
// against central differences of the engine's own loss, in float64 and in
// float32. The float32 tolerance adds the loss's own rounding, amplified
// by 1/2h.
func TestFiniteDifferences(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		h, tol := 1e-6, 1e-7
		if dt == tensor.Float32 {
			h, tol = 1e-2, 2e-3
		}
		for i, c := range fdCases {
			t.Run(fmt.Sprintf("%v/%d %s", dt, i, c.Op), func(t *testing.T) {
				e, err := graph.New(goldenSpec(t, c, dt), graph.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := e.Step(nil, nil, 0); err != nil {
					t.Fatal(err)
				}
				grads := map[string][]float64{}
				for name, g := range e.Grads() {
					grads[name] = slices.Clone(g)
				}
				loss := func() float64 {
					l, err := e.Loss(nil, nil, 0)
					if err != nil {
						t.Fatal(err)
					}
					return l
				}
				for _, name := range append(inputOrder(c), "u") {
					// set moves one value of the parameter the engine
					// computes with (a float32 engine's are float32) and
					// returns the value it holds now.
					n, set := len(e.Params()[name]), func(k int, v float64) float64 {
						e.Params()[name][k] = v
						return v
					}
					if dt == tensor.Float32 {
						p32 := e.Params32()[name]
						set = func(k int, v float64) float64 {
							p32[k] = float32(v)
							return float64(p32[k])
						}
					}
					for k := range n {
						old := e.Params()[name][k]
						up := set(k, old+h)
						lp := loss()
						down := set(k, old-h)
						lm := loss()
						set(k, old)
						fd := (lp - lm) / (up - down)
						allow := tol * max(1, math.Abs(fd))
						if dt == tensor.Float32 {
							allow += 16 * 0x1p-24 * max(1, math.Abs(lp), math.Abs(lm)) / (2 * h)
						}
						if math.Abs(fd-grads[name][k]) > allow {
							t.Errorf("d%s[%d] = %v, central difference %v", name, k, grads[name][k], fd)
						}
					}
				}
			})
		}
	}
}

func TestConvErrors(t *testing.T) {
	g := G.NewGraph()
	node := func(dt tensor.Dtype, shape ...int) *G.Node {
		if len(shape) == 1 {
			return G.NewVector(g, dt, G.WithShape(shape...))
		}
		return G.NewTensor(g, dt, len(shape), G.WithShape(shape...))
	}
	f64, f32 := tensor.Float64, tensor.Float32
	x := node(f64, 2, 3, 8, 8)
	for _, tc := range []struct {
		build func() (*G.Node, error)
		want  string
	}{
		{func() (*G.Node, error) { return ops.Conv2d(x, node(f64, 16, 4, 3, 3), ops.ConvOptions{}) },
			"ops: conv2d: input has 3 channels, the weight expects 4 (input (2, 3, 8, 8), weight (16, 4, 3, 3))"},
		{func() (*G.Node, error) {
			return ops.Conv2d(node(f64, 2, 6, 8, 8), node(f64, 16, 2, 3, 3), ops.ConvOptions{Groups: 2})
		}, "ops: conv2d: input has 6 channels, the weight expects 4 (2 per group × 2 groups) (input (2, 6, 8, 8), weight (16, 2, 3, 3))"},
		{func() (*G.Node, error) {
			return ops.Conv2d(node(f64, 2, 6, 8, 8), node(f64, 16, 2, 3, 3), ops.ConvOptions{Groups: 3})
		}, "ops: conv2d: 16 output channels do not split into 3 groups (input (2, 6, 8, 8), weight (16, 2, 3, 3))"},
		{func() (*G.Node, error) {
			return ops.Conv2d(node(f64, 2, 3, 3, 3), node(f64, 4, 3, 5, 5), ops.ConvOptions{})
		},
			"ops: conv2d: kernel 5×5 with padding 0 does not fit a 3×3 input (input (2, 3, 3, 3), weight (4, 3, 5, 5))"},
		{func() (*G.Node, error) {
			return ops.Conv2d(x, node(f64, 4, 3, 3, 3), ops.ConvOptions{Stride: [2]int{-1, 1}})
		}, "ops: conv2d: the stride must be at least 1, got (-1, 1) (input (2, 3, 8, 8), weight (4, 3, 3, 3))"},
		{func() (*G.Node, error) {
			return ops.Conv2d(x, node(f64, 4, 3, 3, 3), ops.ConvOptions{Groups: -2})
		}, "ops: conv2d: groups must be at least 1, got -2 (input (2, 3, 8, 8), weight (4, 3, 3, 3))"},
		{func() (*G.Node, error) {
			return ops.Conv2d(node(f64, 3, 8, 8), node(f64, 4, 3, 3, 3), ops.ConvOptions{})
		},
			"ops: conv2d: the input must be 4-D (N, C, H, W), got shape (3, 8, 8)"},
		{func() (*G.Node, error) { return ops.Conv2d(x, node(f64, 4, 3, 3), ops.ConvOptions{}) },
			"ops: conv2d: the weight must be 4-D (out, in/groups, kh, kw), got shape (4, 3, 3)"},
		{func() (*G.Node, error) { return ops.Conv2d(x, node(f32, 4, 3, 3, 3), ops.ConvOptions{}) },
			"ops: conv2d: the input is float64 and the weight float32"},
		{func() (*G.Node, error) { return ops.Conv2d(nil, node(f64, 4, 3, 3, 3), ops.ConvOptions{}) },
			"ops: conv2d: a node is nil"},
		{func() (*G.Node, error) {
			return ops.Conv1d(node(f64, 2, 3, 4), node(f64, 5, 3, 6), ops.Conv1dOptions{Padding: 0})
		},
			"ops: conv1d: kernel 6 with padding 0 does not fit an input of length 4 (input (2, 3, 4), weight (5, 3, 6))"},
		{func() (*G.Node, error) {
			return ops.Conv1d(node(f64, 2, 3, 4), node(f64, 5, 2, 3), ops.Conv1dOptions{})
		},
			"ops: conv1d: input has 3 channels, the weight expects 2 (input (2, 3, 4), weight (5, 2, 3))"},
		{func() (*G.Node, error) { return ops.Conv1d(x, node(f64, 5, 2, 3), ops.Conv1dOptions{}) },
			"ops: conv1d: the input must be 3-D (N, C, L), got shape (2, 3, 8, 8)"},
		{func() (*G.Node, error) { return ops.AddChannelBias(x, node(f64, 4)) },
			"ops: channel bias: the bias must be a vector with one value per channel (axis 1), got bias (4) for values (2, 3, 8, 8)"},
		{func() (*G.Node, error) { return ops.AddChannelBias(x, node(f32, 3)) },
			"ops: channel bias: the values are float64 and the bias float32"},
		{func() (*G.Node, error) {
			return ops.Conv2d(x, G.NewTensor(G.NewGraph(), f64, 4, G.WithShape(4, 3, 3, 3)), ops.ConvOptions{})
		}, "ops: conv2d: Not all children have the same graph"},
	} {
		n, err := tc.build()
		if err == nil || err.Error() != tc.want {
			t.Errorf("got %v, %v\nwant %q", n, err, tc.want)
		}
	}
}
