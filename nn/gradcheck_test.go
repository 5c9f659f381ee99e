package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// TestFiniteDifferences checks every layer's gradients, input and
// parameters, against central finite differences of the float64 loss,
// through graph.Engine: the float64 gradient to models.FDTol64 and the
// float32 one to models.Tol32, both relative to the largest gradient
// value (models.GradCheck's measure). The cases are the golden ones, in
// each of their modes, with inputs moved off the kinks of relu and
// friends, plus dropout in training: its mask is fixed for a given seed
// and step, so its loss is smooth in x. A training loss is evaluated with
// Step, the buffers and the step count restored after each evaluation.
func TestFiniteDifferences(t *testing.T) {
	lg, _ := loadGolden(t)
	cases := append([]layerCase(nil), lg.Cases...)
	rng := rand.New(rand.NewPCG(5, 6))
	for _, x := range []struct {
		name, spec string
		shape      []int
		out        int
	}{
		{"dropout/p=0.3", "dropout(0.3)", []int{6, 5}, 30},
		{"dropout/3d", "dropout", []int{2, 3, 4}, 24},
		{"dropout/linear", "linear(4) dropout(0.4) linear(2)", []int{5, 3}, 10},
	} {
		c := layerCase{Name: x.name, Spec: x.spec, Shape: x.shape, Params: map[string][]float64{},
			Modes: map[string]modeResult{"train": {}, "eval": {}}}
		c.X = normals(rng, shapeSize(x.shape))
		c.Upstream = normals(rng, x.out)
		cases = append(cases, c)
	}
	for i := range cases {
		c := &cases[i]
		if !c.IDs {
			c.X = offKinks(c.X)
		}
		for _, mode := range sortedNames(c.Modes) {
			t.Run(c.Name+"/"+mode, func(t *testing.T) {
				p := probeOf(t, c, mode == "eval")
				e := p.engine(t, tensor.Float64, caseParams(c), c.Buffers)
				params := e.Spec().Params
				want, err := finiteDiff(e, params)
				if err != nil {
					t.Fatal(err)
				}
				for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
					e := p.engine(t, dt, caseParams(c), c.Buffers)
					if _, err := e.Step(nil, nil, 0); err != nil {
						t.Fatal(err)
					}
					tol := models.FDTol64
					if dt == tensor.Float32 {
						tol = models.Tol32
					}
					if d := relErr(e.Grads(), want, params); d > tol {
						t.Errorf("%v: gradient vs central differences: relative error %.1e > %.0e", dt, d, tol)
					}
				}
			})
		}
	}
}

// finiteDiff is the central-difference gradient of the engine's loss
// (gonum's diff/fd) with respect to every parameter. Each evaluation is a
// Step, in the mode the probe builds, whose buffer updates and step count
// are undone.
func finiteDiff(e *graph.Engine, params []graph.Param) (map[string][]float64, error) {
	var theta []float64
	for _, p := range params {
		theta = append(theta, e.Params()[p.Name]...)
	}
	saved := append([]float64(nil), theta...)
	bufs := clone(e.Buffers())
	steps := e.Steps()
	set := func(x []float64) {
		off := 0
		for _, p := range params {
			copy(e.Params()[p.Name], x[off:off+p.Size()])
			off += p.Size()
		}
	}
	var ferr error
	f := func(x []float64) float64 {
		set(x)
		j, err := e.Step(nil, nil, 0)
		if err != nil {
			ferr = err
		}
		if err := e.SetBuffers(bufs); err != nil {
			ferr = err
		}
		if err := e.SetSteps(steps); err != nil {
			ferr = err
		}
		return j
	}
	g := fd.Gradient(nil, f, theta, &fd.Settings{Formula: fd.Central})
	set(saved)
	if ferr != nil {
		return nil, ferr
	}
	out := map[string][]float64{}
	off := 0
	for _, p := range params {
		out[p.Name] = g[off : off+p.Size()]
		off += p.Size()
	}
	return out, nil
}

// relErr is max|a−b| / max|b| over every parameter.
func relErr(a, b map[string][]float64, params []graph.Param) float64 {
	var diff, scale float64
	for _, p := range params {
		for i, v := range b[p.Name] {
			diff = math.Max(diff, math.Abs(a[p.Name][i]-v))
			if math.IsNaN(a[p.Name][i]) {
				diff = math.Inf(1)
			}
			scale = math.Max(scale, math.Abs(v))
		}
	}
	if scale == 0 {
		return diff
	}
	return diff / scale
}

// offKinks moves values within 0.1 of zero away from it, where relu,
// leaky relu and elu have kinks that central differences straddle.
func offKinks(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		if math.Abs(v) < 0.1 {
			v += 0.37
		}
		out[i] = v
	}
	return out
}

func normals(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

func shapeSize(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}
