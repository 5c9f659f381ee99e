package plot

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestConcurrentUse: a trainer may write several pictures at once.
func TestConcurrentUse(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() {
			p := filepath.Join(dir, fmt.Sprintf("%d.png", i))
			if i%2 == 0 {
				errs[i] = Lines(p, lrComparison(), Options{LogY: true, DPI: 40})
			} else {
				errs[i] = Contour(p, bumpy, [2]float64{-5, 5}, [2]float64{-5, 5}, nil, Options{Resolution: 21, DPI: 40})
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("picture %d: %v", i, err)
		}
	}
}
