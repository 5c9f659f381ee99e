package nn_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

func embeddingEngine(t testing.TB, dt tensor.Dtype) *graph.Engine {
	t.Helper()
	seq, err := nn.Parse("embedding(10,3) flatten linear(2)")
	if err != nil {
		t.Fatal(err)
	}
	e, err := models.Problem{Model: seq, Loss: "mse", Input: []int{4}, Target: []int{2}, Dtype: dt}.Engine(graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEmbeddingBadIDs: an id that is not an integer in [0, v) is an error
// naming the id, its row and its position, in training and prediction,
// in float64 and float32.
func TestEmbeddingBadIDs(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		e := embeddingEngine(t, dt)
		for _, c := range []struct {
			bad  float64
			want string
		}{
			{2.5, "row 2, position 1 holds id 2.5; ids must be integers in [0, 10)"},
			{-1, "row 2, position 1 holds id -1; ids must be integers in [0, 10)"},
			{10, "row 2, position 1 holds id 10; ids must be integers in [0, 10)"},
			{math.NaN(), "row 2, position 1 holds id NaN; ids must be integers in [0, 10)"},
			{math.Inf(1), "row 2, position 1 holds id +Inf"},
		} {
			X := make([]float64, 3*4)
			for i := range X {
				X[i] = float64(i % 10)
			}
			X[2*4+1] = c.bad
			if _, err := e.Predict(X, 3, nil); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v predict: %v, want %q", dt, err, c.want)
			}
			if _, err := e.Step(X, make([]float64, 3*2), 3); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v step: %v, want %q", dt, err, c.want)
			}
		}
	}
}

// TestEmbeddingGradient: the weight's gradient scatter-adds the upstream
// gradient into the rows looked up, so a repeated id accumulates and a
// row never looked up gets exactly zero.
func TestEmbeddingGradient(t *testing.T) {
	ids := []float64{1, 1, 1, 4}
	u := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	p := &probe{layer: nn.Seq(&nn.Embedding{NumEmbeddings: 6, EmbeddingDim: 2}), shape: []int{4}, ids: ids, up: u}
	e := p.engine(t, tensor.Float64, nil, nil)
	w := slices.Clone(e.Params()["0.weight"])
	if _, err := e.Step(nil, nil, 0); err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 0, 1 + 3 + 5, 2 + 4 + 6, 0, 0, 0, 0, 7, 8, 0, 0}
	if g := e.Grads()["0.weight"]; !slices.Equal(g, want) {
		t.Errorf("gradient %v, want %v", g, want)
	}
	wantY := []float64{w[2], w[3], w[2], w[3], w[2], w[3], w[8], w[9]}
	if y := e.Grads()["y"]; !slices.Equal(y, wantY) {
		t.Errorf("output %v, want %v", y, wantY)
	}
}

// TestEmbeddingInit: the weight starts from N(0, 1), torch's default.
func TestEmbeddingInit(t *testing.T) {
	seq, err := nn.Parse("embedding(1000,20) flatten linear(2)")
	if err != nil {
		t.Fatal(err)
	}
	e, err := models.Problem{Model: seq, Loss: "mse", Input: []int{1}, Target: []int{2}, Seed: 9}.Engine(graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := e.Params()["0.weight"]
	var m, v float64
	for _, x := range w {
		m += x
	}
	m /= float64(len(w))
	for _, x := range w {
		v += (x - m) * (x - m)
	}
	v /= float64(len(w))
	if n := float64(len(w)); math.Abs(m) > 5/math.Sqrt(n) || math.Abs(v-1) > 5*math.Sqrt(2/n) {
		t.Errorf("weight mean %v, variance %v; want N(0, 1)", m, v)
	}
}

func TestEmbeddingErrors(t *testing.T) {
	for _, c := range []struct{ spec, err string }{
		{"embedding(10)", "embedding needs its argument embedding_dim, as in embedding(num_embeddings, embedding_dim)"},
		{"embedding(0,3)", "num_embeddings must be in [1, 1073741824], got 0"},
		{"embedding(5,-2)", "embedding_dim must be in [1, 1073741824], got -2"},
	} {
		if _, err := nn.Parse(c.spec); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: %v, want %q", c.spec, err, c.err)
		}
	}
	seq, err := nn.Parse("embedding(5,2)")
	if err != nil {
		t.Fatal(err)
	}
	_, err = models.Problem{Model: seq, Loss: "mse", Input: []int{2, 3}, Target: []int{1}}.Engine(graph.Options{})
	if want := "embedding needs ids of shape (batch) or (batch, length), got shape (1, 2, 3)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("3-d ids: %v, want %q", err, want)
	}
}

// ExampleEmbedding looks up a row of the table per id: (n, l) ids give
// (n, l, embedding_dim), flattened here for a linear layer.
func ExampleEmbedding() {
	seq, err := nn.Parse("embedding(20,4) flatten linear(3)")
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := models.Problem{Model: seq, Loss: "xent", Input: []int{5}, Target: []int{3}}.Engine(graph.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range e.Spec().Params {
		fmt.Println(p.Name, p.Shape)
	}
	ids := []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}
	pred, err := e.Predict(ids, 2, nil)
	fmt.Println(len(pred), err)
	// Output:
	// 0.weight [20 4]
	// 2.weight [3 20]
	// 2.bias [3]
	// 6 <nil>
}
