package bench

import (
	"fmt"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
)

// descentContender is Descent itself: the model written as a Gorgonia graph,
// its gradient from Gorgonia's reverse-mode differentiation run by
// Descent's executor, and the update by package optimizers. No gradient is
// derived by hand.
var descentContender = Contender{Name: "descent", New: newDescent}

func init() { Register(descentContender) }

type descentStep struct {
	p    Problem
	e    *graph.Engine
	o    *optimizers.Optimizer
	o32  *optimizers.Optimizer32 // a float32 engine's, instead of o
	x, y []float64
	t    int
	step int
}

var _ Stepper = (*descentStep)(nil)

func newDescent(p Problem, d *Data) (Stepper, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p = p.withDefaults()
	var prob models.Problem
	y, t := d.Y, 1
	switch p.Kind {
	case "linreg":
		prob = models.Problem{Model: models.Linear{Features: p.D}, Loss: "mse"}
	case "logreg":
		prob = models.Problem{Model: models.Logistic{Features: p.D}, Loss: "bce"}
	case "softmax", "mlp", "cnn":
		t = p.K
		y = oneHot(d.Class, p.K)
		if p.Kind == "cnn" {
			dt := tensor.Float64
			if p.Float32 {
				dt = tensor.Float32
			}
			var err error
			if prob, err = netProblem(p, dt); err != nil {
				return nil, err
			}
		} else if p.Kind == "softmax" {
			prob = models.Problem{Model: models.Softmax{Features: p.D, Classes: p.K}, Loss: "xent"}
		} else {
			m, err := models.NewMLP(p.D, p.K, p.Hidden, "relu", 0)
			if err != nil {
				return nil, err
			}
			prob = models.Problem{Model: m, Loss: "xent"}
		}
	default:
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, p.Kind)
	}
	e, err := prob.Engine(graph.Options{Workers: p.workers})
	if err != nil {
		return nil, err
	}
	init := InitParams(p)
	if p.Kind == "mlp" {
		init = torchLayout(p, init)
	}
	if err := e.SetParams(init); err != nil {
		return nil, err
	}
	name := "gd"
	if p.Optimizer == "adam" {
		name = "adam"
	}
	cfg := optimizers.Config{Name: name, LR: p.LR}
	if e.Params32() != nil { // a float32 engine: a float32 optimizer, as torch's
		o, err := optimizers.New32(cfg)
		if err != nil {
			return nil, err
		}
		if err := o.Init(e.Params32()); err != nil {
			return nil, err
		}
		return &descentStep{p: p, e: e, o32: o, x: d.X, y: y, t: t}, nil
	}
	o, err := optimizers.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := o.Init(e.Params()); err != nil {
		return nil, err
	}
	return &descentStep{p: p, e: e, o: o, x: d.X, y: y, t: t}, nil
}

// Step runs forward, Gorgonia-differentiated backward, and the update.
func (s *descentStep) Step() error {
	p := s.p
	B, r := p.BatchRows(), p.BatchStart(s.step)
	s.step++
	if _, err := s.e.Step(s.x[r*p.D:(r+B)*p.D], s.y[r*s.t:(r+B)*s.t], B); err != nil {
		return err
	}
	if s.o32 != nil {
		return s.o32.Step(s.e.Params32(), s.e.Grads32())
	}
	return s.o.Step(s.e.Params(), s.e.Grads())
}

// Params implements Stepper, in the harness's layout: "W1", "b1", … with
// W (in, out) for an MLP, whose Descent parameters carry PyTorch's names
// and layout ("0.weight" (out, in), "0.bias", …); a cnn's keep those.
func (s *descentStep) Params() map[string][]float64 {
	if s.p.Kind != "mlp" {
		out := make(map[string][]float64, len(s.e.Params()))
		for k, v := range s.e.Params() {
			out[k] = append([]float64(nil), v...)
		}
		return out
	}
	out := map[string][]float64{}
	sizes := append(append([]int{s.p.D}, s.p.Hidden...), s.p.K)
	for l := 0; l+1 < len(sizes); l++ {
		in, o := sizes[l], sizes[l+1]
		w := s.e.Params()[fmt.Sprintf("%d.weight", 2*l)]
		W := make([]float64, in*o)
		for i := 0; i < in; i++ {
			for j := 0; j < o; j++ {
				W[i*o+j] = w[j*in+i]
			}
		}
		out[fmt.Sprintf("W%d", l+1)] = W
		out[fmt.Sprintf("b%d", l+1)] = append([]float64(nil), s.e.Params()[fmt.Sprintf("%d.bias", 2*l)]...)
	}
	return out
}

// torchLayout renames the harness's MLP parameters W1 (in, out), b1, … to
// an nn.Sequential's "0.weight" (out, in), "0.bias", …
func torchLayout(p Problem, params map[string][]float64) map[string][]float64 {
	out := map[string][]float64{}
	sizes := append(append([]int{p.D}, p.Hidden...), p.K)
	for l := 0; l+1 < len(sizes); l++ {
		in, o := sizes[l], sizes[l+1]
		W := params[fmt.Sprintf("W%d", l+1)]
		w := make([]float64, in*o)
		for i := 0; i < in; i++ {
			for j := 0; j < o; j++ {
				w[j*in+i] = W[i*o+j]
			}
		}
		out[fmt.Sprintf("%d.weight", 2*l)] = w
		out[fmt.Sprintf("%d.bias", 2*l)] = params[fmt.Sprintf("b%d", l+1)]
	}
	return out
}
