package bench

import (
	"math"
	"testing"
)

// TestNewDataFormulas checks entries against the documented formulas,
// written out again here.
func TestNewDataFormulas(t *testing.T) {
	for _, name := range []string{"linreg-40x3", "logreg-400x6", "softmax-500x5x4", "mlp-64x8-5x3"} {
		p, err := ParseProblem(name)
		if err != nil {
			t.Fatal(err)
		}
		d, err := NewData(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.X) != p.N*p.D {
			t.Fatalf("%s: len(X) = %d, want %d", name, len(d.X), p.N*p.D)
		}
		for _, ij := range [][2]int{{0, 0}, {1, 0}, {p.N - 1, p.D - 1}, {p.N / 2, p.D / 2}} {
			i, j := float64(ij[0]), float64(ij[1])
			want := math.Sin(0.37*i + 1.3*j + 0.011*i*j)
			if got := d.X[ij[0]*p.D+ij[1]]; math.Abs(got-want) > 1e-12 {
				t.Errorf("%s: X[%v] = %v, want %v", name, ij, got, want)
			}
		}
		classes := map[float64]int{}
		for i := range p.N {
			var s float64
			for j := range p.D {
				s += d.X[i*p.D+j] * math.Cos(0.5*float64(j))
			}
			switch p.Kind {
			case "linreg":
				if want := s + 1 + 0.1*math.Cos(float64(i)); math.Abs(d.Y[i]-want) > 1e-12 {
					t.Errorf("%s: y[%d] = %v, want %v", name, i, d.Y[i], want)
				}
			case "logreg":
				classes[d.Y[i]]++
			default:
				classes[float64(d.Class[i])]++
			}
		}
		if p.Kind != "linreg" && len(classes) != p.Outputs()+map[bool]int{true: 1}[p.Kind == "logreg"] {
			t.Errorf("%s: class counts %v: want every class present", name, classes)
		}
	}
}

func TestInitParams(t *testing.T) {
	p, _ := ParseProblem("mlp-10x4-6x3")
	init := InitParams(p)
	if len(init["W1"]) != 24 || len(init["b1"]) != 6 || len(init["W2"]) != 18 || len(init["b2"]) != 3 {
		t.Fatalf("sizes: %v", init)
	}
	// W2[1,2] = sin(0.9 + 1.22 + 0.026 + 2)/√6
	if got, want := init["W2"][1*3+2], math.Sin(0.9+1.22+0.026+2)/math.Sqrt(6); math.Abs(got-want) > 1e-15 {
		t.Errorf("W2[1,2] = %v, want %v", got, want)
	}
	init["W1"][0] = 42
	if InitParams(p)["W1"][0] == 42 {
		t.Error("InitParams shares memory between calls")
	}
	lin, _ := ParseProblem("softmax-10x4x3")
	for name, v := range InitParams(lin) {
		for _, x := range v {
			if x != 0 {
				t.Fatalf("%s starts at %v, want 0", name, x)
			}
		}
	}
}

func TestNewDataRejectsBadProblem(t *testing.T) {
	if _, err := NewData(Problem{Name: "x", Kind: "linreg"}); err == nil {
		t.Error("NewData accepted n = d = 0")
	}
}
