package bench

import (
	"fmt"
	"strconv"
	"strings"
)

// Problem is one training problem: a model kind, a data shape and the
// optimizer settings every contender uses for its step.
//
// Its zero fields are defaults: LR is DefaultLR(Kind), Optimizer is "sgd"
// for the linear kinds and "adam" for mlp, Batch 0 is the full data set.
type Problem struct {
	// Name is how the problem is listed and picked, e.g. "linreg-1000x10".
	Name string
	// Kind is linreg (mse), logreg (binary cross-entropy from logits),
	// softmax (softmax cross-entropy from logits) or mlp (ReLU hidden
	// layers, softmax cross-entropy).
	Kind string
	// N rows, D features, K classes (softmax and mlp).
	N, D, K int
	// Hidden gives the widths of the mlp's hidden layers.
	Hidden []int
	// Batch is the mini-batch size; step s uses rows
	// [(s mod ⌊N/Batch⌋)·Batch, … + Batch). 0 is the full data set.
	Batch int
	// LR is the learning rate.
	LR float64
	// Optimizer is "sgd" (w ← w − lr·g) or "adam" (Kingma & Ba 2015,
	// β1 = 0.9, β2 = 0.999, ε = 1e-8, as torch.optim.Adam).
	Optimizer string
}

// Kinds lists the problem kinds in the order they are shown.
var Kinds = []string{"linreg", "logreg", "softmax", "mlp"}

// DefaultProblems are the problems Run measures when none are named.
var DefaultProblems = []string{
	"linreg-5x1", "linreg-1000x10", "linreg-100000x100",
	"logreg-100000x100", "softmax-100000x100x10", "mlp-digits",
}

// DefaultLR is the learning rate a problem of kind uses when LR is 0.
func DefaultLR(kind string) float64 {
	switch kind {
	case "linreg":
		return 0.05
	case "logreg", "softmax":
		return 0.5
	default:
		return 1e-3
	}
}

// ParseProblem turns a name into a Problem. Names are
//
//	linreg-NxD, logreg-NxD, softmax-NxDxK,
//	mlp-NxD-H1[-H2…]xK (ReLU hidden widths H, batch 128 or N if smaller),
//	mlp-digits (mlp-1797x64-128x10: the shape of scikit-learn's digits).
func ParseProblem(name string) (Problem, error) {
	if name == "mlp-digits" {
		p := Problem{Name: name, Kind: "mlp", N: 1797, D: 64, K: 10, Hidden: []int{128}, Batch: 128}
		return p.withDefaults(), nil
	}
	kind, shape, ok := strings.Cut(name, "-")
	bad := func(why string) (Problem, error) {
		return Problem{}, fmt.Errorf("bench: problem %q: %s (want linreg-NxD, logreg-NxD, softmax-NxDxK, mlp-NxD-H…xK or mlp-digits)", name, why)
	}
	if !ok {
		return bad("no shape after the kind")
	}
	p := Problem{Name: name, Kind: kind}
	switch kind {
	case "linreg", "logreg", "softmax":
		want := 2
		if kind == "softmax" {
			want = 3
		}
		dims, err := parseDims(shape, want)
		if err != nil {
			return bad(err.Error())
		}
		p.N, p.D = dims[0], dims[1]
		if kind == "softmax" {
			p.K = dims[2]
		}
	case "mlp":
		parts := strings.Split(shape, "-")
		if len(parts) < 2 {
			return bad("mlp shape must be NxD-H…xK")
		}
		first, err := parseDims(parts[0], 2)
		if err != nil {
			return bad(err.Error())
		}
		last, err := parseDims(parts[len(parts)-1], 2)
		if err != nil {
			return bad(err.Error())
		}
		p.N, p.D, p.K = first[0], first[1], last[1]
		for _, h := range parts[1 : len(parts)-1] {
			v, err := parseDim(h)
			if err != nil {
				return bad(err.Error())
			}
			p.Hidden = append(p.Hidden, v)
		}
		p.Hidden = append(p.Hidden, last[0])
		p.Batch = min(128, p.N)
	default:
		return bad(fmt.Sprintf("kind must be one of %s, got %q", strings.Join(Kinds, ", "), kind))
	}
	p = p.withDefaults()
	if err := p.Validate(); err != nil {
		return Problem{}, err
	}
	return p, nil
}

func parseDims(s string, want int) ([]int, error) {
	parts := strings.Split(s, "x")
	if len(parts) != want {
		return nil, fmt.Errorf("shape %q must have %d sizes joined by x", s, want)
	}
	out := make([]int, len(parts))
	for i, part := range parts {
		v, err := parseDim(part)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func parseDim(s string) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		return 0, fmt.Errorf("size must be a whole number ≥ 1, got %q", s)
	}
	return v, nil
}

func (p Problem) withDefaults() Problem {
	if p.LR == 0 {
		p.LR = DefaultLR(p.Kind)
	}
	if p.Optimizer == "" {
		p.Optimizer = "sgd"
		if p.Kind == "mlp" {
			p.Optimizer = "adam"
		}
	}
	return p
}

// Validate reports the first field of p that is out of range.
func (p Problem) Validate() error {
	p = p.withDefaults()
	fail := func(format string, args ...any) error {
		return fmt.Errorf("bench: problem %q: "+format, append([]any{p.Name}, args...)...)
	}
	switch p.Kind {
	case "linreg", "logreg", "softmax", "mlp":
	default:
		return fail("kind must be one of %s, got %q", strings.Join(Kinds, ", "), p.Kind)
	}
	if p.N < 1 || p.D < 1 {
		return fail("n and d must be ≥ 1, got %dx%d", p.N, p.D)
	}
	if (p.Kind == "softmax" || p.Kind == "mlp") && p.K < 2 {
		return fail("k must be ≥ 2, got %d", p.K)
	}
	if p.Kind == "mlp" && len(p.Hidden) == 0 {
		return fail("an mlp needs at least one hidden layer")
	}
	for i, h := range p.Hidden {
		if h < 1 {
			return fail("hidden width %d must be ≥ 1, got %d", i+1, h)
		}
	}
	if p.Batch < 0 || p.Batch > p.N {
		return fail("batch must be in [0,%d], got %d", p.N, p.Batch)
	}
	if !(p.LR > 0) {
		return fail("lr must be > 0, got %g", p.LR)
	}
	if p.Optimizer != "sgd" && p.Optimizer != "adam" {
		return fail(`optimizer must be "sgd" or "adam", got %q`, p.Optimizer)
	}
	return nil
}

// Outputs is the width of the model's output: 1 for linreg and logreg, K
// otherwise.
func (p Problem) Outputs() int {
	if p.Kind == "linreg" || p.Kind == "logreg" {
		return 1
	}
	return p.K
}

// BatchRows is the number of rows one step uses.
func (p Problem) BatchRows() int {
	if p.Batch == 0 {
		return p.N
	}
	return p.Batch
}

// Batches is the number of distinct mini-batches steps cycle through.
func (p Problem) Batches() int { return p.N / p.BatchRows() }

// BatchStart is the first row of the mini-batch used by step s (0-based).
func (p Problem) BatchStart(s int) int { return (s % p.Batches()) * p.BatchRows() }

// Layers gives each dense layer's (in, out) widths: one layer for the
// linear kinds, len(Hidden)+1 for mlp.
func (p Problem) Layers() [][2]int {
	widths := append(append([]int{p.D}, p.Hidden...), p.Outputs())
	if p.Kind != "mlp" {
		widths = []int{p.D, p.Outputs()}
	}
	out := make([][2]int, len(widths)-1)
	for l := range out {
		out[l] = [2]int{widths[l], widths[l+1]}
	}
	return out
}
