package optimizers_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/descent-ml/descent/optimizers"
)

// golden32 is testdata/golden32.json, written by testdata/gen_golden.py
// float32: torch's float32 trajectories of golden.json's cases.
type golden32 struct {
	Torch string       `json:"torch"`
	Dtype string       `json:"dtype"`
	Cases []goldenCase `json:"cases"`
}

var (
	golden32Once sync.Once
	golden32Data *golden32
	golden32Err  error
)

// loadGolden32 reads testdata/golden32.json, regenerating it first under
// -update.
func loadGolden32(t testing.TB) *golden32 {
	t.Helper()
	golden32Once.Do(func() {
		if *update {
			out, err := exec.Command("/usr/bin/python3", "testdata/gen_golden.py", "float32").CombinedOutput()
			if err != nil {
				golden32Err = fmt.Errorf("%v: %s", err, out)
				return
			}
		}
		b, err := os.ReadFile("testdata/golden32.json")
		if err != nil {
			golden32Err = err
			return
		}
		golden32Data = new(golden32)
		golden32Err = json.Unmarshal(b, golden32Data)
	})
	if golden32Err != nil {
		t.Fatal(golden32Err)
	}
	return golden32Data
}

// ulps is the distance between two float32s in units in the last place:
// the number of float32s between them.
func ulps(a, b float32) int64 {
	key := func(x float32) int64 {
		i := int64(int32(math.Float32bits(x)))
		if i < 0 {
			i = math.MinInt32 - i // order the negatives below the positives
		}
		return i
	}
	d := key(a) - key(b)
	if d < 0 {
		d = -d
	}
	return d
}

// golden32MaxULPs is the agreement asked of every float32 parameter after
// steps 1, 10 and 100, in float32 ulps: bit for bit on amd64, where Go
// fuses no multiply-add, so that a rounding that differs from torch's by
// one ulp fails; 4 ulps elsewhere, where the compiler may fuse the
// float64 arithmetic of the hand-written gradients (problems_test.go) and
// move a gradient across a float32 rounding boundary.
func golden32MaxULPs() int64 {
	if runtime.GOARCH == "amd64" {
		return 0
	}
	return 4
}

// TestGolden32Trajectories replays torch's float32 trajectories through
// New32: float32 parameters and state, the gradient of each step computed
// in float64 at the float32 parameters and rounded to float32, as the
// generator does.
func TestGolden32Trajectories(t *testing.T) {
	g := loadGolden32(t)
	g64 := loadGolden(t) // the problems' data
	if g.Dtype != "float32" || len(g.Cases) == 0 {
		t.Fatalf("golden32.json: dtype %q with %d cases", g.Dtype, len(g.Cases))
	}
	worstULP, worstRel, exact, total := map[string]int64{}, map[string]float64{}, 0, 0
	for _, c := range g.Cases {
		t.Run(c.Problem+"/"+c.Name, func(t *testing.T) {
			pr := problemFor(t, g64, c.Problem)
			o, err := optimizers.New32(configOf(t, c.Config))
			if err != nil {
				t.Fatal(err)
			}
			p64, grad64 := pr.params()
			p, grad := optimizers.Params32{}, optimizers.Params32{}
			for k, v := range p64 {
				p[k], grad[k] = make([]float32, len(v)), make([]float32, len(v))
				for i, x := range v {
					p[k][i] = float32(x)
				}
			}
			if err := o.Init(p); err != nil {
				t.Fatal(err)
			}
			opt := strings.Split(c.Name, "/")[0]
			for step := 1; step <= 100; step++ {
				for k, v := range p {
					for i, x := range v {
						p64[k][i] = float64(x)
					}
				}
				pr.grad(p64, grad64)
				for k, v := range grad64 {
					for i, x := range v {
						grad[k][i] = float32(x)
					}
				}
				if err := o.Step(p, grad); err != nil {
					t.Fatal(err)
				}
				want, ok := c.Steps[fmt.Sprint(step)]
				if !ok {
					continue
				}
				for name, w := range want {
					got := p[name]
					if len(got) != len(w) {
						t.Fatalf("%s has %d values, torch %d", name, len(got), len(w))
					}
					for i := range w {
						wi := float32(w[i])
						if float64(wi) != w[i] {
							t.Fatalf("golden value %v is not a float32", w[i])
						}
						d := ulps(got[i], wi)
						worstULP[opt] = max(worstULP[opt], d)
						worstRel[opt] = math.Max(worstRel[opt], math.Abs(float64(got[i])-w[i])/math.Abs(w[i]))
						total++
						if d == 0 {
							exact++
						}
						if d > golden32MaxULPs() {
							t.Errorf("step %d: %s[%d] = %.9g, torch %.9g (%d ulps)", step, name, i, got[i], wi, d)
						}
					}
				}
			}
		})
	}
	names := make([]string, 0, len(worstULP))
	for k := range worstULP {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		t.Logf("%-9s float32: max deviation from torch %s over all its cases: %d ulps (relative %.2e)", k, g.Torch, worstULP[k], worstRel[k])
	}
	t.Logf("%d of %d float32 values bit-identical to torch's", exact, total)
	if len(names) != len(optimizers.Names()) {
		t.Errorf("golden32 cases cover %v, want every one of %v", names, optimizers.Names())
	}
}
