package modelfile

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
)

type torchCNN struct {
	Model             string   `json:"model"`
	InputShape        []int    `json:"input_shape"`
	X                 []string `json:"x"`
	Logits            []string `json:"logits"`
	Probs             []string `json:"probs"`
	Classes           []int    `json:"classes"`
	NumBatchesTracked int      `json:"num_batches_tracked"`
}

func hexFloats(t *testing.T, s []string) []float64 {
	out := make([]float64, len(s))
	for i, h := range s {
		v, err := strconv.ParseFloat(h, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = v
	}
	return out
}

// TestTorchStateDictPredicts loads a state_dict PyTorch trained and saved
// (testdata/torch/gen.py: conv2d, batchnorm2d with running statistics,
// relu, maxpool2d, flatten, linear, gelu, linear) and predicts the same
// classes and probabilities as torch in evaluation mode: to 1e-12 from the
// F64 file, to float32 precision from the F32 one.
func TestTorchStateDictPredicts(t *testing.T) {
	b, err := os.ReadFile("testdata/torch/cnn.json")
	if err != nil {
		t.Fatal(err)
	}
	var g torchCNN
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	x, probs, logits := hexFloats(t, g.X), hexFloats(t, g.Probs), hexFloats(t, g.Logits)
	n := len(g.Classes)
	d := len(x) / n
	features := make([]string, d)
	for i := range features {
		features[i] = fmt.Sprintf("p%d", i)
	}
	ds := &data.Dataset{Name: "torch", Features: features, Target: "label", X: x, Y: make([]float64, n), N: n, D: d}
	for _, c := range []struct {
		file string
		tol  float64
	}{{"testdata/torch/cnn_f64.safetensors", 1e-12}, {"testdata/torch/cnn_f32.safetensors", 1e-5}} {
		t.Run(c.file, func(t *testing.T) {
			f, err := Load(c.file)
			if err != nil {
				t.Fatal(err)
			}
			if !f.Bare() {
				t.Fatal("a torch state_dict should be bare")
			}
			if nbt := f.Params["1.num_batches_tracked"].Data; len(nbt) != 1 || int(nbt[0]) != g.NumBatchesTracked {
				t.Errorf("num_batches_tracked = %v, want %d", nbt, g.NumBatchesTracked)
			}
			if err := f.Describe(g.Model, g.InputShape, features, 10, 10); err != nil {
				t.Fatal(err)
			}
			p, err := Predict(f, ds)
			if err != nil {
				t.Fatal(err)
			}
			worstP, worstL := 0.0, 0.0
			for i := 0; i < n; i++ {
				c, _ := p.Class(i)
				if c != g.Classes[i] {
					t.Errorf("row %d: class %d, torch %d", i, c, g.Classes[i])
				}
				for j, v := range p.Probabilities(i) {
					worstP = math.Max(worstP, math.Abs(v-probs[i*10+j]))
				}
				for j := 0; j < 10; j++ {
					worstL = math.Max(worstL, math.Abs(p.Values[i*10+j]-logits[i*10+j])/math.Max(1, math.Abs(logits[i*10+j])))
				}
			}
			t.Logf("largest difference from torch: probabilities %.2g, logits %.2g (relative)", worstP, worstL)
			if worstP > c.tol || worstL > c.tol {
				t.Errorf("probabilities differ by %.3g and logits by %.3g, want <= %g", worstP, worstL, c.tol)
			}
		})
	}
}

// TestMisshapenTensorNamesTheLayer: a state_dict whose linear weight
// expects another input size names the layer and both sizes.
func TestMisshapenTensorNamesTheLayer(t *testing.T) {
	f, err := Load("testdata/torch/cnn_f64.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	spec := "conv2d(4,3,padding=1) batchnorm2d relu maxpool2d(2) flatten linear(16) gelu linear(10)"
	features := make([]string, 100)
	for i := range features {
		features[i] = fmt.Sprint("p", i)
	}
	if err := f.Describe(spec, []int{1, 10, 10}, features, 10, 10); err != nil {
		t.Fatal(err)
	}
	_, err = f.Engine(graph.Options{})
	want := "modelfile: layer 5 linear(16): parameter 5.weight has shape [16 64] in the file but [16 100] in the model: its input has 100 features, the file's weight expects 64"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}
