package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

func ptr[T any](v T) *T { return &v }

// dropoutRun is one training Step of a dropout probe on x (upstream
// gradient U): the output and the input gradient.
type dropoutRun struct{ y, dx []float64 }

func dropoutProbe(t testing.TB, layer nn.Module, x, u []float64, shape []int, dt tensor.Dtype, seed uint64, eval bool) *graph.Engine {
	t.Helper()
	p := &probe{layer: layer, shape: shape, up: u, eval: eval}
	spec := p.spec(dt)
	spec.Seed = seed
	e, err := graph.New(spec, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SetParams(map[string][]float64{"x": x}); err != nil {
		t.Fatal(err)
	}
	return e
}

func step(t testing.TB, e *graph.Engine) dropoutRun {
	t.Helper()
	if _, err := e.Step(nil, nil, 0); err != nil {
		t.Fatal(err)
	}
	return dropoutRun{y: slices.Clone(e.Grads()["y"]), dx: slices.Clone(e.Grads()["x"])}
}

func kept(y []float64) []bool {
	k := make([]bool, len(y))
	for i, v := range y {
		k[i] = v != 0
	}
	return k
}

// TestDropoutTraining checks inverted dropout's statistics and exact
// scaling: the fraction of zeros is p within 5 standard deviations of a
// binomial, every kept value is x/(1−p), and the gradient is
// U·keep/(1−p), the same mask.
func TestDropoutTraining(t *testing.T) {
	const rows, cols = 100, 100
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, rows*cols)
	for i := range x {
		x[i] = 0.5 + rng.Float64() // never zero
	}
	u := normals(rng, rows*cols)
	for _, p := range []float64{0.1, 0.3, 0.5, 0.9} {
		e := dropoutProbe(t, nn.Seq(&nn.Dropout{P: ptr(p)}), x, u, []int{rows, cols}, tensor.Float64, 7, false)
		r := step(t, e)
		scale := 1 / (1 - p)
		zeros := 0
		for i, v := range r.y {
			switch {
			case v == 0:
				zeros++
				if r.dx[i] != 0 {
					t.Fatalf("p=%v: element %d is dropped but its gradient is %v", p, i, r.dx[i])
				}
			case v != x[i]*scale:
				t.Fatalf("p=%v: element %d is %v, want x/(1−p) = %v", p, i, v, x[i]*scale)
			case r.dx[i] != u[i]*scale:
				t.Fatalf("p=%v: gradient %d is %v, want U/(1−p) = %v", p, i, r.dx[i], u[i]*scale)
			}
		}
		n := float64(rows * cols)
		frac, sd := float64(zeros)/n, math.Sqrt(p*(1-p)/n)
		if math.Abs(frac-p) > 5*sd {
			t.Errorf("p=%v: %.4f of the elements are dropped (5σ = %.4f)", p, frac, 5*sd)
		}
		// The mean of the output is the mean of the input, in expectation.
		var mx, my float64
		for i := range x {
			mx += x[i]
			my += r.y[i]
		}
		if rel := math.Abs(my-mx) / mx; rel > 5*math.Sqrt(p/(1-p)/n)*1.2 {
			t.Errorf("p=%v: the output's mean is off the input's by %.4f (relative)", p, rel)
		}
	}
}

// TestDropoutModes: evaluation and p = 0 are exact identities (the
// gradient is U), p = 1 gives zeros and a zero gradient, and the
// evaluation loss is the loss without dropout.
func TestDropoutModes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x, u := normals(rng, 60), normals(rng, 60)
	shape := []int{6, 10}
	for _, c := range []struct {
		name  string
		layer *nn.Dropout
		eval  bool
		zero  bool
	}{
		{"eval", &nn.Dropout{}, true, false},
		{"eval p=0.9", &nn.Dropout{P: ptr(0.9)}, true, false},
		{"train p=0", &nn.Dropout{P: ptr(0.0)}, false, false},
		{"train p=1", &nn.Dropout{P: ptr(1.0)}, false, true},
	} {
		r := step(t, dropoutProbe(t, nn.Seq(c.layer), x, u, shape, tensor.Float64, 1, c.eval))
		wantY, wantDX := x, u
		if c.zero {
			wantY, wantDX = make([]float64, 60), make([]float64, 60)
		}
		if !slices.Equal(r.y, wantY) || !slices.Equal(r.dx, wantDX) {
			t.Errorf("%s: output or gradient is not exact: %v / %v", c.name, r.y[:4], r.dx[:4])
		}
	}
	e := dropoutProbe(t, nn.Seq(&nn.Dropout{}), x, u, shape, tensor.Float64, 1, false)
	l1, err := e.Loss(nil, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var want float64
	for i := range x {
		want += x[i] * u[i]
	}
	if math.Abs(l1-want) > 1e-13*math.Abs(want) {
		t.Errorf("the evaluation loss %v is not the loss without dropout %v", l1, want)
	}
}

// TestDropoutDeterminism: a mask depends only on the engine's seed, the
// layer's name and the step. The same (seed, step) gives the same mask in
// float64 and float32; the next step, another seed or another layer give
// other masks; a fresh engine whose step count is restored (a resumed
// run) redraws the mask the original drew at that step.
func TestDropoutDeterminism(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, u := normals(rng, 400), normals(rng, 400)
	shape := []int{20, 20}
	layer := nn.Seq(&nn.Linear{OutFeatures: 20}, &nn.Dropout{P: ptr(0.5)})
	mk := func(dt tensor.Dtype, seed uint64) *graph.Engine {
		return dropoutProbe(t, layer, x, u, shape, dt, seed, false)
	}
	a := mk(tensor.Float64, 11)
	s0, s1 := kept(step(t, a).y), kept(step(t, a).y)
	if slices.Equal(s0, s1) {
		t.Error("steps 0 and 1 drew the same mask")
	}
	if got := kept(step(t, mk(tensor.Float64, 11)).y); !slices.Equal(got, s0) {
		t.Error("the same seed and step drew another mask")
	}
	if got := kept(step(t, mk(tensor.Float32, 11)).y); !slices.Equal(got, s0) {
		t.Error("float32 drew another mask than float64")
	}
	if got := kept(step(t, mk(tensor.Float64, 12)).y); slices.Equal(got, s0) {
		t.Error("another seed drew the same mask")
	}
	resumed := mk(tensor.Float64, 11)
	if err := resumed.SetSteps(1); err != nil {
		t.Fatal(err)
	}
	if got := kept(step(t, resumed).y); !slices.Equal(got, s1) {
		t.Error("a resumed engine at step 1 drew another mask than the original's step 1")
	}
	// Two dropout layers draw independent masks: with p = 0.5 each, about
	// a quarter of the elements survive both (half if they shared one).
	two := dropoutProbe(t, nn.Seq(&nn.Dropout{}, &nn.Dropout{}), x, u, shape, tensor.Float64, 11, false)
	n := 0
	for _, k := range kept(step(t, two).y) {
		if k {
			n++
		}
	}
	if frac := float64(n) / 400; math.Abs(frac-0.25) > 5*math.Sqrt(0.25*0.75/400) {
		t.Errorf("%.3f of the elements survive two dropouts of 0.5, want about 0.25", frac)
	}
	// The masks are keyed by the element's index in the whole batch, so a
	// training batch is never split into row blocks.
	seq := nn.Seq(&nn.Linear{OutFeatures: 3}, &nn.Dropout{})
	e, err := models.Problem{Model: seq, Loss: "mse", Input: []int{4}, Target: []int{3}}.Engine(graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Batchwise() {
		t.Error("a model with dropout must not be split into row blocks in training")
	}
}

// TestDropoutErrors checks the grammar's defaults and range checks.
func TestDropoutErrors(t *testing.T) {
	for _, c := range []struct{ spec, format string }{
		{"dropout", "dropout"},
		{"dropout(0)", "dropout(0)"},
		{"dropout(p=0.25)", "dropout(0.25)"},
		{"dropout(1)", "dropout(1)"},
	} {
		seq, err := nn.Parse(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := nn.Format(seq); err != nil || got != c.format {
			t.Errorf("Format(Parse(%q)) = %q, %v; want %q", c.spec, got, err, c.format)
		}
	}
	for _, c := range []struct{ spec, err string }{
		{"dropout(1.5)", "p must be in [0,1], got 1.5"},
		{"dropout(-0.1)", "p must be in [0,1], got -0.1"},
		{"dropout(x)", "p of dropout must be a finite number"},
	} {
		if _, err := nn.Parse(c.spec); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: %v, want %q", c.spec, err, c.err)
		}
	}
}

// ExampleDropout shows inverted dropout: in training each input of the
// linear layer is zeroed with probability p and the rest are scaled by
// 1/(1−p), so the weight's gradient shows which were kept; each step
// draws its own mask from the seed and the step. In evaluation dropout is
// the identity.
func ExampleDropout() {
	seq, err := nn.Parse("dropout(0.5) linear(1)")
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := models.Problem{Model: seq, Loss: "mse", Input: []int{8}, Target: []int{1}, Seed: 1}.Engine(graph.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ones := []float64{1, 1, 1, 1, 1, 1, 1, 1}
	if err := e.SetParams(map[string][]float64{"1.weight": ones, "1.bias": {0}}); err != nil {
		fmt.Println(err)
		return
	}
	X, Y := []float64{1, 2, 3, 4, 5, 6, 7, 8}, []float64{0}
	pred, err := e.Predict(X, 1, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("evaluation: Σx =", pred[0])
	for range 2 {
		step := e.Steps()
		if _, err := e.Step(X, Y, 1); err != nil {
			fmt.Println(err)
			return
		}
		mask := make([]int, 8)
		for i, g := range e.Grads()["1.weight"] {
			if g != 0 {
				mask[i] = 1
			}
		}
		fmt.Printf("training step %d keeps %v\n", step, mask)
	}
	// Output:
	// evaluation: Σx = 36
	// training step 0 keeps [0 0 0 1 0 0 0 1]
	// training step 1 keeps [1 0 1 0 1 1 0 1]
}

func TestDropoutUsage(t *testing.T) {
	if u, err := nn.Usage("dropout"); err != nil || u != "dropout(p)" {
		t.Errorf("Usage(dropout) = %q, %v", u, err)
	}
	if u, err := nn.Usage("embedding"); err != nil || u != "embedding(num_embeddings, embedding_dim)" {
		t.Errorf("Usage(embedding) = %q, %v", u, err)
	}
	if u, err := nn.Usage("layernorm"); err != nil || u != "layernorm(eps=, elementwise_affine=)" {
		t.Errorf("Usage(layernorm) = %q, %v", u, err)
	}
}
