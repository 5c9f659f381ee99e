package ops

import (
	"fmt"
	"sort"
	"strings"

	G "gorgonia.org/gorgonia"
)

// Loss turns a prediction and a target of the same shape into a scalar.
// For bce the prediction is a column of logits and the target holds 0/1;
// for xent the prediction is an n×k matrix of logits and the target is the
// one-hot encoding of the labels.
type Loss func(pred, target *G.Node) (*G.Node, error)

// Info describes a named loss: one row of the loss table.
type Info struct {
	Name    string
	Formula string
	// Classes says the target is class labels: "binary" (0/1, bce) or
	// "multi" (0..k−1, one-hot encoded for xent); "" for regression.
	Classes string
	// New builds the loss; delta is Huber's δ (0 means 1) and is ignored
	// by the others.
	New func(delta float64) (Loss, error)
}

func fixed(l Loss) func(float64) (Loss, error) {
	return func(float64) (Loss, error) { return l, nil }
}

// infos is the loss table: a loss exists only as a row here.
var infos = []Info{
	{"mse", "J = (1/n)·Σ(ŷ−y)²", "", fixed(MSE)},
	{"half-mse", "J = (1/2n)·Σ(ŷ−y)²", "", fixed(HalfMSE)},
	{"mae", "J = (1/n)·Σ|ŷ−y|", "", fixed(MAE)},
	{"huber", "J = (1/n)·Σ h(ŷ−y), h(r) = r²/2 if |r| ≤ δ else δ(|r| − δ/2)", "", func(delta float64) (Loss, error) {
		if delta == 0 {
			delta = 1
		}
		return Huber(delta)
	}},
	{"bce", "J = (1/n)·Σ softplus(z) − y·z, z the logit", "binary", fixed(BCEWithLogits)},
	{"xent", "J = −(1/n)·Σ log softmax(z)[label]", "multi", fixed(SoftmaxCrossEntropy)},
}

// Losses lists the named losses.
func Losses() []Info { return append([]Info(nil), infos...) }

// LossNames lists the loss names in table order.
func LossNames() []string {
	names := make([]string, len(infos))
	for i, in := range infos {
		names[i] = in.Name
	}
	return names
}

// LossInfo returns the description of the named loss.
func LossInfo(name string) (Info, error) {
	for _, in := range infos {
		if in.Name == name {
			return in, nil
		}
	}
	names := LossNames()
	sort.Strings(names)
	return Info{}, fmt.Errorf("ops: unknown loss %q (want one of %s)", name, strings.Join(names, ", "))
}

// ByName returns the named loss; delta is Huber's δ (0 means 1).
func ByName(name string, delta float64) (Loss, error) {
	in, err := LossInfo(name)
	if err != nil {
		return nil, err
	}
	return in.New(delta)
}

func checkSame(what string, pred, target *G.Node) error {
	if !pred.Shape().Eq(target.Shape()) {
		return fmt.Errorf("ops: %s needs prediction and target of one shape, got %v and %v", what, pred.Shape(), target.Shape())
	}
	return nil
}

// MSE is the mean squared error J = (1/n)·Σᵢ(ŷᵢ−yᵢ)² over every element.
func MSE(pred, target *G.Node) (out *G.Node, err error) {
	defer recoverTo(&err, "mse")
	if err := checkSame("mse", pred, target); err != nil {
		return nil, err
	}
	return G.Mean(G.Must(G.Square(G.Must(G.Sub(pred, target)))))
}

// HalfMSE is ½·MSE, J = (1/2n)·Σᵢ(ŷᵢ−yᵢ)², the convention of textbooks whose
// gradient has no factor 2.
func HalfMSE(pred, target *G.Node) (out *G.Node, err error) {
	defer recoverTo(&err, "half-mse")
	m, err := MSE(pred, target)
	if err != nil {
		return nil, err
	}
	return G.Mul(m, constLike(pred, 0.5))
}

// MAE is the mean absolute error J = (1/n)·Σᵢ|ŷᵢ−yᵢ|.
func MAE(pred, target *G.Node) (out *G.Node, err error) {
	defer recoverTo(&err, "mae")
	if err := checkSame("mae", pred, target); err != nil {
		return nil, err
	}
	return G.Mean(G.Must(G.Abs(G.Must(G.Sub(pred, target)))))
}

// Huber returns the Huber loss with threshold δ > 0 (Huber 1964):
// h(r) = r²/2 for |r| ≤ δ and δ·(|r| − δ/2) beyond, averaged over elements.
// It is built as δ|r| − δ²/2 + ½·relu(δ − |r|)², which equals h everywhere
// and whose gradient sign(r)·min(|r|, δ) Gorgonia derives.
func Huber(delta float64) (Loss, error) {
	if !(delta > 0) {
		return nil, fmt.Errorf("ops: huber delta must be > 0, got %v", delta)
	}
	return func(pred, target *G.Node) (out *G.Node, err error) {
		defer recoverTo(&err, "huber")
		if err := checkSame("huber", pred, target); err != nil {
			return nil, err
		}
		a := G.Must(G.Abs(G.Must(G.Sub(pred, target))))
		lin := G.Must(G.Sub(G.Must(G.Mul(a, constLike(pred, delta))), constLike(pred, delta*delta/2)))
		gap := G.Must(G.Rectify(G.Must(G.Sub(constLike(pred, delta), a))))
		quad := G.Must(G.Mul(G.Must(G.Square(gap)), constLike(pred, 0.5)))
		return G.Mean(G.Must(G.Add(lin, quad)))
	}, nil
}

// BCEWithLogits is binary cross-entropy computed from logits z:
// J = (1/n)·Σᵢ [softplus(zᵢ) − yᵢ·zᵢ], which equals
// −(1/n)·Σ[y·log σ(z) + (1−y)·log(1−σ(z))] without ever forming log(0).
// Descent's executor evaluates softplus as max(z,0) + log1p(e^(−|z|)).
func BCEWithLogits(logits, target *G.Node) (out *G.Node, err error) {
	defer recoverTo(&err, "bce")
	if err := checkSame("bce", logits, target); err != nil {
		return nil, err
	}
	return G.Mean(G.Must(G.Sub(G.Must(G.Softplus(logits)), G.Must(G.HadamardProd(target, logits)))))
}

// SoftmaxCrossEntropy is the cross-entropy of softmax(Z) against one-hot
// targets Y, from logits: J = −(1/n)·Σᵢ Σⱼ Yᵢⱼ·log softmax(Zᵢ)ⱼ, with the
// log-softmax computed as Z − logsumexp(Z) so it never overflows.
func SoftmaxCrossEntropy(logits, onehot *G.Node) (out *G.Node, err error) {
	defer recoverTo(&err, "xent")
	if err := checkSame("xent", logits, onehot); err != nil {
		return nil, err
	}
	if logits.Dims() != 2 {
		return nil, fmt.Errorf("ops: xent needs an n×k matrix of logits, got shape %v", logits.Shape())
	}
	ls := G.Must(G.LogSoftMax(logits))
	perRow := G.Must(G.Sum(G.Must(G.HadamardProd(onehot, ls)), 1))
	return G.Neg(G.Must(G.Mean(perRow)))
}

// L2 is the penalty (λ/2)·Σ‖θ‖² over the given parameters, whose gradient is
// λ·θ, the coupled weight decay of the optimizers.
func L2(lambda float64, params ...*G.Node) (out *G.Node, err error) {
	defer recoverTo(&err, "l2")
	if lambda < 0 {
		return nil, fmt.Errorf("ops: l2 lambda must be >= 0, got %v", lambda)
	}
	if len(params) == 0 {
		return nil, fmt.Errorf("ops: l2 needs at least one parameter")
	}
	var total *G.Node
	for _, p := range params {
		s := G.Must(G.Sum(G.Must(G.Square(p))))
		if total == nil {
			total = s
		} else {
			total = G.Must(G.Add(total, s))
		}
	}
	return G.Mul(total, constLike(params[0], lambda/2))
}

func recoverTo(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("ops: building %s: %v", what, r)
	}
}

// constLike returns a scalar constant of n's dtype.
func constLike(n *G.Node, v float64) *G.Node {
	if n.Dtype() == G.Float32 {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}
