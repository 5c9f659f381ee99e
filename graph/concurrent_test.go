package graph_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// TestConcurrentUseIsDetected runs Step on one Engine from two goroutines:
// every call either returns the right loss or ErrConcurrent, never a wrong
// loss, and the race detector sees no race. Before the check, about 80% of
// such steps returned wrong losses silently.
func TestConcurrentUseIsDetected(t *testing.T) {
	const n, d = 2000, 40
	e, err := models.Problem{Model: models.Linear{Features: d}}.Engine(graph.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	X, Y := uniform(1, n*d, -1, 1), uniform(2, n, -1, 1)
	want, err := e.Step(X, Y, n)
	if err != nil {
		t.Fatal(err)
	}
	var refused, wrong atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				l, err := e.Step(X, Y, n)
				switch {
				case errors.Is(err, graph.ErrConcurrent):
					refused.Add(1)
				case err != nil:
					t.Error(err)
				case l != want:
					wrong.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if wrong.Load() != 0 {
		t.Errorf("%d steps returned a wrong loss", wrong.Load())
	}
	if refused.Load() == 0 {
		t.Errorf("600 overlapping steps were never refused")
	}
	t.Logf("%d of 600 overlapping steps were refused with ErrConcurrent", refused.Load())
}
