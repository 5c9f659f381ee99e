package optimizers_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
)

var update = flag.Bool("update", false, "regenerate testdata/golden.json with PyTorch (/usr/bin/python3)")

type golden struct {
	Torch    string `json:"torch"`
	Problems map[string]struct {
		N, D, Hidden, K int
		X, Y            []float64
		Labels          []int
		Init            map[string][]float64
	} `json:"problems"`
	Cases []struct {
		Name    string                          `json:"name"`
		Problem string                          `json:"problem"`
		Config  map[string]any                  `json:"config"`
		Steps   map[string]map[string][]float64 `json:"steps"`
		// Sensitivity is, per recorded step, how far 1-ulp gradient noise
		// moves torch's own trajectory.
		Sensitivity map[string]float64 `json:"sensitivity"`
	} `json:"cases"`
}

func loadGolden(t *testing.T) *golden {
	t.Helper()
	if *update {
		out, err := exec.Command("/usr/bin/python3", "testdata/gen_golden.py").CombinedOutput()
		if err != nil {
			t.Fatalf("regenerating golden trajectories: %v\n%s", err, out)
		}
	}
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return &g
}

// configFrom turns a case's flag-named options into a Config with Set.
func configFrom(t *testing.T, m map[string]any) optimizers.Config {
	c := optimizers.Config{Set: map[string]bool{}}
	for k, v := range m {
		if k == "name" {
			c.Name = v.(string)
			continue
		}
		if k == "schedule" {
			c.Schedule = v.(string)
			continue
		}
		c.Set[k] = true
		switch v := v.(type) {
		case bool:
			switch k {
			case "centered":
				c.Centered = v
			case "amsgrad":
				c.AMSGrad = v
			}
		case float64:
			*map[string]*float64{
				"lr": &c.LR, "momentum": &c.Momentum, "dampening": &c.Dampening, "alpha": &c.Alpha,
				"beta1": &c.Beta1, "beta2": &c.Beta2, "eps": &c.Eps, "weight-decay": &c.WeightDecay,
				"lr-decay": &c.LRDecay, "initial-accumulator": &c.InitialAccumulator,
				"clip-norm": &c.ClipNorm, "clip-value": &c.ClipValue,
			}[k] = v
		default:
			t.Fatalf("option %s has type %T", k, v)
		}
	}
	return c
}

// engineFor builds the case's problem with Descent's own model and autodiff.
func engineFor(t *testing.T, g *golden, name string) (*graph.Engine, []float64, []float64, int) {
	p := g.Problems[name]
	var prob models.Problem
	Y := p.Y
	switch name {
	case "linear":
		prob = models.Problem{Model: models.Linear{Features: p.D}, Loss: "mse"}
	case "mlp":
		m, err := models.NewMLP(p.D, p.K, []int{p.Hidden}, "tanh", 0)
		if err != nil {
			t.Fatal(err)
		}
		prob = models.Problem{Model: m, Loss: "xent"}
		Y = make([]float64, p.N*p.K)
		for i, l := range p.Labels {
			Y[i*p.K+l] = 1
		}
	}
	e, err := prob.Engine(graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SetParams(p.Init); err != nil {
		t.Fatal(err)
	}
	return e, p.X, Y, p.N
}

// TestGoldenTrajectories replays every PyTorch trajectory: 100 steps from the
// same start, parameters compared after steps 1, 10 and 100 to 1e-10
// relative (|a−b| ≤ 1e-10·max(1,|b|)). Where torch's own trajectory moves
// more than 1e-11 under 1-ulp gradient noise (an ill-conditioned step that
// no differently-rounding implementation can match to 1e-10), the bound is
// 10× that measured sensitivity, and the case is logged.
func TestGoldenTrajectories(t *testing.T) {
	g := loadGolden(t)
	worst := map[string]float64{}
	for _, c := range g.Cases {
		t.Run(c.Problem+"/"+c.Name, func(t *testing.T) {
			e, X, Y, n := engineFor(t, g, c.Problem)
			o, err := optimizers.New(configFrom(t, c.Config))
			if err != nil {
				t.Fatal(err)
			}
			if err := o.Init(e.Params()); err != nil {
				t.Fatal(err)
			}
			for step := 1; step <= 100; step++ {
				if _, err := e.Step(X, Y, n); err != nil {
					t.Fatal(err)
				}
				if err := o.Step(e.Params(), e.Grads()); err != nil {
					t.Fatal(err)
				}
				want, ok := c.Steps[fmt.Sprint(step)]
				if !ok {
					continue
				}
				tol := 1e-10
				if s := c.Sensitivity[fmt.Sprint(step)]; 10*s > tol {
					tol = 10 * s
					t.Logf("step %d: torch moves %.1e under 1-ulp gradient noise; bound %.1e", step, s, tol)
				}
				for name, w := range want {
					got := e.Params()[name]
					for i := range w {
						d := math.Abs(got[i]-w[i]) / math.Max(1, math.Abs(w[i]))
						opt := strings.Split(c.Name, "/")[0]
						worst[opt] = math.Max(worst[opt], d)
						if d > tol {
							t.Fatalf("step %d: %s[%d] = %.17g, torch %.17g (rel %.2g)", step, name, i, got[i], w[i], d)
						}
					}
				}
			}
		})
	}
	names := make([]string, 0, len(worst))
	for k := range worst {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		t.Logf("%-9s max relative deviation from torch %s: %.2e", k, g.Torch, worst[k])
	}
}
