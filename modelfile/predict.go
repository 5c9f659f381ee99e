package modelfile

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/train"
)

// Prediction is a model's output for a dataset.
type Prediction struct {
	// Values is N×K: the regression output in the target's units, or the
	// logits of a classifier.
	Values  []float64
	N, K    int
	Classes int
}

// Predict runs the model in f on ds, after the file's standardization.
// The model's feature columns are taken from ds by name, in the model's
// order; other columns, a target among them, are ignored. A model trained
// on a standardized target predicts in the target's units.
func Predict(f *File, ds *data.Dataset) (*Prediction, error) {
	return PredictWith(f, ds, graph.Options{})
}

// PredictWith is Predict with engine options.
func PredictWith(f *File, ds *data.Dataset, opt graph.Options) (*Prediction, error) {
	if f.Model.Features != 0 && len(f.Features) != f.Model.Features {
		return nil, fmt.Errorf("modelfile: the model file names %d features but the model takes %d", len(f.Features), f.Model.Features)
	}
	sel, err := ds.Select(f.Features)
	if err != nil {
		return nil, fmt.Errorf("modelfile: the model needs the columns it was trained on: %w", err)
	}
	e, err := f.Engine(opt)
	if err != nil {
		return nil, err
	}
	X := sel.X
	if s := f.Standardize; s != nil {
		X = append([]float64(nil), sel.X...)
		if err := (data.Stats{Mean: s.Mean, Std: s.Std}).Apply(X, sel.D); err != nil {
			return nil, err
		}
	}
	out, err := e.Predict(X, sel.N, nil)
	if err != nil {
		return nil, err
	}
	if t := f.TargetStandardize; t != nil {
		for i := range out {
			out[i] = out[i]*t.Std[0] + t.Mean[0]
		}
	}
	return &Prediction{Values: out, N: sel.N, K: e.Outputs(), Classes: f.Classes}, nil
}

// Evaluation is how a prediction scores against known targets: accuracy
// and a confusion matrix for a classifier, R², RMSE and MAE (in the
// target's units) for a regression.
type Evaluation struct {
	Rows      int              `json:"rows"`
	Accuracy  *float64         `json:"accuracy,omitempty"`
	Confusion *train.Confusion `json:"confusion,omitempty"`
	R2        *float64         `json:"r2,omitempty"`
	RMSE      *float64         `json:"rmse,omitempty"`
	MAE       *float64         `json:"mae,omitempty"`
}

// Evaluate scores p against the targets y (class labels for a classifier).
func (p *Prediction) Evaluate(y []float64) (*Evaluation, error) {
	if len(y) != p.N {
		return nil, fmt.Errorf("modelfile: %d targets for %d predictions", len(y), p.N)
	}
	ev := &Evaluation{Rows: p.N}
	if p.Classes > 0 {
		acc, err := train.Accuracy(p.Values, y, p.K)
		if err != nil {
			return nil, err
		}
		conf, err := train.NewConfusion(p.Values, y, p.K)
		if err != nil {
			return nil, err
		}
		ev.Accuracy, ev.Confusion = &acc, conf
		return ev, nil
	}
	if p.K != 1 {
		return nil, fmt.Errorf("modelfile: a regression with %d outputs per row has no single target to score", p.K)
	}
	r2, err := train.R2(p.Values, y)
	if err != nil {
		return nil, err
	}
	rmse, _ := train.RMSE(p.Values, y)
	mae, _ := train.MAE(p.Values, y)
	if !math.IsNaN(r2) {
		ev.R2 = &r2
	}
	ev.RMSE, ev.MAE = &rmse, &mae
	return ev, nil
}

// WriteCSV writes one row per input row: the prediction, and for a
// classifier the predicted class and its probability.
func (p *Prediction) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	switch {
	case p.Classes == 0:
		cw.Write([]string{"prediction"})
		for _, v := range p.Values {
			cw.Write([]string{f(v)})
		}
	default:
		cw.Write([]string{"class", "probability"})
		for i := 0; i < p.N; i++ {
			c, prob := p.Class(i)
			cw.Write([]string{strconv.Itoa(c), f(prob)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// Class returns row i's predicted class and its probability: σ(z) for a
// binary logit, the softmax of the row's logits otherwise.
func (p *Prediction) Class(i int) (int, float64) {
	if p.K == 1 {
		s := graph.Sigmoid(p.Values[i])
		if s > 0.5 {
			return 1, s
		}
		return 0, 1 - s
	}
	row := p.Values[i*p.K : i*p.K+p.K]
	c := 0
	for j, v := range row {
		if v > row[c] {
			c = j
		}
	}
	var z float64
	for _, v := range row {
		z += math.Exp(v - row[c])
	}
	return c, 1 / z
}

// Probabilities returns row i's class probabilities (softmax of its
// logits; σ(z) and 1−σ(z) for a binary logit, class 0 first).
func (p *Prediction) Probabilities(i int) []float64 {
	if p.K == 1 {
		s := graph.Sigmoid(p.Values[i])
		return []float64{1 - s, s}
	}
	row := p.Values[i*p.K : i*p.K+p.K]
	m := row[0]
	for _, v := range row {
		m = math.Max(m, v)
	}
	out := make([]float64, p.K)
	var z float64
	for j, v := range row {
		out[j] = math.Exp(v - m)
		z += out[j]
	}
	for j := range out {
		out[j] /= z
	}
	return out
}
