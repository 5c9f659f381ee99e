package job

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/ops"
	"github.com/descent-ml/descent/optimizers"
)

// Job is a whole training run as the command line describes one: data,
// model, loss, optimizer, loop settings, standardization, validation split
// and a starting point. Its zero values are documented defaults.
type Job struct {
	// Data is the dataset; Job never modifies it.
	Data *data.Dataset
	// Model is linear, poly:K, logistic, softmax or mlp:H1[,H2…]; "" is linear.
	Model string
	// Activation is the MLP's hidden activation; "" is relu.
	Activation string
	// Loss is mse, half-mse, mae, huber, bce or xent; "" follows the model.
	Loss  string
	Delta float64
	// Float32 runs the graph in float32 (parameters stay float64).
	Float32 bool
	// Optimizer selects and configures the update rule.
	Optimizer optimizers.Config
	// Loop sets epochs, batch size, shuffling, seed and stop rules.
	Loop Config
	// Standardize z-scores the features with the training rows' mean and
	// population standard deviation; the statistics go into the model file.
	Standardize bool
	// ValSplit holds out this fraction of rows, drawn with Loop.Seed, for
	// validation; 0 is none.
	ValSplit float64
	// Init starts from a model file's parameters; a checkpoint's optimizer
	// state and epoch count are resumed as well.
	Init *File
	// Engine tunes the executor.
	Engine graph.Options
	// Hooks observe the run.
	Hooks []Hook
}

// Outcome is what a Job produced.
type Outcome struct {
	Result *Result
	// R2 is set for regression, Accuracy for classification, both on the
	// training rows; ValR2 and ValAccuracy on the validation rows.
	R2, Accuracy, ValR2, ValAccuracy *float64
	Engine                           *graph.Engine
	// File is the model file of the final parameters, with the optimizer
	// state, ready to Save.
	File *File
	// Train and Val are the encoded sets the run used.
	Train Data
	Val   *Data
}

// Prepared is a Job after its data, model and optimizer are set up and
// before training: what Compare and Surface reuse.
type Prepared struct {
	Engine      *graph.Engine
	Optimizer   *optimizers.Optimizer
	Train       Data
	Val         *Data
	Spec        ModelSpec
	Stats       *Standardize
	Classes     int
	TrainLabels []float64
	ValLabels   []float64
	Loop        Config
}

// Prepare validates the job and builds its engine and optimizer.
func (j *Job) Prepare() (*Prepared, error) {
	if j.Data == nil {
		return nil, fmt.Errorf("train: the job has no data")
	}
	ds := j.Data.Subset(allRows(j.Data.N))
	if f := j.Init; f != nil && f.Model.Features != 0 && f.Model.Features != ds.D {
		return nil, fmt.Errorf("train: the model file has %d features (%v), the data has %d (%v)", f.Model.Features, f.Features, ds.D, ds.Features)
	}
	spec := j.Model
	if spec == "" {
		spec = "linear"
	}
	loss := j.Loss
	if loss == "" {
		loss = models.DefaultLossFor(spec)
	}
	info, err := ops.LossInfo(loss)
	if err != nil {
		return nil, err
	}
	classes, outputs := 0, 1
	if info.Classes != "" {
		if classes, err = ds.Classes(); err != nil {
			return nil, err
		}
		if info.Classes == "binary" && classes > 2 {
			return nil, fmt.Errorf("train: bce needs labels 0 and 1, the target %q has %d classes (use --loss xent)", ds.Target, classes)
		}
		if info.Classes == "multi" {
			if classes < 2 {
				return nil, fmt.Errorf("train: xent needs at least 2 classes, the target %q has %d", ds.Target, classes)
			}
			outputs = classes
		}
	} else if spec == "logistic" || spec == "softmax" {
		return nil, fmt.Errorf("train: model %s is a classifier; use --loss bce or xent, not %s", spec, loss)
	}
	var tr, va *data.Dataset = ds, nil
	if j.ValSplit != 0 {
		if tr, va, err = data.Split(ds, j.ValSplit, int64(j.Loop.Seed)); err != nil {
			return nil, err
		}
	}
	var stats *Standardize
	if j.Init != nil && j.Init.Standardize != nil {
		stats = j.Init.Standardize
	} else if j.Standardize {
		st := data.FitStats(tr.X, tr.N, tr.D)
		stats = &Standardize{Mean: st.Mean, Std: st.Std}
	}
	if stats != nil {
		st := data.Stats{Mean: stats.Mean, Std: stats.Std}
		if err := st.Apply(tr.X, tr.D); err != nil {
			return nil, err
		}
		if va != nil {
			if err := st.Apply(va.X, va.D); err != nil {
				return nil, err
			}
		}
	}
	m, err := models.Parse(spec, ds.D, outputs, j.Activation, j.Loop.Seed)
	if err != nil {
		return nil, err
	}
	prob := models.Problem{Model: m, Loss: loss, Delta: j.Delta}
	dtype := "float64"
	if j.Float32 {
		prob.Dtype, dtype = tensor.Float32, "float32"
	}
	e, err := prob.Engine(j.Engine)
	if err != nil {
		return nil, err
	}
	p := &Prepared{Engine: e, Classes: classes, Stats: stats, Loop: j.Loop,
		Spec: ModelSpec{Spec: spec, Features: ds.D, Outputs: outputs, Activation: activationOf(m), Seed: j.Loop.Seed,
			Loss: loss, Delta: j.Delta, Dtype: dtype, OptimizerName: j.Optimizer.Name}}
	p.Train, p.TrainLabels = encode(tr, info.Classes, outputs)
	if va != nil {
		v, labels := encode(va, info.Classes, outputs)
		p.Val, p.ValLabels = &v, labels
	}
	if p.Optimizer, err = optimizers.New(j.Optimizer); err != nil {
		return nil, err
	}
	if err := p.Optimizer.Init(e.Params()); err != nil {
		return nil, err
	}
	if f := j.Init; f != nil {
		if err := f.Apply(e); err != nil {
			return nil, err
		}
		if len(f.Optimizer) > 0 && f.Model.OptimizerName == j.Optimizer.Name {
			if err := p.Optimizer.UnmarshalState(f.Optimizer); err != nil {
				return nil, err
			}
			p.Loop.StartEpoch = f.Epochs
		}
	}
	return p, nil
}

// Run prepares and trains.
func (j *Job) Run(ctx context.Context) (*Outcome, error) {
	p, err := j.Prepare()
	if err != nil {
		return nil, err
	}
	res, err := Run(ctx, p.Engine, Adapt(p.Optimizer), p.Train, p.Val, p.Loop, j.Hooks...)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Result: res, Engine: p.Engine, Train: p.Train, Val: p.Val}
	if out.R2, out.Accuracy, err = p.metrics(p.Train, p.TrainLabels); err != nil {
		return nil, err
	}
	if p.Val != nil {
		if out.ValR2, out.ValAccuracy, err = p.metrics(*p.Val, p.ValLabels); err != nil {
			return nil, err
		}
	}
	f := NewFile(p.Spec, p.Engine)
	f.Features, f.Target, f.Classes = j.Data.Features, j.Data.Target, p.Classes
	f.Standardize = p.Stats
	f.Epochs, f.Steps = res.Epochs, res.Steps
	if j.Init != nil && len(j.Init.Optimizer) > 0 && p.Loop.StartEpoch > 0 {
		f.Steps += j.Init.Steps
	}
	if f.Optimizer, err = p.Optimizer.MarshalState(); err != nil {
		return nil, err
	}
	out.File = f
	return out, nil
}

// metrics computes R² (regression) or accuracy (classification).
func (p *Prepared) metrics(d Data, labels []float64) (r2, acc *float64, err error) {
	pred, err := p.Engine.Predict(d.X, d.N, nil)
	if err != nil {
		return nil, nil, err
	}
	if p.Classes == 0 {
		v, err := R2(pred, d.Y)
		if err != nil || math.IsNaN(v) {
			return nil, nil, err
		}
		return &v, nil, nil
	}
	v, err := Accuracy(pred, labels, p.Spec.Outputs)
	return nil, &v, err
}

// encode returns the dataset with targets as the loss wants them: the
// values for regression and bce, one-hot rows for xent.
func encode(d *data.Dataset, classes string, k int) (Data, []float64) {
	out := Data{X: d.X, N: d.N, D: d.D, T: 1, Y: d.Y}
	if classes != "multi" {
		return out, d.Y
	}
	out.T = k
	out.Y = make([]float64, d.N*k)
	for i, l := range d.Y {
		out.Y[i*k+int(l)] = 1
	}
	return out, d.Y
}

func activationOf(m models.Model) string {
	if mlp, ok := m.(*models.MLP); ok {
		return mlp.Activation
	}
	return ""
}

func allRows(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// MarshalSummary renders an outcome as the JSON summary the CLI prints.
func (o *Outcome) MarshalSummary() ([]byte, error) {
	r := o.Result
	s := map[string]any{
		"status": r.Status.String(), "epochs": r.Epochs, "steps": r.Steps, "loss": jsonFloat(r.Loss),
		"seconds": r.Duration.Seconds(), "params": o.Engine.Params(),
	}
	if o.Val != nil {
		s["val_loss"] = jsonFloat(r.ValLoss)
	}
	if o.R2 != nil {
		s["r2"] = *o.R2
	}
	if o.Accuracy != nil {
		s["accuracy"] = *o.Accuracy
	}
	if o.ValR2 != nil {
		s["val_r2"] = *o.ValR2
	}
	if o.ValAccuracy != nil {
		s["val_accuracy"] = *o.ValAccuracy
	}
	if r.Diverged != nil {
		s["diverged"] = map[string]any{"epoch": r.Diverged.Epoch, "step": r.Diverged.Step, "what": r.Diverged.What, "hint": r.Diverged.Hint}
	}
	return json.MarshalIndent(s, "", "  ")
}

func jsonFloat(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// Adapt makes an *optimizers.Optimizer a train.Optimizer.
func Adapt(o *optimizers.Optimizer) Optimizer { return adapted{o} }

type adapted struct{ o *optimizers.Optimizer }

func (a adapted) Step(params, grads map[string][]float64) error {
	return a.o.Step(optimizers.Params(params), optimizers.Params(grads))
}

// LR reports the optimizer's learning rate for the next step, for hooks.
func (a adapted) LR() float64 { return a.o.LR() }
