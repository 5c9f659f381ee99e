package optimizers_test

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"os/exec"
	"sort"
	"sync"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"github.com/descent-ml/descent/optimizers"
)

var update = flag.Bool("update", false, "rewrite golden files: re-run testdata/gen_golden.py with /usr/bin/python3 (PyTorch)")

// golden is testdata/golden.json, written by testdata/gen_golden.py.
type golden struct {
	Torch    string `json:"torch"`
	Problems struct {
		Linear fixture `json:"linear"`
		MLP    fixture `json:"mlp"`
	} `json:"problems"`
	// Schedules holds torch's learning rates for 100 steps at base rate 0.1.
	Schedules map[string][]float64 `json:"schedules"`
	Cases     []goldenCase         `json:"cases"`
}

type goldenCase struct {
	Name    string                          `json:"name"`
	Problem string                          `json:"problem"`
	Config  map[string]any                  `json:"config"`
	Steps   map[string]map[string][]float64 `json:"steps"`
}

// fixture is a problem's data and starting point.
type fixture struct {
	N, D, Hidden, K int
	X, Y            []float64
	Labels          []int
	Init            map[string][]float64
}

var (
	goldenOnce sync.Once
	goldenData *golden
	goldenErr  error
)

// loadGolden reads testdata/golden.json, regenerating it first under -update.
func loadGolden(t testing.TB) *golden {
	t.Helper()
	goldenOnce.Do(func() {
		if *update {
			out, err := exec.Command("/usr/bin/python3", "testdata/gen_golden.py").CombinedOutput()
			if err != nil {
				goldenErr = err
				t.Logf("%s", out)
				return
			}
		}
		b, err := os.ReadFile("testdata/golden.json")
		if err != nil {
			goldenErr = err
			return
		}
		goldenData = new(golden)
		goldenErr = json.Unmarshal(b, goldenData)
	})
	if goldenErr != nil {
		t.Fatal(goldenErr)
	}
	return goldenData
}

// problem is an objective with a hand-written gradient over named params.
type problem struct {
	init map[string][]float64
	// grad writes ∇f(p) into g and returns f(p).
	grad func(p, g optimizers.Params) float64
}

// params returns a fresh copy of the starting point, and zeroed gradients.
func (pr problem) params() (optimizers.Params, optimizers.Params) {
	p, g := optimizers.Params{}, optimizers.Params{}
	for k, v := range pr.init {
		p[k] = append([]float64(nil), v...)
		g[k] = make([]float64, len(v))
	}
	return p, g
}

// linearProblem is mean squared error of X·W + b: with r = X·W + b − y,
// f = (1/n)·Σ r², ∂f/∂W = (2/n)·Xᵀr, ∂f/∂b = (2/n)·Σ r.
func linearProblem(f fixture) problem {
	n, d := f.N, f.D
	r := make([]float64, n)
	return problem{init: f.Init, grad: func(p, g optimizers.Params) float64 {
		W, b := p["W"], p["b"][0]
		var loss float64
		for i := 0; i < n; i++ {
			s := b
			for j := 0; j < d; j++ {
				s += f.X[i*d+j] * W[j]
			}
			r[i] = s - f.Y[i]
			loss += r[i] * r[i]
		}
		gW, gb := g["W"], g["b"]
		for j := range gW {
			gW[j] = 0
		}
		gb[0] = 0
		for i := 0; i < n; i++ {
			c := 2 * r[i] / float64(n)
			for j := 0; j < d; j++ {
				gW[j] += c * f.X[i*d+j]
			}
			gb[0] += c
		}
		return loss / float64(n)
	}}
}

// mlpProblem is the mean softmax cross-entropy of z = tanh(X·W1 + b1)·W2 + b2
// against integer labels. Backward: δz = (softmax(z) − onehot)/n,
// ∂W2 = hᵀδz, ∂b2 = Σ δz, δa = (δz·W2ᵀ)⊙(1 − h²), ∂W1 = Xᵀδa, ∂b1 = Σ δa.
func mlpProblem(f fixture) problem {
	n, d, hd, k := f.N, f.D, f.Hidden, f.K
	h := make([]float64, n*hd)
	dz := make([]float64, n*k)
	return problem{init: f.Init, grad: func(p, g optimizers.Params) float64 {
		W1, b1, W2, b2 := p["W1"], p["b1"], p["W2"], p["b2"]
		for _, v := range g {
			for i := range v {
				v[i] = 0
			}
		}
		var loss float64
		for i := 0; i < n; i++ {
			for u := 0; u < hd; u++ {
				s := b1[u]
				for j := 0; j < d; j++ {
					s += f.X[i*d+j] * W1[j*hd+u]
				}
				h[i*hd+u] = math.Tanh(s)
			}
			z := dz[i*k : (i+1)*k]
			max := math.Inf(-1)
			for c := 0; c < k; c++ {
				s := b2[c]
				for u := 0; u < hd; u++ {
					s += h[i*hd+u] * W2[u*k+c]
				}
				z[c] = s
				max = math.Max(max, s)
			}
			var sum float64
			for c := range z {
				sum += math.Exp(z[c] - max)
			}
			loss += max + math.Log(sum) - z[f.Labels[i]]
			for c := range z {
				z[c] = math.Exp(z[c]-max) / sum / float64(n)
			}
			z[f.Labels[i]] -= 1 / float64(n)
		}
		gW1, gb1, gW2, gb2 := g["W1"], g["b1"], g["W2"], g["b2"]
		for i := 0; i < n; i++ {
			for c := 0; c < k; c++ {
				gb2[c] += dz[i*k+c]
				for u := 0; u < hd; u++ {
					gW2[u*k+c] += h[i*hd+u] * dz[i*k+c]
				}
			}
			for u := 0; u < hd; u++ {
				var s float64
				for c := 0; c < k; c++ {
					s += dz[i*k+c] * W2[u*k+c]
				}
				da := s * (1 - h[i*hd+u]*h[i*hd+u])
				gb1[u] += da
				for j := 0; j < d; j++ {
					gW1[j*hd+u] += f.X[i*d+j] * da
				}
			}
		}
		return loss / float64(n)
	}}
}

func problemFor(t testing.TB, g *golden, name string) problem {
	switch name {
	case "linear":
		return linearProblem(g.Problems.Linear)
	case "mlp":
		return mlpProblem(g.Problems.MLP)
	}
	t.Fatalf("unknown problem %q", name)
	return problem{}
}

// TestGradients checks the hand-written gradients against central finite
// differences (gonum diff/fd) at the starting point and at a moved one.
func TestGradients(t *testing.T) {
	g := loadGolden(t)
	for _, name := range []string{"linear", "mlp"} {
		t.Run(name, func(t *testing.T) {
			pr := problemFor(t, g, name)
			p, grad := pr.params()
			names := make([]string, 0, len(p))
			for k := range p {
				names = append(names, k)
			}
			sort.Strings(names)
			for round := 0; round < 2; round++ {
				pr.grad(p, grad)
				for _, k := range names {
					for i := range p[k] {
						orig := p[k][i]
						scratch, _ := pr.params()
						fdv := fd.Derivative(func(x float64) float64 {
							p[k][i] = x
							return pr.grad(p, scratch)
						}, orig, &fd.Settings{Formula: fd.Central, Step: 1e-5})
						p[k][i] = orig
						if d := math.Abs(fdv - grad[k][i]); d > 1e-8*math.Max(1, math.Abs(fdv)) {
							t.Errorf("round %d: ∂f/∂%s[%d] = %.12g, central difference %.12g", round, k, i, grad[k][i], fdv)
						}
					}
				}
				for _, k := range names { // move away from the start
					for i := range p[k] {
						p[k][i] += 0.3 * math.Sin(float64(3*i+len(k)))
					}
				}
			}
		})
	}
}
