package ops_test

import (
	"fmt"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/ops"
)

func TestEmbeddingErrors(t *testing.T) {
	if _, err := ops.Embedding(vec(3), vec(4)); err == nil || !strings.Contains(err.Error(), "ops: embedding needs a weight (num_embeddings, embedding_dim), got shape (4)") {
		t.Errorf("vector weight: %v", err)
	}
	g := G.NewGraph()
	ids := input(g, "ids", []float64{0, 3}, 2)
	w := input(g, "w", []float64{1, 2, 3, 4, 5, 6}, 3, 2)
	y := G.Must(ops.Embedding(ids, w))
	if _, err := run(g, y); err == nil || !strings.Contains(err.Error(), "ops: embedding: row 1 holds id 3; ids must be integers in [0, 3)") {
		t.Errorf("id 3 of 3: %v", err)
	}
}

// ExampleEmbedding looks up rows of a (3, 2) table for (2, 2) ids, and
// scatter-adds an upstream gradient of ones back into the rows.
func ExampleEmbedding() {
	g := G.NewGraph()
	ids := input(g, "ids", []float64{2, 0, 2, 2}, 2, 2)
	w := input(g, "w", []float64{1, 2, 3, 4, 5, 6}, 3, 2)
	y := G.Must(ops.Embedding(ids, w))
	loss := G.Must(G.Sum(G.Must(G.Reshape(y, []int{8}))))
	grads, err := G.Grad(loss, w)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := run(g, y, grads[0])
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(y.Shape(), out[0])
	fmt.Println("∂w", out[1])
	// Output:
	// (2, 2, 2) [5 6 1 2 5 6 5 6]
	// ∂w [1 1 0 0 3 3]
}
