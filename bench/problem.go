package bench

import (
	"fmt"
	"maps"
	"slices"
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
	// Net is a cnn's or epoch's network in Descent's layer grammar
	// (nn.Parse); the PyTorch peer builds the same nn.Sequential from it.
	Net string
	// Input is the shape of one row of X for a cnn or epoch problem:
	// (channels, height, width), D being their product.
	Input []int
	// Float32 runs the step in float32 (the cnn and epoch problems, as
	// networks are trained); the check then allows float32 rounding
	// (CheckTolerance32).
	Float32 bool

	workers int // Descent's executor workers; 0 is its default
}

// Kinds lists the problem kinds in the order they are shown: the dense
// kinds linreg, logreg, softmax and mlp on data from closed formulas; cnn,
// a convolutional network's step on images from the same formulas; and
// epoch, a whole training epoch on a real data set.
var Kinds = []string{"linreg", "logreg", "softmax", "mlp", "cnn", "epoch"}

// DigitsCNN is issue 10's digits network, on 8×8 images: two 3×3
// convolutions with ReLU and 2×2 max pooling, then a linear layer.
const DigitsCNN = "conv2d(16,3,padding=1) relu maxpool2d(2) conv2d(32,3,padding=1) relu maxpool2d(2) flatten linear(10)"

// LeNet5 is the LeNet-5-style network on 28×28 images (LeCun et al.
// 1998, with ReLU and max pooling), as bench/peers/torch_lenet.py builds it.
const LeNet5 = "conv2d(6,5,padding=2) relu maxpool2d(2) conv2d(16,5) relu maxpool2d(2) flatten linear(120) relu linear(84) relu linear(10)"

// namedProblems are the problems known by name alone.
var namedProblems = map[string]Problem{
	// The shape of scikit-learn's digits: 1797 rows of 64 pixels, 10 classes.
	"mlp-digits": {Kind: "mlp", N: 1797, D: 64, K: 10, Hidden: []int{128}, Batch: 128},
	// The digits CNN's float32 step at batch 64 on digits-shaped images.
	"cnn-digits": {Kind: "cnn", N: 1797, D: 64, K: 10, Batch: 64, Net: DigitsCNN, Input: []int{1, 8, 8}, Float32: true},
	// LeNet-5's float32 step at batch 64 on 28×28 images.
	"cnn-lenet": {Kind: "cnn", N: 1280, D: 784, K: 10, Batch: 64, Net: LeNet5, Input: []int{1, 28, 28}, Float32: true},
	// One epoch of LeNet-5 on Fashion-MNIST's 60000 training images,
	// float32, batch 64, Adam at 0.002, as `descent train` runs it.
	"lenet-fashion": {Kind: "epoch", N: 60000, D: 784, K: 10, Batch: 64, LR: 0.002, Net: LeNet5, Input: []int{1, 28, 28}, Float32: true},
}

// NamedProblems lists the problems known by name alone, sorted.
func NamedProblems() []string { return slices.Sorted(maps.Keys(namedProblems)) }

// DefaultProblems are the problems Run measures when none are named.
var DefaultProblems = []string{
	"linreg-5x1", "linreg-1000x10", "linreg-100000x100",
	"logreg-100000x100", "softmax-100000x100x10", "mlp-digits",
	"cnn-digits", "cnn-lenet",
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
//	mlp-digits (mlp-1797x64-128x10: the shape of scikit-learn's digits),
//	cnn-digits (DigitsCNN's step on 8×8 images, batch 64, float32),
//	cnn-lenet (LeNet5's step on 28×28 images, batch 64, float32),
//	lenet-fashion (an epoch of LeNet5 on Fashion-MNIST, when installed).
func ParseProblem(name string) (Problem, error) {
	if p, ok := namedProblems[name]; ok {
		p.Name = name
		p.Hidden = slices.Clone(p.Hidden)
		p.Input = slices.Clone(p.Input)
		return p.withDefaults(), nil
	}
	kind, shape, ok := strings.Cut(name, "-")
	bad := func(why string) (Problem, error) {
		return Problem{}, fmt.Errorf("bench: problem %q: %s (want linreg-NxD, logreg-NxD, softmax-NxDxK, mlp-NxD-H…xK or one of %s)", name, why, strings.Join(NamedProblems(), ", "))
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
		if p.Network() {
			p.Optimizer = "adam"
		}
	}
	return p
}

// Network reports whether p trains a network with Adam by default: the
// mlp, cnn and epoch kinds.
func (p Problem) Network() bool { return p.Kind == "mlp" || p.Kind == "cnn" || p.Kind == "epoch" }

// Dense reports whether p is one of the dense kinds (linreg, logreg,
// softmax, mlp) that every hand-written contender implements.
func (p Problem) Dense() bool { return p.Kind != "cnn" && p.Kind != "epoch" }

// Validate reports the first field of p that is out of range.
func (p Problem) Validate() error {
	p = p.withDefaults()
	fail := func(format string, args ...any) error {
		return fmt.Errorf("bench: problem %q: "+format, append([]any{p.Name}, args...)...)
	}
	switch p.Kind {
	case "linreg", "logreg", "softmax", "mlp":
	case "cnn", "epoch":
		if p.Net == "" {
			return fail("a %s problem needs a network", p.Kind)
		}
		size := 1
		for _, v := range p.Input {
			if v < 1 {
				return fail("input shape %v must have sizes ≥ 1", p.Input)
			}
			size *= v
		}
		if len(p.Input) == 0 || size != p.D {
			return fail("input shape %v must hold d = %d values", p.Input, p.D)
		}
	default:
		return fail("kind must be one of %s, got %q", strings.Join(Kinds, ", "), p.Kind)
	}
	if p.N < 1 || p.D < 1 {
		return fail("n and d must be ≥ 1, got %dx%d", p.N, p.D)
	}
	if p.Kind != "linreg" && p.Kind != "logreg" && p.K < 2 {
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
