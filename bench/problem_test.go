package bench

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestParseProblem(t *testing.T) {
	tests := []struct {
		name           string
		kind           string
		n, d, k, batch int
		hidden         []int
		optimizer      string
		lr             float64
	}{
		{"linreg-5x1", "linreg", 5, 1, 0, 0, nil, "sgd", DefaultLR("linreg")},
		{"logreg-100000x100", "logreg", 100000, 100, 0, 0, nil, "sgd", DefaultLR("logreg")},
		{"softmax-300x7x4", "softmax", 300, 7, 4, 0, nil, "sgd", DefaultLR("softmax")},
		{"mlp-digits", "mlp", 1797, 64, 10, 128, []int{128}, "adam", DefaultLR("mlp")},
		{"mlp-50x4-8-6x3", "mlp", 50, 4, 3, 50, []int{8, 6}, "adam", DefaultLR("mlp")},
		{"cnn-digits", "cnn", 1797, 64, 10, 64, nil, "adam", DefaultLR("cnn")},
		{"cnn-lenet", "cnn", 1280, 784, 10, 64, nil, "adam", DefaultLR("cnn")},
		{"lenet-fashion", "epoch", 60000, 784, 10, 64, nil, "adam", 0.002},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseProblem(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != tt.name || p.Kind != tt.kind || p.N != tt.n || p.D != tt.d || p.K != tt.k ||
				p.Batch != tt.batch || !slices.Equal(p.Hidden, tt.hidden) || p.Optimizer != tt.optimizer || p.LR != tt.lr {
				t.Errorf("ParseProblem(%q) = %+v", tt.name, p)
			}
			if err := p.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestDefaultProblemsParse(t *testing.T) {
	for _, name := range DefaultProblems {
		if _, err := ParseProblem(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestProblemErrors keeps the error messages for bad names and fields in
// testdata/errors.golden.
func TestProblemErrors(t *testing.T) {
	var got strings.Builder
	for _, name := range []string{
		"linreg", "linreg-5", "linreg-0x3", "linreg-5xq", "svm-5x3", "softmax-5x3",
		"softmax-5x3x1", "mlp-5x3", "mlp-5x3-0x2",
	} {
		_, err := ParseProblem(name)
		if err == nil {
			t.Errorf("ParseProblem(%q): no error", name)
			continue
		}
		got.WriteString(err.Error() + "\n")
	}
	for _, p := range []Problem{
		{Name: "batch", Kind: "linreg", N: 5, D: 1, Batch: 6},
		{Name: "lr", Kind: "linreg", N: 5, D: 1, LR: -1},
		{Name: "opt", Kind: "linreg", N: 5, D: 1, Optimizer: "lbfgs"},
		{Name: "hidden", Kind: "mlp", N: 5, D: 1, K: 2},
		{Name: "kind", Kind: "svm", N: 5, D: 1},
		{Name: "no-net", Kind: "cnn", N: 5, D: 4, K: 2, Input: []int{1, 2, 2}},
		{Name: "input", Kind: "cnn", N: 5, D: 4, K: 2, Net: "flatten linear(2)", Input: []int{1, 3, 2}},
		{Name: "input-zero", Kind: "cnn", N: 5, D: 4, K: 2, Net: "flatten linear(2)", Input: []int{0, 2, 2}},
	} {
		err := p.Validate()
		if err == nil {
			t.Errorf("Validate(%+v): no error", p)
			continue
		}
		got.WriteString(err.Error() + "\n")
	}
	golden(t, "errors.golden", got.String())
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update after checking):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// TestNamedProblems checks that every named problem parses to a valid
// problem whose network, for the network kinds, builds and names its
// parameters as PyTorch's nn.Sequential does.
func TestNamedProblems(t *testing.T) {
	for _, name := range NamedProblems() {
		p, err := ParseProblem(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if p.Dense() {
			continue
		}
		if !p.Float32 || p.Optimizer != "adam" {
			t.Errorf("%s: float32 %v, optimizer %s; want float32 Adam", name, p.Float32, p.Optimizer)
		}
		names := ParamNames(p)
		if len(names) == 0 || names[0] != "0.weight" || names[1] != "0.bias" {
			t.Errorf("%s: parameters %v, want PyTorch's names from 0.weight, 0.bias", name, names)
		}
	}
}
