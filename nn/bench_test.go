package nn_test

import (
	"testing"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

// BenchmarkLayerStep measures one training step (forward, backward,
// buffer updates) of a 32-64-10 network on a batch of 128, with each of
// the layers of this package between the two linear layers, beside the
// plain network; the embedding row looks up 8 ids per row in a 100×8
// table instead.
func BenchmarkLayerStep(b *testing.B) {
	const n = 128
	for _, c := range []struct {
		name, spec string
		d          int
	}{
		{"plain", "linear(64) relu linear(10)", 32},
		{"batchnorm1d", "linear(64) batchnorm1d relu linear(10)", 32},
		{"layernorm", "linear(64) layernorm relu linear(10)", 32},
		{"dropout", "linear(64) relu dropout(0.2) linear(10)", 32},
		{"embedding", "embedding(100,8) flatten linear(64) relu linear(10)", 8},
	} {
		b.Run(c.name, func(b *testing.B) {
			seq, err := nn.Parse(c.spec)
			if err != nil {
				b.Fatal(err)
			}
			e, err := models.Problem{Model: seq, Loss: "xent", Input: []int{c.d}, Target: []int{10}}.Engine(graph.Options{Workers: 1})
			if err != nil {
				b.Fatal(err)
			}
			X := randData(1, n, c.d)
			if c.name == "embedding" {
				for i := range X {
					X[i] = float64(i * 7 % 100)
				}
			}
			Y := make([]float64, n*10)
			for i := range n {
				Y[i*10+i%10] = 1
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Step(X, Y, n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLayerStepAllocations checks that the layers' kernels allocate
// nothing once compiled: a steady-state training Step (and Predict) of
// each network allocates no more than the same network without the layer
// (graph's own per-step allocations, see graph.TestStepAllocations).
func TestLayerStepAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are measured without -short")
	}
	const n = 16
	count := func(spec string, d int, ids bool) (step, predict float64) {
		seq, err := nn.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		e, err := models.Problem{Model: seq, Loss: "xent", Input: []int{d}, Target: []int{3}}.Engine(graph.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		X := randData(1, n, d)
		if ids {
			for i := range X {
				X[i] = float64(i % 10)
			}
		}
		Y := make([]float64, n*3)
		for i := range n {
			Y[i*3+i%3] = 1
		}
		out := make([]float64, n*3)
		run := func() {
			if _, err := e.Step(X, Y, n); err != nil {
				t.Fatal(err)
			}
		}
		pred := func() {
			if _, err := e.Predict(X, n, out); err != nil {
				t.Fatal(err)
			}
		}
		run()
		pred()
		return testing.AllocsPerRun(20, run), testing.AllocsPerRun(20, pred)
	}
	baseStep, basePred := count("linear(8) relu linear(3)", 4, false)
	for _, c := range []struct {
		spec string
		d    int
		ids  bool
	}{
		{"linear(8) batchnorm1d relu linear(3)", 4, false},
		{"linear(8) batchnorm1d(track_running_stats=false) relu linear(3)", 4, false},
		{"linear(8) layernorm relu linear(3)", 4, false},
		{"linear(8) relu dropout(0.3) linear(3)", 4, false},
		{"embedding(10,2) flatten linear(8) relu linear(3)", 2, true},
	} {
		s, p := count(c.spec, c.d, c.ids)
		if s > baseStep || p > basePred {
			t.Errorf("%s: %v allocations per Step and %v per Predict; the network without the layer makes %v and %v", c.spec, s, p, baseStep, basePred)
		}
	}
}
