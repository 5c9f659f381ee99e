package graph_test

import (
	"runtime"
	"testing"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

// TestMemoryFlatOverMillionSteps runs 10⁶ steady-state steps and checks that
// the live heap does not grow.
func TestMemoryFlatOverMillionSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("10⁶ steps")
	}
	X, Y := []float64{1, 2, 3, 4, 5}, []float64{3, 5, 7, 9, 11}
	e, err := models.Problem{Model: models.Linear{Features: 1}}.Engine(graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	step := func(n int) {
		for i := 0; i < n; i++ {
			if _, err := e.Step(X, Y, 5); err != nil {
				t.Fatal(err)
			}
			for k, g := range e.Grads() {
				e.Params()[k][0] -= 0.01 * g[0]
			}
		}
	}
	step(1000)
	before := heap()
	step(1_000_000)
	after := heap()
	t.Logf("live heap after 10³ steps %d B, after 10⁶ more %d B", before, after)
	if after > before+64<<10 {
		t.Errorf("live heap grew from %d to %d bytes over 10⁶ steps", before, after)
	}
}

// TestMemoryFlatConvNet is TestMemoryFlatOverMillionSteps for a small
// float32 convolutional network (convolution, ReLU, max pooling, a linear
// layer, cross-entropy) on batches of 2 images, stepped by hand: 10⁶
// steady-state steps must not grow the live heap, and none may allocate.
func TestMemoryFlatConvNet(t *testing.T) {
	if testing.Short() {
		t.Skip("10⁶ steps")
	}
	seq, err := nn.Parse("conv2d(2,3,padding=1) relu maxpool2d(2) flatten linear(3)")
	if err != nil {
		t.Fatal(err)
	}
	e, err := models.Problem{Model: seq, Loss: "xent", Input: []int{1, 4, 4}, Target: []int{3}, Dtype: tensor.Float32}.Engine(graph.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	X := make([]float64, 2*16)
	for i := range X {
		X[i] = float64(i%7) / 7
	}
	Y := []float64{1, 0, 0, 0, 0, 1}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	step := func(n int) {
		for i := 0; i < n; i++ {
			if _, err := e.Step(X, Y, 2); err != nil {
				t.Fatal(err)
			}
			for k, g := range e.Grads() {
				p := e.Params()[k]
				for j := range p {
					p[j] -= 1e-3 * g[j]
				}
			}
		}
	}
	step(1000)
	before := heap()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	step(1_000_000)
	runtime.ReadMemStats(&m1)
	after := heap()
	t.Logf("live heap after 10³ steps %d B, after 10⁶ more %d B; %d allocations in all", before, after, m1.Mallocs-m0.Mallocs)
	if after > before+64<<10 {
		t.Errorf("live heap grew from %d to %d bytes over 10⁶ steps", before, after)
	}
	if n := m1.Mallocs - m0.Mallocs; !raceEnabled && n > 1000 {
		t.Errorf("%d allocations over 10⁶ steps", n)
	}
}
