package graph_test

import (
	"runtime"
	"testing"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
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
