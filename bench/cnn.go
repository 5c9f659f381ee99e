package bench

import (
	"fmt"
	"math"
	"sync"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

// A network problem (cnn, epoch) names its parameters as PyTorch's
// nn.Sequential of the same layers does ("0.weight", "0.bias", "3.weight",
// …), with PyTorch's layouts; Descent declares them so, and the PyTorch
// peer reads and writes them by those names.

// netParam is one parameter of a network problem: its name, shape and the
// fan-in that scales its starting values.
type netParam struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
	Fan   int    `json:"fan"`
}

var netParamCache sync.Map // Problem.Net + input shape → []netParam

// netParams traces p's network once (per network and input shape) and
// lists its parameters in declaration order. A weight's fan-in is the
// product of its shape after the first axis (in·kh·kw for a convolution,
// in for a linear layer); a bias takes the fan-in of the weight declared
// before it, as PyTorch's default initialisation does.
func netParams(p Problem) ([]netParam, error) {
	key := fmt.Sprint(p.Net, p.Input, p.K)
	if v, ok := netParamCache.Load(key); ok {
		return v.([]netParam), nil
	}
	prob, err := netProblem(p, tensor.Float64)
	if err != nil {
		return nil, err
	}
	spec, err := prob.Spec()
	if err != nil {
		return nil, err
	}
	traced, _, err := graph.Trace(spec)
	if err != nil {
		return nil, fmt.Errorf("bench: %s: %w", p.Name, err)
	}
	out := make([]netParam, len(traced.Params))
	fan := 1
	for i, prm := range traced.Params {
		if len(prm.Shape) > 1 {
			fan = 1
			for _, d := range prm.Shape[1:] {
				fan *= d
			}
		}
		out[i] = netParam{Name: prm.Name, Shape: prm.Shape, Fan: fan}
	}
	netParamCache.Store(key, out)
	return out, nil
}

// netProblem is p's network with softmax cross-entropy as a models.Problem
// of the given dtype.
func netProblem(p Problem, dt tensor.Dtype) (models.Problem, error) {
	seq, err := nn.Parse(p.Net)
	if err != nil {
		return models.Problem{}, fmt.Errorf("bench: %s: %w", p.Name, err)
	}
	return models.Problem{Model: seq, Loss: "xent", Input: p.Input, Target: []int{p.K}, Dtype: dt}, nil
}

// netInit returns a network's starting parameters: the l-th parameter in
// declaration order (0-based), at flat index i and with fan-in f, starts at
//
//	sin(0.9·i + 0.013·i·(l+1) + 0.61·l + 1) / √f,
//
// the products rounded before they are added, as NewData's formulas are;
// bench/peers/common.py computes the same values.
func netInit(params []netParam) map[string][]float64 {
	out := make(map[string][]float64, len(params))
	for l, prm := range params {
		n := 1
		for _, d := range prm.Shape {
			n *= d
		}
		v := make([]float64, n)
		scale := 1 / math.Sqrt(float64(prm.Fan))
		fl := float64(l)
		for i := range v {
			fi := float64(i)
			v[i] = math.Sin(float64(0.9*fi)+float64(float64(0.013*fi)*(fl+1))+float64(0.61*fl)+1) * scale
		}
		out[prm.Name] = v
	}
	return out
}

// oneHot encodes class labels as n rows of k values.
func oneHot(class []int, k int) []float64 {
	y := make([]float64, len(class)*k)
	for i, c := range class {
		y[i*k+c] = 1
	}
	return y
}

// netLoss is the mean softmax cross-entropy of a network problem over the
// whole data set at params, computed in float64 by Descent's engine (whose
// convolution and pooling agree with PyTorch's to 1e-10).
func netLoss(p Problem, d *Data, params map[string][]float64) (float64, error) {
	prob, err := netProblem(p, tensor.Float64)
	if err != nil {
		return 0, err
	}
	e, err := prob.Engine(graph.Options{})
	if err != nil {
		return 0, fmt.Errorf("bench: %s: %w", p.Name, err)
	}
	if err := e.SetParams(params); err != nil {
		return 0, fmt.Errorf("bench: %s: %w", p.Name, err)
	}
	return e.Loss(d.X, oneHot(d.Class, p.K), p.N)
}
