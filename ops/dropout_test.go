package ops_test

import (
	"fmt"
	"math"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/ops"
)

func TestDropoutArgs(t *testing.T) {
	g := G.NewGraph()
	x := G.NewMatrix(g, G.Float64, G.WithShape(2, 2))
	st := G.NewScalar(g, G.Float64)
	for _, p := range []float64{-0.1, 1.1, math.NaN()} {
		if _, err := ops.Dropout(x, st, p, 1); err == nil {
			t.Errorf("p=%v accepted", p)
		}
	}
	if _, err := ops.Dropout(x, x, 0.5, 1); err == nil {
		t.Error("a matrix step accepted")
	}
	if y, err := ops.Dropout(x, st, 0, 1); err != nil || y != x {
		t.Errorf("p=0 is not x itself: %v, %v", y, err)
	}
}

// TestDropoutKeepRate checks the mask's rate for many (seed, step) pairs
// and that neighbouring steps are uncorrelated.
func TestDropoutKeepRate(t *testing.T) {
	const n = 4000
	for _, p := range []float64{0.05, 0.5, 0.8} {
		for seed := uint64(0); seed < 3; seed++ {
			var kept, same int
			for i := range n {
				a, b := ops.DropoutKeep(seed, 7, i, p), ops.DropoutKeep(seed, 8, i, p)
				if a {
					kept++
				}
				if a == b {
					same++
				}
			}
			q := 1 - p
			if d := math.Abs(float64(kept)/n - q); d > 5*math.Sqrt(p*q/n) {
				t.Errorf("p=%v seed %d: kept %d of %d", p, seed, kept, n)
			}
			// Independent masks agree with probability p² + q².
			agree := p*p + q*q
			if d := math.Abs(float64(same)/n - agree); d > 5*math.Sqrt(agree*(1-agree)/n) {
				t.Errorf("p=%v seed %d: steps 7 and 8 agree on %d of %d elements, want about %.0f", p, seed, same, n, agree*n)
			}
		}
	}
	if ops.DropoutKeep(1, 2, 3, 1) || !ops.DropoutKeep(1, 2, 3, 0) {
		t.Error("p=1 must drop everything and p=0 keep everything")
	}
}

// ExampleDropout drops each of eight ones with probability 0.5 and
// doubles the rest; the mask is DropoutKeep's for the seed and step.
func ExampleDropout() {
	g := G.NewGraph()
	x := input(g, "x", []float64{1, 1, 1, 1, 1, 1, 1, 1}, 2, 4)
	step := input(g, "step", []float64{3}) // the training step
	y := G.Must(ops.Dropout(x, step, 0.5, 42))
	out, err := run(g, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out[0])
	for i := range 8 {
		fmt.Print(ops.DropoutKeep(42, 3, i, 0.5), " ")
	}
	fmt.Println()
	// Output:
	// [2 2 0 2 2 2 2 2]
	// true true false true true true true true
}
