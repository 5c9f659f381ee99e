package train

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
	"github.com/descent-ml/descent/optimizers"
)

var update = flag.Bool("update", false, "rewrite golden files: re-run testdata/gen_float32_golden.py with /usr/bin/python3 (PyTorch)")

// float32Torch is testdata/float32_torch.json (gen_float32_golden.py).
type float32Torch struct {
	Torch       string
	Spec        string
	N, D, K     int
	Steps       int
	LR          float64
	X           []float64
	Labels      []int
	Init, Final map[string][]float64
	Losses      []float64
}

// float32TorchTol bounds max|ours − torch| / max|torch| per tensor after
// 100 float32 Adam steps: the kernels differ (Descent's against ATen's
// summation orders), so the trajectories agree to float32 rounding
// amplified by the steps, not bit for bit.
const float32TorchTol = 1e-5

// TestFloat32TorchTrajectory trains a small MLP in float32 end to end
// (float32 engine, optimizers.New32's Adam) from torch's initial
// parameters and compares every step's loss and the final parameters with
// torch's float32 run, logging the largest difference in float32 ulps.
func TestFloat32TorchTrajectory(t *testing.T) {
	if *update {
		out, err := exec.Command("/usr/bin/python3", "testdata/gen_float32_golden.py").CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	b, err := os.ReadFile("testdata/float32_torch.json")
	require.NoError(t, err)
	var g float32Torch
	require.NoError(t, json.Unmarshal(b, &g))
	seq, err := nn.Parse(g.Spec)
	require.NoError(t, err)
	e, err := models.Problem{Model: seq, Loss: "xent", Input: []int{g.D}, Target: []int{g.K}, Dtype: tensor.Float32}.Engine(graph.Options{Workers: 1})
	require.NoError(t, err)
	require.NoError(t, e.SetParams(g.Init)) // float32 values: exact
	Y := make([]float64, g.N*g.K)
	for i, l := range g.Labels {
		Y[i*g.K+l] = 1
	}
	o, err := optimizers.New32(optimizers.Config{Name: "adam", LR: g.LR})
	require.NoError(t, err)
	require.NoError(t, o.Init(e.Params32()))
	var losses []float64
	rec := Funcs{Step: func(s *Step) error { losses = append(losses, s.Loss); return nil }}
	_, err = Run(context.Background(), e, Adapt32(o), Data{X: g.X, Y: Y, N: g.N, D: g.D, T: g.K}, nil, Config{Epochs: g.Steps}, rec)
	require.NoError(t, err)
	require.Len(t, losses, len(g.Losses))
	worstLoss := 0.0
	for i, l := range losses {
		worstLoss = math.Max(worstLoss, math.Abs(l-g.Losses[i])/math.Abs(g.Losses[i]))
	}
	require.LessOrEqual(t, worstLoss, float32TorchTol, "losses")
	worst, ulps := 0.0, 0
	for name, want := range g.Final {
		got := e.Params32()[name]
		require.Len(t, got, len(want), name)
		scale := 0.0
		for _, w := range want {
			scale = math.Max(scale, math.Abs(w))
		}
		for i, w := range want {
			worst = math.Max(worst, math.Abs(float64(got[i])-w)/scale)
			ulps = max(ulps, ulpDist(got[i], float32(w)))
		}
	}
	t.Logf("torch %s, %d float32 Adam steps: losses within %.1e, parameters within %.1e of each tensor's largest value, %d ulps at most", g.Torch, g.Steps, worstLoss, worst, ulps)
	require.LessOrEqual(t, worst, float32TorchTol, "final parameters")
}

// ulpDist is the number of float32 values between a and b.
func ulpDist(a, b float32) int {
	ord := func(f float32) int64 {
		i := int64(int32(math.Float32bits(f)))
		if i < 0 {
			i = math.MinInt32 - i
		}
		return i
	}
	d := ord(a) - ord(b)
	if d < 0 {
		d = -d
	}
	return int(d)
}
