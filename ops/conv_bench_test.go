package ops_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// cnnLayer is one step of a small sequential CNN for the step benchmarks.
type cnnLayer struct {
	kind   string // conv, relu, pool, flatten, linear
	out, k int    // conv: out channels and kernel; linear: out features
	pad    int
}

// cnnSpec builds a float32 classification problem for a sequential CNN on
// c×h×w images, with torch's default initialisation bounds.
func cnnSpec(c, h, w, classes int, layers []cnnLayer) graph.Spec {
	r := rand.New(rand.NewPCG(1, 2))
	uniform := func(n, fanIn int) []float64 {
		v := make([]float64, n)
		bound := 1 / float64(fanIn)
		for i := range v {
			v[i] = (2*r.Float64() - 1) * bound
		}
		return v
	}
	spec := graph.Spec{Dtype: tensor.Float32, Input: []int{c * h * w}, Target: []int{classes}, RowMean: true}
	shape := []int{c, h, w}
	for i, l := range layers {
		switch l.kind {
		case "conv":
			fan := shape[0] * l.k * l.k
			spec.Params = append(spec.Params,
				graph.Param{Name: fmt.Sprintf("%d.weight", i), Shape: []int{l.out, shape[0], l.k, l.k}, Init: uniform(l.out*fan, fan)},
				graph.Param{Name: fmt.Sprintf("%d.bias", i), Shape: []int{l.out}, Init: uniform(l.out, fan)})
			shape = []int{l.out, shape[1] + 2*l.pad - l.k + 1, shape[2] + 2*l.pad - l.k + 1}
		case "pool":
			shape = []int{shape[0], shape[1] / 2, shape[2] / 2}
		case "flatten":
			shape = []int{shape[0] * shape[1] * shape[2]}
		case "linear":
			spec.Params = append(spec.Params,
				graph.Param{Name: fmt.Sprintf("%d.weight", i), Shape: []int{shape[0], l.out}, Init: uniform(l.out*shape[0], shape[0])},
				graph.Param{Name: fmt.Sprintf("%d.bias", i), Shape: []int{l.out}, Init: uniform(l.out, shape[0])})
			shape = []int{l.out}
		}
	}
	spec.Forward = func(s *graph.Scope) (*G.Node, error) {
		x, err := G.Reshape(s.X, tensor.Shape{s.N, c, h, w})
		if err != nil {
			return nil, err
		}
		for i, l := range layers {
			p := func(name string) *G.Node { return s.Params[fmt.Sprintf("%d.%s", i, name)] }
			switch l.kind {
			case "conv":
				if x, err = ops.Conv2d(x, p("weight"), ops.ConvOptions{Padding: [2]int{l.pad, l.pad}}); err == nil {
					x, err = ops.AddChannelBias(x, p("bias"))
				}
			case "relu":
				x, err = ops.ReLU(x)
			case "pool":
				x, err = ops.MaxPool2d(x, [2]int{2, 2}, ops.MaxPoolOptions{})
			case "flatten":
				x, err = G.Reshape(x, tensor.Shape{s.N, x.Shape().TotalSize() / s.N})
			case "linear":
				if x, err = G.Mul(x, p("weight")); err == nil {
					x, err = G.BroadcastAdd(x, p("bias"), nil, []byte{0})
				}
			}
			if err != nil {
				return nil, fmt.Errorf("layer %d %s: %w", i, l.kind, err)
			}
		}
		return x, nil
	}
	spec.Loss = func(s *graph.Scope, pred *G.Node) (*G.Node, error) { return ops.SoftmaxCrossEntropy(pred, s.Y) }
	return spec
}

// digitsCNN is issue 10's digits network: conv2d(16,3,padding=1) relu
// maxpool2d(2) conv2d(32,3,padding=1) relu maxpool2d(2) flatten linear(10).
var digitsCNN = []cnnLayer{
	{kind: "conv", out: 16, k: 3, pad: 1}, {kind: "relu"}, {kind: "pool"},
	{kind: "conv", out: 32, k: 3, pad: 1}, {kind: "relu"}, {kind: "pool"},
	{kind: "flatten"}, {kind: "linear", out: 10},
}

// leNet5 is LeNet-5 for 28×28 images: conv2d(6,5,padding=2) relu
// maxpool2d(2) conv2d(16,5) relu maxpool2d(2) flatten linear(120) relu
// linear(84) relu linear(10).
var leNet5 = []cnnLayer{
	{kind: "conv", out: 6, k: 5, pad: 2}, {kind: "relu"}, {kind: "pool"},
	{kind: "conv", out: 16, k: 5}, {kind: "relu"}, {kind: "pool"},
	{kind: "flatten"}, {kind: "linear", out: 120}, {kind: "relu"},
	{kind: "linear", out: 84}, {kind: "relu"}, {kind: "linear", out: 10},
}

func cnnBatch(n, features, classes int) (x, y []float64) {
	r := rand.New(rand.NewPCG(3, 4))
	x, y = make([]float64, n*features), make([]float64, n*classes)
	for i := range x {
		x[i] = r.Float64()
	}
	for i := 0; i < n; i++ {
		y[i*classes+r.IntN(classes)] = 1
	}
	return x, y
}

// BenchmarkCNNStep times one training step (loss and every gradient, no
// optimizer) of the digits CNN and of LeNet-5 at batch 64, in float32,
// through Descent's executor. bench/peers/torch_conv.py times torch's.
func BenchmarkCNNStep(b *testing.B) {
	for _, net := range []struct {
		name    string
		c, h, w int
		layers  []cnnLayer
	}{{"digits-cnn", 1, 8, 8, digitsCNN}, {"lenet5", 1, 28, 28, leNet5}} {
		b.Run(net.name, func(b *testing.B) {
			spec := cnnSpec(net.c, net.h, net.w, 10, net.layers)
			e, err := graph.New(spec, graph.Options{})
			if err != nil {
				b.Fatal(err)
			}
			x, y := cnnBatch(64, spec.InputSize(), 10)
			// The first step compiles the program for 64 rows.
			if _, err := e.Step(x, y, 64); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Step(x, y, 64); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCNNStepAllocs checks that a steady-state step of the digits CNN
// allocates nothing: every op on its path runs a native kernel.
func TestCNNStepAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	spec := cnnSpec(1, 8, 8, 10, digitsCNN)
	e, err := graph.New(spec, graph.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	x, y := cnnBatch(16, spec.InputSize(), 10)
	if _, err := e.Step(x, y, 16); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(5, func() {
		if _, err := e.Step(x, y, 16); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("a step allocates %v times", n)
	}
}
