package modelfile

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// Engine rebuilds the model a file describes, with the file's parameters.
func (f *File) Engine(opt graph.Options) (*graph.Engine, error) {
	m, err := models.Parse(f.Model.Spec, f.Model.Features, f.Model.Outputs, f.Model.Activation, f.Model.Seed)
	if err != nil {
		return nil, err
	}
	p := models.Problem{Model: m, Loss: f.Model.Loss, Delta: f.Model.Delta}
	if f.Model.Dtype == "float32" {
		p.Dtype = tensor.Float32
	}
	e, err := p.Engine(opt)
	if err != nil {
		return nil, err
	}
	return e, f.Apply(e)
}

// Prediction is a model's output for a dataset.
type Prediction struct {
	// Values is N×Outputs: the regression output, or the logits.
	Values  []float64
	N, K    int
	Classes int
}

// Predict runs the model in f on ds, after the file's standardization.
// The model's feature columns are taken from ds by name, in the model's
// order; other columns, a target among them, are ignored.
func Predict(f *File, ds *data.Dataset) (*Prediction, error) {
	if len(f.Features) != f.Model.Features {
		return nil, fmt.Errorf("train: the model file names %d features but the model takes %d", len(f.Features), f.Model.Features)
	}
	ds, err := ds.Select(f.Features)
	if err != nil {
		return nil, fmt.Errorf("train: the model needs features %v: %w", f.Features, err)
	}
	e, err := f.Engine(graph.Options{})
	if err != nil {
		return nil, err
	}
	X := append([]float64(nil), ds.X...)
	if s := f.Standardize; s != nil {
		if err := (data.Stats{Mean: s.Mean, Std: s.Std}).Apply(X, ds.D); err != nil {
			return nil, err
		}
	}
	out, err := e.Predict(X, ds.N, nil)
	if err != nil {
		return nil, err
	}
	return &Prediction{Values: out, N: ds.N, K: e.Outputs(), Classes: f.Classes}, nil
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
		z += expDiff(v, row[c])
	}
	return c, 1 / z
}
