// Package job is a whole training run as the command line describes one:
// data, model, loss, optimizer, loop settings, standardization, validation
// split and a starting point, prepared once and run; and the comparisons
// and loss surfaces built on such runs. Everything the CLI's train,
// compare and surface commands do is a call here.
package job

import (
	"fmt"
	"math"
	"slices"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/modelfile"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
	"github.com/descent-ml/descent/ops"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// Job is a whole training run. Its zero values are documented defaults.
type Job struct {
	// Data is the dataset; Job never modifies it.
	Data *data.Dataset
	// Model is linear, poly:K, logistic, softmax, mlp:H1[,H2…] or a layer
	// sequence ("conv2d(16,3,padding=1) relu flatten linear(10)"). ""
	// picks linear for a regression target, and logistic or softmax for a
	// target of class labels.
	Model string
	// Module is a user's own module, used instead of Model. To be saved,
	// loaded and resumed it must be registered (nn.Register).
	Module models.Model
	// Activation is the MLP's hidden activation; "" is relu.
	Activation string
	// Loss is mse, half-mse, mae, huber, bce or xent; "" picks one (see
	// ChooseLoss) and Prepared.LossReason says why.
	Loss  string
	Delta float64
	// Float32 trains in float32: the graph's kernels, the parameters, their
	// gradients and the optimizer's state (optimizers.New32).
	Float32 bool
	// Optimizer selects and configures the update rule.
	Optimizer optimizers.Config
	// Loop sets epochs, batch size, shuffling, seed and stop rules.
	Loop train.Config
	// Standardize z-scores the features with the training rows' mean and
	// population standard deviation; the statistics go into the model file.
	Standardize bool
	// StandardizeTarget z-scores a regression target the same way; the
	// loss is then in standardized units, while predictions and metrics
	// (R², RMSE, MAE) are converted back to the target's units.
	StandardizeTarget bool
	// ValSplit holds out this fraction of rows, drawn with Loop.Seed, for
	// validation; 0 is none.
	ValSplit float64
	// ValData is a separate validation (or test) set with the training
	// data's columns, used instead of a split; Job never modifies it.
	ValData *data.Dataset
	// InputShape reshapes each row, such as [1 8 8] for 64 pixels; nil
	// takes the dataset's Shape for a layer sequence, and flat rows for the
	// classic models.
	InputShape []int
	// Init starts from a model file's parameters and buffers; a
	// checkpoint's optimizer state and position are resumed as well, so an
	// interrupted run continues bit-identically.
	Init *modelfile.File
	// ResetOptimizer starts a fresh optimizer (and a new run) from Init's
	// weights when Init was trained with another optimizer; without it that
	// is an error.
	ResetOptimizer bool
	// Engine tunes the executor.
	Engine graph.Options
	// Hooks observe the run.
	Hooks []train.Hook
	// Shard makes the job one process of a data-parallel run, Data being
	// this process's rows (see Shard); nil runs on one process.
	Shard *Shard
	// Stream trains from a file read in passes instead of Data (see
	// Stream); nil trains on Data in memory.
	Stream *Stream
}

// Prepared is a Job after its data, model and optimizer are set up and
// before training. Compare and Surface reuse it.
type Prepared struct {
	Engine *graph.Engine
	// Optimizer is the job's optimizer; for a float32 engine it carries
	// the configuration only and Optimizer32, of the same Config and with
	// float32 state, is the one stepped (TrainOptimizer).
	Optimizer   *optimizers.Optimizer
	Optimizer32 *optimizers.Optimizer32
	Train       train.Data
	Val         *train.Data
	// Loop is the job's loop with the checkpoint's position to resume from.
	Loop train.Config
	// Loss is the loss in use and LossReason why it was chosen.
	Loss, LossReason string
	// Classes is the number of classes (0 for regression).
	Classes int
	// Arch describes the model for a model file.
	Arch modelfile.Arch
	// Stats and TargetStats are the standardizations applied.
	Stats, TargetStats *modelfile.Standardize
	// InputShape is the shape of one input row.
	InputShape []int
	// Features and Target name the data's columns.
	Features []string
	Target   string
	// Resumed says the run continues a checkpoint.
	Resumed bool

	job     Job
	archErr error     // why a user's module cannot be saved, if it cannot
	stream  *streamed // the open file of a streamed job
}

// Prepare validates the job and builds its engine and optimizer. The
// optimizer is validated first, so a bad option is reported before any
// data is touched.
func (j *Job) Prepare() (*Prepared, error) {
	if j.Stream != nil {
		return j.prepareStream()
	}
	if j.Data == nil {
		return nil, fmt.Errorf("job: the job has no data")
	}
	if j.ValSplit < 0 || j.ValSplit >= 1 || math.IsNaN(j.ValSplit) {
		return nil, fmt.Errorf("job: the validation split must be in [0,1), got %v", j.ValSplit)
	}
	opt, err := optimizers.New(j.Optimizer)
	if err != nil {
		return nil, err
	}
	ds := j.Data
	if j.Shard != nil {
		if err := j.Shard.check(ds.N); err != nil {
			return nil, err
		}
	}
	if f := j.Init; f != nil && f.Bare() && j.Model == "" && j.Module == nil {
		return nil, fmt.Errorf("job: the initial file holds weights only (a state_dict): give the architecture with --model, as in 'linear(16) relu linear(3)'")
	}
	if f := j.Init; f != nil && f.Features != nil {
		// The model's columns, by name and in its order.
		if ds, err = ds.Select(f.Features); err != nil {
			return nil, fmt.Errorf("job: the model file was trained on columns %s: %w", listNames(f.Features), err)
		}
		if f.Target != "" && ds.Target != f.Target {
			return nil, fmt.Errorf("job: the model file predicts %q, but the data's target is %q (pass --target %s)", f.Target, ds.Target, f.Target)
		}
	} else {
		ds = ds.Subset(allRows(ds.N))
	}
	choice, err := j.chooseModelLoss(j.labels(ds))
	if err != nil {
		return nil, err
	}
	spec := choice.Model
	info, _ := ops.LossInfo(choice.Loss) // chooseModelLoss checked it
	outputs := 1
	if info.Classes == "multi" {
		outputs = choice.Classes
	}
	if info.Classes != "" && j.StandardizeTarget {
		return nil, fmt.Errorf("job: --standardize-target is for regression; the target %q holds class labels for %s", ds.Target, choice.Loss)
	}
	classic := j.Module == nil && !models.IsLayerSequence(spec)
	shape, err := inputShape(j, ds, classic, spec)
	if err != nil {
		return nil, err
	}
	var tr, va = ds, (*data.Dataset)(nil)
	var trAt, vaAt data.Part
	if s := j.Shard; s != nil {
		trAt = s.part()
	}
	switch {
	case j.ValData != nil && j.ValSplit != 0:
		return nil, fmt.Errorf("job: give a validation split or a validation set, not both")
	case j.ValData != nil:
		if va, err = j.ValData.Select(ds.Features); err != nil {
			return nil, fmt.Errorf("job: the validation set needs the training columns: %w", err)
		}
		if va.Target != ds.Target {
			return nil, fmt.Errorf("job: the validation set's target is %q, the training set's %q", va.Target, ds.Target)
		}
		va.Shape = ds.Shape
		if info.Classes != "" {
			k, err := va.Classes()
			if err != nil {
				return nil, err
			}
			if k > max(choice.Classes, 2) {
				return nil, fmt.Errorf("job: the validation set has labels up to %d, the training set only up to %d", k-1, choice.Classes-1)
			}
		}
		if s := j.Shard; s != nil { // each rank validates on its share
			var vs *Shard
			va, vs = ShardOf(va, s.Comm)
			vaAt = vs.part()
		}
	case j.ValSplit != 0:
		if tr, va, trAt, vaAt, err = j.split(ds); err != nil {
			return nil, err
		}
	}
	p := &Prepared{Optimizer: opt, Loss: choice.Loss, LossReason: choice.Reason, Classes: choice.Classes,
		InputShape: shape, Features: ds.Features, Target: ds.Target, Loop: j.Loop, job: *j}
	if err := p.standardize(j, tr, va, info.Classes == ""); err != nil {
		return nil, err
	}
	if err := p.build(j, spec, ds.D, outputs, shape, choice); err != nil {
		return nil, err
	}
	if p.Train, err = encode(tr, info.Classes, outputs); err != nil {
		return nil, err
	}
	place(&p.Train, trAt)
	if va != nil {
		v, err := encode(va, info.Classes, outputs)
		if err != nil {
			return nil, err
		}
		place(&v, vaAt)
		p.Val = &v
	}
	if s := j.Shard; s != nil {
		p.Loop.Comm = s.Comm
	}
	if p.TargetStats != nil {
		scaleTargets(&p.Train, p.TargetStats)
		if p.Val != nil {
			scaleTargets(p.Val, p.TargetStats)
		}
	}
	if err := p.initOptimizer(); err != nil {
		return nil, err
	}
	if err := p.resume(j); err != nil {
		return nil, err
	}
	return p, nil
}

// build makes the model and its engine: d features a row (of shape) in,
// outputs out.
func (p *Prepared) build(j *Job, spec string, d, outputs int, shape []int, choice LossChoice) error {
	var err error
	m := j.Module
	if m == nil {
		if m, err = models.Parse(spec, d, outputs, j.Activation, j.Loop.Seed); err != nil {
			return err
		}
		if j.Init != nil && j.Init.Model.Module != "" {
			if m, err = j.Init.Model.Model(); err != nil {
				return err
			}
		}
	}
	p.Arch, p.archErr = modelfile.ArchOf(spec, m)
	dtype := "float64"
	prob := models.Problem{Model: m, Loss: choice.Loss, Delta: j.Delta, Input: shape, Target: []int{outputs}, Seed: j.Loop.Seed}
	if j.Float32 {
		prob.Dtype, dtype = tensor.Float32, "float32"
	}
	p.Arch.Features, p.Arch.Outputs, p.Arch.Activation, p.Arch.Seed = d, outputs, activationOf(m), j.Loop.Seed
	p.Arch.Loss, p.Arch.Delta, p.Arch.Dtype = choice.Loss, j.Delta, dtype
	if p.Engine, err = prob.Engine(j.Engine); err != nil {
		return err
	}
	if k := p.Engine.Outputs(); k != outputs {
		return fmt.Errorf("job: the model's last layer gives %d outputs per row, but %s needs %d%s", k, choice.Loss, outputs, outputHint(choice, outputs))
	}
	return nil
}

// inputShape is the shape of one input row.
func inputShape(j *Job, ds *data.Dataset, classic bool, spec string) ([]int, error) {
	shape := j.InputShape
	switch {
	case shape != nil:
		n := 1
		for _, d := range shape {
			if d <= 0 || n > graph.MaxValues/d {
				return nil, fmt.Errorf("job: --input-shape %v must be positive sizes", shape)
			}
			n *= d
		}
		if n != ds.D {
			return nil, fmt.Errorf("job: --input-shape %s holds %d values, but each row of %s has %d features", dims(shape), n, ds.Name, ds.D)
		}
	case j.Init != nil && j.Init.InputShape != nil:
		shape = j.Init.InputShape
	case !classic && ds.Shape != nil && takesImages(j, spec):
		shape = ds.Shape
	default:
		shape = []int{ds.D}
	}
	return slices.Clone(shape), nil
}

// takesImages reports whether a model reads rows as images (or
// sequences): a user's module, or a layer sequence that starts with a
// convolution, a pooling or a 2-D batch norm. A sequence that starts with
// linear reads flat rows, as an MLP on the pixels would.
func takesImages(j *Job, spec string) bool {
	if j.Module != nil {
		return true
	}
	seq, err := nn.Parse(spec)
	if err != nil || len(seq.Layers) == 0 {
		return false
	}
	name, _ := nn.NameOf(seq.Layers[0])
	switch name {
	case "conv2d", "conv1d", "maxpool2d", "avgpool2d", "adaptiveavgpool2d", "batchnorm2d", "residual":
		return true
	}
	return false
}

// standardize fits (or takes from Init) the feature and target statistics
// and applies them to the training and validation rows in place.
func (p *Prepared) standardize(j *Job, tr, va *data.Dataset, regression bool) error {
	if f := j.Init; f != nil && f.Standardize != nil {
		p.Stats = f.Standardize
	} else if j.Standardize {
		st, err := j.fitStats(tr.X, tr.N, tr.D)
		if err != nil {
			return err
		}
		p.Stats = &modelfile.Standardize{Mean: st.Mean, Std: st.Std}
	}
	if p.Stats != nil {
		st := data.Stats{Mean: p.Stats.Mean, Std: p.Stats.Std}
		if err := st.Apply(tr.X, tr.D); err != nil {
			return err
		}
		if va != nil {
			if err := st.Apply(va.X, va.D); err != nil {
				return err
			}
		}
	}
	switch {
	case j.Init != nil && j.Init.TargetStandardize != nil:
		p.TargetStats = j.Init.TargetStandardize
	case j.StandardizeTarget && regression:
		st, err := j.fitStats(tr.Y, tr.N, 1)
		if err != nil {
			return err
		}
		p.TargetStats = &modelfile.Standardize{Mean: st.Mean, Std: st.Std}
	}
	return nil
}

// resume applies Init's parameters, buffers, optimizer state and position.
func (p *Prepared) resume(j *Job) error {
	f := j.Init
	if f == nil {
		return nil
	}
	if err := f.ApplyAs(p.Engine, p.Arch.Spec); err != nil {
		return err
	}
	if f.Optimizer == nil {
		return nil // a plain model file: new training from its weights
	}
	name := p.Optimizer.Config().Name
	if f.Optimizer.Name != name {
		if !j.ResetOptimizer {
			return fmt.Errorf("job: the checkpoint was trained with %s; resuming it with %s would drop %s's state: pass --optimizer %s to resume, or --reset-optimizer to start %s afresh from its weights", f.Optimizer.Name, name, f.Optimizer.Name, f.Optimizer.Name, name)
		}
		return nil
	}
	if j.ResetOptimizer {
		return nil
	}
	if err := p.unmarshalState(f.Optimizer.State); err != nil {
		return err
	}
	if err := p.Engine.SetSteps(f.EngineSteps); err != nil {
		return err
	}
	pos := train.Position{Epoch: f.Epochs, Steps: f.Steps}
	if f.Position != nil {
		pos = *f.Position
	}
	p.Loop.Resume = &pos
	p.Resumed = true
	return nil
}

// encode returns the dataset as training data, targets as the loss wants
// them: the values for regression and bce, one-hot rows for xent. The
// one-hot size is checked before it is allocated.
func encode(d *data.Dataset, classes string, k int) (train.Data, error) {
	out := train.Data{X: d.X, N: d.N, D: d.D, T: 1, Y: d.Y}
	if classes == "" {
		return out, nil
	}
	out.Labels, out.Classes = d.Y, k
	if classes != "multi" {
		out.Classes = 1
		return out, nil
	}
	if k > 0 && d.N > graph.DefaultBudget/k {
		return train.Data{}, fmt.Errorf("job: one-hot targets for %d rows × %d classes need %d values, more than %d", d.N, k, d.N*k, graph.DefaultBudget)
	}
	out.T = k
	out.Y = make([]float64, d.N*k)
	for i, l := range d.Y {
		out.Y[i*k+int(l)] = 1
	}
	return out, nil
}

// scaleTargets standardizes a regression target in place (a copy of it).
func scaleTargets(d *train.Data, st *modelfile.Standardize) {
	y := make([]float64, len(d.Y))
	for i, v := range d.Y {
		y[i] = (v - st.Mean[0]) / st.Std[0]
	}
	d.Y = y
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

// chooseModelLoss settles the model spec and the loss of a job whose
// targets lab reads: the spec of --init's model file (which must not
// contradict j.Model), and its loss unless one is given, or else
// ChooseLoss's choice. The choice's Model is the spec to build.
func (j *Job) chooseModelLoss(lab labeler) (LossChoice, error) {
	spec := j.Model
	if j.Init != nil && j.Module == nil && !j.Init.Bare() {
		if spec != "" && spec != j.Init.Model.Spec {
			return LossChoice{}, fmt.Errorf("job: the model file holds model %s, not %s", quote(j.Init.Model.Spec), quote(spec))
		}
		spec = j.Init.Model.Spec
	}
	if j.Init == nil || j.Loss != "" || j.Init.Model.Loss == "" {
		return chooseLoss(lab, spec, j.Module, j.Loss)
	}
	choice := LossChoice{Loss: j.Init.Model.Loss, Model: spec, Reason: "the model file's loss"}
	info, err := ops.LossInfo(choice.Loss)
	if err == nil && info.Classes != "" {
		choice.Classes, err = lab.classes()
	}
	return choice, err
}
