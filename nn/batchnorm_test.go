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

// bnProblem is linear(3) batchnorm1d on 4 features, with mse.
func bnProblem(t testing.TB, bn nn.Module, opt graph.Options) *graph.Engine {
	t.Helper()
	e, err := models.Problem{Model: nn.Seq(&nn.Linear{OutFeatures: 3}, bn), Loss: "mse",
		Input: []int{4}, Target: []int{3}, Seed: 3}.Engine(opt)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func randData(seed uint64, n, d int) []float64 {
	return normals(rand.New(rand.NewPCG(seed, 1)), n*d)
}

// hidden is the linear layer's output x·Wᵀ + b for the engine's params.
func hidden(e *graph.Engine, X []float64, n int) []float64 {
	W, b := e.Params()["0.weight"], e.Params()["0.bias"]
	h := make([]float64, n*3)
	for i := range n {
		for o := range 3 {
			s := b[o]
			for k := range 4 {
				s += X[i*4+k] * W[o*4+k]
			}
			h[i*3+o] = s
		}
	}
	return h
}

// colStats returns each column's mean and biased and unbiased variance.
func colStats(h []float64, n, c int) (mean, biased, unbiased []float64) {
	mean, biased, unbiased = make([]float64, c), make([]float64, c), make([]float64, c)
	for j := range c {
		for i := range n {
			mean[j] += h[i*c+j]
		}
		mean[j] /= float64(n)
		var ss float64
		for i := range n {
			d := h[i*c+j] - mean[j]
			ss += d * d
		}
		biased[j], unbiased[j] = ss/float64(n), ss/float64(n-1)
	}
	return
}

// TestBatchNormModes checks torch's mode semantics through the engine:
// Loss and Predict (evaluation) never touch the buffers, each training
// Step updates them once with the unbiased batch variance, evaluation
// normalizes with the running statistics, and a training batch is never
// split into row blocks.
func TestBatchNormModes(t *testing.T) {
	const n = 8
	X, Y := randData(1, n, 4), randData(2, n, 3)
	e := bnProblem(t, &nn.BatchNorm1d{}, graph.Options{})
	if got := e.BufferSpecs(); len(got) != 3 || got[0].Name != "1.running_mean" || got[1].Name != "1.running_var" || got[2].Name != "1.num_batches_tracked" {
		t.Fatalf("buffers %v", got)
	}
	start := clone(e.Buffers())
	if !slices.Equal(start["1.running_mean"], []float64{0, 0, 0}) || !slices.Equal(start["1.running_var"], []float64{1, 1, 1}) || start["1.num_batches_tracked"][0] != 0 {
		t.Fatalf("initial buffers %v, want zeros, ones and 0", start)
	}
	// Evaluation: running statistics (0, 1), so batch norm is x/√(1+ε)·γ + β.
	evalLoss, err := e.Loss(X, Y, n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Predict(X, n, nil); err != nil {
		t.Fatal(err)
	}
	for k, v := range start {
		if !slices.Equal(e.Buffers()[k], v) {
			t.Errorf("Loss or Predict changed buffer %s: %v → %v", k, v, e.Buffers()[k])
		}
	}
	if e.Steps() != 0 {
		t.Errorf("Loss and Predict advanced the step count to %d", e.Steps())
	}
	h := hidden(e, X, n)
	mean, biased, unbiased := colStats(h, n, 3)
	trainLoss, err := e.Step(X, Y, n)
	if err != nil {
		t.Fatal(err)
	}
	if trainLoss == evalLoss {
		t.Errorf("the training loss equals the evaluation loss (%v): batch statistics were not used", trainLoss)
	}
	b := e.Buffers()
	for j := range 3 {
		wm, wv := 0.1*mean[j], 0.9+0.1*unbiased[j]
		if math.Abs(b["1.running_mean"][j]-wm) > 1e-14 || math.Abs(b["1.running_var"][j]-wv) > 1e-14 {
			t.Errorf("channel %d: running (%v, %v), want (%v, %v)", j, b["1.running_mean"][j], b["1.running_var"][j], wm, wv)
		}
	}
	if b["1.num_batches_tracked"][0] != 1 {
		t.Errorf("num_batches_tracked %v after one step", b["1.num_batches_tracked"][0])
	}
	if _, err := e.Step(X, Y, n); err != nil {
		t.Fatal(err)
	}
	if got := e.Buffers()["1.num_batches_tracked"][0]; got != 2 {
		t.Errorf("num_batches_tracked %v after two steps", got)
	}
	// With the running statistics set to the batch's own (biased)
	// statistics, evaluation computes what training does.
	if err := e.SetBuffers(map[string][]float64{"1.running_mean": mean, "1.running_var": biased}); err != nil {
		t.Fatal(err)
	}
	e2 := bnProblem(t, &nn.BatchNorm1d{}, graph.Options{})
	if err := e2.SetBuffers(map[string][]float64{"1.running_mean": mean, "1.running_var": biased}); err != nil {
		t.Fatal(err)
	}
	l1, err := e2.Loss(X, Y, n)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(l1-trainLoss) > 1e-14*math.Abs(trainLoss) {
		t.Errorf("evaluation with the batch's statistics gives %v, training %v", l1, trainLoss)
	}
	if !e.Batchwise() {
		t.Error("a model with batch norm must be batchwise")
	}
}

// TestBatchNormPredictSplits checks that evaluation, which is row-wise,
// may be split into row blocks (the same prediction in blocks of 7 rows
// and whole), while without running statistics evaluation uses the whole
// batch's statistics and is never split.
func TestBatchNormPredictSplits(t *testing.T) {
	const n = 50
	X := randData(4, n, 4)
	whole := bnProblem(t, &nn.BatchNorm1d{}, graph.Options{})
	blocks := bnProblem(t, &nn.BatchNorm1d{}, graph.Options{BlockRows: 7, Workers: 1})
	for _, e := range []*graph.Engine{whole, blocks} {
		if err := e.SetBuffers(map[string][]float64{"1.running_mean": {0.1, -0.2, 0.3}, "1.running_var": {0.5, 2, 1.5}}); err != nil {
			t.Fatal(err)
		}
	}
	a, err := whole.Predict(X, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := blocks.Predict(X, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a, b) {
		t.Error("an evaluation in row blocks differs from the whole batch's")
	}

	f := false
	e := bnProblem(t, &nn.BatchNorm1d{TrackRunningStats: &f, Affine: &f}, graph.Options{BlockRows: 7, Workers: 1})
	if len(e.BufferSpecs()) != 0 {
		t.Fatalf("track_running_stats=false declares buffers %v", e.BufferSpecs())
	}
	y, err := e.Predict(X, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := hidden(e, X, n)
	mean, biased, _ := colStats(h, n, 3)
	for i := range n {
		for j := range 3 {
			want := (h[i*3+j] - mean[j]) / math.Sqrt(biased[j]+1e-5)
			if math.Abs(y[i*3+j]-want) > 1e-13 {
				t.Fatalf("row %d col %d: %v, want %v from the whole batch's statistics", i, j, y[i*3+j], want)
			}
		}
	}
}

// TestBatchNormErrors checks the messages for bad inputs and options.
func TestBatchNormErrors(t *testing.T) {
	e := bnProblem(t, &nn.BatchNorm1d{}, graph.Options{})
	_, err := e.Step(randData(1, 1, 4), randData(2, 1, 3), 1)
	if err == nil || !strings.Contains(err.Error(), "batch norm in training needs more than one value per channel, got an input of shape (1, 3)") {
		t.Errorf("one row in training: %v", err)
	}
	if _, err := e.Predict(randData(1, 1, 4), 1, nil); err != nil {
		t.Errorf("one row in evaluation: %v", err)
	}
	for _, c := range []struct{ spec, err string }{
		{"batchnorm1d(momentum=1.5)", "momentum must be in [0,1], got 1.5"},
		{"batchnorm2d(eps=-1)", "eps must be a finite number > 0, got -1"},
		{"batchnorm1d(affine=2)", "affine of batchnorm1d must be true or false"},
		{"batchnorm1d(3)", "batchnorm1d takes 0 positional argument(s)"},
	} {
		if _, err := nn.Parse(c.spec); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: %v, want %q", c.spec, err, c.err)
		}
	}
	for _, c := range []struct {
		spec  string
		input []int
		err   string
	}{
		{"batchnorm2d", []int{3}, "layer 0 batchnorm2d: batchnorm2d needs (batch, channels, height, width), got shape (1, 3)"},
		{"batchnorm1d", []int{2, 3, 4}, "layer 0 batchnorm1d: batchnorm1d needs (batch, features) or (batch, channels, length), got shape (1, 2, 3, 4)"},
	} {
		seq, err := nn.Parse(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		_, err = models.Problem{Model: seq, Loss: "mse", Input: c.input, Target: c.input}.Engine(graph.Options{})
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s on %v: %v, want %q", c.spec, c.input, err, c.err)
		}
	}
}

// TestBatchNorm2dFloat32 runs a training step in float32 and compares it
// with float64.
func TestBatchNorm2dFloat32(t *testing.T) {
	seq := nn.Seq(&nn.BatchNorm2d{}, &nn.Flatten{})
	X := randData(7, 5, 2*3*3)
	Y := randData(8, 5, 2*3*3)
	var grads [2]map[string][]float64
	var bufs [2]map[string][]float64
	for i, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		e, err := models.Problem{Model: seq, Loss: "mse", Input: []int{2, 3, 3}, Target: []int{18}, Dtype: dt}.Engine(graph.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Step(X, Y, 5); err != nil {
			t.Fatal(err)
		}
		grads[i], bufs[i] = clone(e.Grads()), clone(e.Buffers())
	}
	for _, k := range sortedNames(grads[0]) {
		check(t, "float32 gradient of "+k, grads[1][k], grads[0][k], 1e-5)
	}
	for _, k := range sortedNames(bufs[0]) {
		check(t, "float32 buffer "+k, bufs[1][k], bufs[0][k], 1e-6)
	}
}

// ExampleBatchNorm1d trains one step of a network with batch norm and
// shows its state_dict names and the step counter.
func ExampleBatchNorm1d() {
	seq, err := nn.Parse("linear(3) batchnorm1d(momentum=0.2) relu linear(2)")
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := models.Problem{Model: seq, Loss: "mse", Input: []int{4}, Target: []int{2}}.Engine(graph.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	X, Y := randData(1, 6, 4), randData(2, 6, 2)
	if _, err := e.Step(X, Y, 6); err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range e.Spec().Params {
		fmt.Println("param ", p.Name, p.Shape)
	}
	for _, b := range e.BufferSpecs() {
		fmt.Println("buffer", b.Name, b.Shape)
	}
	fmt.Println("num_batches_tracked:", e.Buffers()["1.num_batches_tracked"][0])
	// Output:
	// param  0.weight [3 4]
	// param  0.bias [3]
	// param  1.weight [3]
	// param  1.bias [3]
	// param  3.weight [2 3]
	// param  3.bias [2]
	// buffer 1.running_mean [3]
	// buffer 1.running_var [3]
	// buffer 1.num_batches_tracked []
	// num_batches_tracked: 1
}

// TestBatchNormGrammar: every option round-trips through Parse and
// Format, momentum 0 included (it is a value of its own, not the default).
func TestBatchNormGrammar(t *testing.T) {
	for _, c := range []struct{ spec, format string }{
		{"batchnorm1d", "batchnorm1d"},
		{"batchnorm1d(eps=0.001, momentum=0.3)", "batchnorm1d(eps=0.001,momentum=0.3)"},
		{"batchnorm1d(momentum=0)", "batchnorm1d(momentum=0)"},
		{"batchnorm2d(affine=false,track_running_stats=false)", "batchnorm2d(affine=false,track_running_stats=false)"},
		{"BatchNorm2d(track_running_stats=true)", "batchnorm2d(track_running_stats=true)"},
	} {
		seq, err := nn.Parse(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := nn.Format(seq); err != nil || got != c.format {
			t.Errorf("Format(Parse(%q)) = %q, %v; want %q", c.spec, got, err, c.format)
		}
	}
	for _, name := range []string{"batchnorm1d", "batchnorm2d"} {
		u, err := nn.Usage(name)
		if err != nil || u != name+"(eps=, momentum=, affine=, track_running_stats=)" {
			t.Errorf("Usage(%s) = %q, %v", name, u, err)
		}
	}
}
