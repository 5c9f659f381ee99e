package models

import (
	"fmt"
	"math"
	"sort"
	"strings"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/internal/lex"
	"github.com/descent-ml/descent/nn"
	"github.com/descent-ml/descent/ops"
)

// Problem pairs a model with a loss. Its zero values are defaults: the loss
// follows the model (bce for Logistic, xent for Softmax, mse otherwise),
// Delta is 1, Dtype is float64 and there is no L2 penalty.
type Problem struct {
	Model Model
	// Loss is mse, half-mse, mae, huber, bce or xent.
	Loss string
	// Delta is Huber's δ.
	Delta float64
	// Dtype is tensor.Float64 or tensor.Float32.
	Dtype tensor.Dtype
	// L2 adds (λ/2)·Σθ² over every parameter to the loss.
	L2 float64
	// Input and Target are the shapes of one row of X and of Y; nil takes
	// them from a Sized model as (features) and (outputs).
	Input, Target []int
	// Seed seeds the parameters' initializers; 0 takes a Seeded model's.
	Seed uint64
}

// DefaultLoss is the loss a model is trained with when none is named.
func DefaultLoss(m Model) string {
	switch m.(type) {
	case Logistic:
		return DefaultLossFor("logistic")
	case Softmax:
		return DefaultLossFor("softmax")
	}
	return DefaultLossFor("")
}

// DefaultLossFor is DefaultLoss for a model spec as Parse reads it, before
// the model is built: bce for logistic, xent for softmax, mse otherwise.
func DefaultLossFor(spec string) string {
	switch spec {
	case "logistic":
		return "bce"
	case "softmax":
		return "xent"
	}
	return "mse"
}

// LossName returns the loss the problem uses.
func (p Problem) LossName() string {
	if p.Loss != "" {
		return p.Loss
	}
	return DefaultLoss(p.Model)
}

// Shapes returns the per-row input and target shapes.
func (p Problem) Shapes() (input, target []int) {
	input, target = p.Input, p.Target
	if sz, ok := p.Model.(Sized); ok {
		d, k := sz.Dims()
		if input == nil && d > 0 {
			input = []int{d}
		}
		if target == nil && k > 0 {
			target = []int{k}
		}
	}
	return input, target
}

// Spec turns the problem into a graph.Spec. An Objective needs no data.
func (p Problem) Spec() (graph.Spec, error) {
	if p.Model == nil {
		return graph.Spec{}, fmt.Errorf("models: the problem has no model")
	}
	if p.L2 < 0 || math.IsNaN(p.L2) || math.IsInf(p.L2, 0) {
		return graph.Spec{}, fmt.Errorf("models: l2 must be a finite number >= 0, got %v", p.L2)
	}
	if err := nn.Validate(p.Model); err != nil {
		return graph.Spec{}, fmt.Errorf("models: %w", err)
	}
	model := p.Model
	seed := p.Seed
	if sd, ok := model.(Seeded); ok && seed == 0 {
		seed = sd.InitSeed()
	}
	spec := graph.Spec{Dtype: p.Dtype, Seed: seed, Forward: func(s *graph.Scope) (*G.Node, error) { return model.Forward(s, s.X) }}
	if _, ok := p.Model.(Objective); ok {
		return spec, nil
	}
	input, target := p.Shapes()
	if len(input) == 0 || len(target) == 0 {
		return graph.Spec{}, fmt.Errorf("models: the model needs features > 0 and outputs > 0: the shapes of a row of X and of Y are %v and %v", input, target)
	}
	for _, d := range append(append([]int{}, input...), target...) {
		if d <= 0 {
			return graph.Spec{}, fmt.Errorf("models: the model needs features > 0 and outputs > 0, got input %v and target %v", input, target)
		}
	}
	name := p.LossName()
	info, err := ops.LossInfo(name)
	if err != nil {
		return graph.Spec{}, err
	}
	k := 1
	for _, d := range target {
		k *= d
	}
	if info.Classes == "binary" && k != 1 {
		return graph.Spec{}, fmt.Errorf("models: bce needs one output column (a logit), the model has %d", k)
	}
	if info.Classes == "multi" && k < 2 {
		return graph.Spec{}, fmt.Errorf("models: xent needs at least 2 output columns (one per class), the model has %d", k)
	}
	loss, err := info.New(p.Delta)
	if err != nil {
		return graph.Spec{}, err
	}
	spec.Input, spec.Target = input, target
	spec.RowMean = p.L2 == 0
	lambda := p.L2
	spec.Loss = func(s *graph.Scope, pred *G.Node) (*G.Node, error) {
		if !pred.Shape().Eq(s.Y.Shape()) {
			hint := ""
			if pred.Dims() > 2 {
				hint = ": the model's output still has the shape of an image; flatten it before the last linear layer"
			}
			return nil, fmt.Errorf("models: the prediction has shape %v but the target has shape %v%s", pred.Shape(), s.Y.Shape(), hint)
		}
		j, err := loss(pred, s.Y)
		if err != nil || lambda == 0 {
			return j, err
		}
		names := make([]string, 0, len(s.Params))
		for name := range s.Params {
			names = append(names, name)
		}
		sort.Strings(names)
		nodes := make([]*G.Node, len(names))
		for i, name := range names {
			nodes[i] = s.Params[name]
		}
		pen, err := ops.L2(lambda, nodes...)
		if err != nil {
			return nil, err
		}
		return G.Add(j, pen)
	}
	return spec, nil
}

// Engine builds the problem's graph.Engine.
func (p Problem) Engine(opt graph.Options) (*graph.Engine, error) {
	spec, err := p.Spec()
	if err != nil {
		return nil, err
	}
	return graph.New(spec, opt)
}

// Parse builds a model from a spec: linear, poly:K, logistic, softmax or
// mlp:H1[,H2…]. features and outputs are the data's widths (outputs is the
// class count for softmax and classification MLPs); activation and seed
// apply to MLPs.
func Parse(spec string, features, outputs int, activation string, seed uint64) (Model, error) {
	name, arg, _ := strings.Cut(spec, ":")
	switch name {
	case "linear":
		return Linear{Features: features}, noArg(spec, arg)
	case "logistic":
		return Logistic{Features: features}, noArg(spec, arg)
	case "softmax":
		return Softmax{Features: features, Classes: outputs}, noArg(spec, arg)
	case "poly":
		var k int
		if _, err := fmt.Sscanf(arg, "%d", &k); err != nil || k < 1 || fmt.Sprint(k) != arg {
			return nil, fmt.Errorf("models: model %q: the degree must be an integer >= 1, as in poly:2", spec)
		}
		if features != 1 {
			return nil, fmt.Errorf("models: model %q takes one feature, the data has %d", spec, features)
		}
		return Poly{Degree: k}, nil
	case "mlp":
		var hidden []int
		for _, f := range strings.Split(arg, ",") {
			var h int
			if _, err := fmt.Sscanf(f, "%d", &h); err != nil || h < 1 || fmt.Sprint(h) != f {
				return nil, fmt.Errorf("models: model %q: hidden sizes must be integers >= 1, as in mlp:64,32", spec)
			}
			hidden = append(hidden, h)
		}
		return NewMLP(features, outputs, hidden, activation, seed)
	}
	if IsLayerSequence(spec) && !isBareWord(spec) {
		seq, err := nn.Parse(spec)
		if err != nil {
			return nil, err
		}
		return seq, nil
	}
	if isBareWord(spec) {
		if seq, err := nn.Parse(spec); err == nil {
			return seq, nil // a parameterless layer such as relu
		}
	}
	return nil, fmt.Errorf("models: unknown model %s (want linear, poly:K, logistic, softmax, mlp:H1[,H2...], or a layer sequence such as 'linear(16) relu linear(3)')", quoteSpec(spec))
}

// IsLayerSequence reports whether spec is written in the layer grammar
// (nn.Parse) rather than as one of the classic models.
func IsLayerSequence(spec string) bool {
	name, _, _ := strings.Cut(spec, ":")
	switch name {
	case "linear", "poly", "logistic", "softmax", "mlp":
		if !strings.ContainsAny(spec, "( \t\n") {
			return false
		}
	}
	return strings.TrimSpace(spec) != ""
}

// isBareWord reports whether spec is one lower-case word, which names a
// classic model or a layer without arguments.
func isBareWord(spec string) bool {
	if spec == "" {
		return false
	}
	for _, c := range spec {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// quoteSpec quotes a model spec for a message, cut to about 40 bytes.
func quoteSpec(s string) string { return lex.Quote(s) }

func noArg(spec, arg string) error {
	if arg != "" {
		return fmt.Errorf("models: model %q takes no argument", spec)
	}
	return nil
}
