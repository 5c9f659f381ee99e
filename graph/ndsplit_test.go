package graph_test

import (
	"math"
	"testing"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

// TestImageBatchesSplitIntoRowBlocks: a convolutional network on n-d rows
// (1×6×6 images) gives the same loss and gradients whether a batch runs
// whole or split into row blocks over workers; a network with batch norm
// is never split, and still gives the whole batch's.
func TestImageBatchesSplitIntoRowBlocks(t *testing.T) {
	const n = 37
	for _, spec := range []string{
		"conv2d(3,3,padding=1) relu maxpool2d(2) flatten linear(4)",
		"conv2d(3,3,padding=1,bias=false) batchnorm2d relu flatten linear(4)",
	} {
		t.Run(spec, func(t *testing.T) {
			run := func(opt graph.Options) (float64, map[string][]float64, bool) {
				seq, err := nn.Parse(spec)
				if err != nil {
					t.Fatal(err)
				}
				e, err := models.Problem{Model: seq, Loss: "xent", Input: []int{1, 6, 6}, Target: []int{4}, Seed: 3}.Engine(opt)
				if err != nil {
					t.Fatal(err)
				}
				X, Y := uniform(5, n*36, -1, 1), onehot(6, n, 4)
				l, err := e.Step(X, Y, n)
				if err != nil {
					t.Fatal(err)
				}
				g := map[string][]float64{}
				for k, v := range e.Grads() {
					g[k] = append([]float64(nil), v...)
				}
				return l, g, e.Batchwise()
			}
			l1, g1, bw := run(graph.Options{Workers: 1, BlockRows: 1000})
			l2, g2, _ := run(graph.Options{Workers: 2, BlockRows: 5})
			if math.Abs(l1-l2) > 1e-12*math.Abs(l1) {
				t.Errorf("loss whole %v, split %v", l1, l2)
			}
			for k, v := range g1 {
				for i := range v {
					if math.Abs(v[i]-g2[k][i]) > 1e-12*math.Max(1, math.Abs(v[i])) {
						t.Fatalf("%s[%d]: whole %v, split %v", k, i, v[i], g2[k][i])
					}
				}
			}
			t.Logf("batchwise %v", bw)
		})
	}
}
