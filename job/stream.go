package job

import (
	"fmt"
	"math"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/modelfile"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/ops"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// Stream makes a Job train from a file read in passes (data.Stream)
// instead of from Data held in memory: for data larger than memory. A
// first pass counts the rows, checks every value, finds whether the target
// holds class labels and fits the standardization statistics (stored in
// the model file as usual); each epoch then reads the training rows in
// that epoch's shuffled order (chunks permuted, rows mixed in a shuffle
// buffer: not an exact permutation, see data.Stream), and evaluation reads
// them in file order. A validation split holds out each row with
// probability ValSplit by a hash of the seed and the row's place in the
// file (data.StreamOptions.ValFrac), so the number of validation rows is
// close to, not exactly, ValSplit of them.
//
// With Comm, the job is one process of a data-parallel run that reads only
// its own part of the file (data.StreamOptions.Part); each batch of B rows
// takes from each process a share of its own pass in proportion to its
// rows (see train.Source). The order of rows, and so the run, then depends
// on the number of processes.
type Stream struct {
	// Path is a CSV file or a row file (descent convert).
	Path string
	// Target names the target column; "" is the last one.
	Target string
	// ChunkBytes and BufferBytes tune the chunks and the shuffle buffer;
	// 0 takes data.Stream's defaults.
	ChunkBytes, BufferBytes int64
	// Comm is the data-parallel world; nil is one process.
	Comm dist.Comm
}

// streamed is a prepared job's open stream.
type streamed struct {
	st   *data.Stream
	scan *data.Scan
	comm dist.Comm
}

// Close releases what the prepared job holds open: a streamed file.
func (p *Prepared) Close() error {
	if p.stream == nil {
		return nil
	}
	return p.stream.st.Close()
}

// Scanned is the first pass over a streamed job's file (nil for a job in
// memory).
func (p *Prepared) Scanned() *data.Scan {
	if p.stream == nil {
		return nil
	}
	return p.stream.scan
}

// prepareStream is Prepare for a streamed job.
func (j *Job) prepareStream() (*Prepared, error) {
	js := j.Stream
	switch {
	case j.Data != nil:
		return nil, fmt.Errorf("job: a job takes Data or Stream, not both")
	case j.Shard != nil:
		return nil, fmt.Errorf("job: a streamed job reads its own part of the file; give Stream.Comm, not Shard")
	case j.ValData != nil:
		return nil, fmt.Errorf("job: a streamed job validates on a hold-out of its file (--val-split); a separate validation set is not supported with --stream")
	case j.ValSplit < 0 || j.ValSplit >= 1 || math.IsNaN(j.ValSplit):
		return nil, fmt.Errorf("job: the validation split must be in [0,1), got %v", j.ValSplit)
	}
	opt, err := optimizers.New(j.Optimizer)
	if err != nil {
		return nil, err
	}
	if f := j.Init; f != nil && f.Bare() && j.Model == "" && j.Module == nil {
		return nil, fmt.Errorf("job: the initial file holds weights only (a state_dict): give the architecture with --model, as in 'linear(16) relu linear(3)'")
	}
	sopt := data.StreamOptions{Target: js.Target, Seed: j.Loop.Seed, ValFrac: j.ValSplit, ChunkBytes: js.ChunkBytes, BufferBytes: js.BufferBytes}
	var comm dist.Comm
	if c := js.Comm; c != nil && c.Size() > 1 {
		comm, sopt.Part, sopt.Parts = c, c.Rank(), c.Size()
	}
	if f := j.Init; f != nil && f.Features != nil {
		sopt.Features = f.Features
		if js.Target == "" && f.Target != "" {
			sopt.Target = f.Target
		}
	}
	st, err := data.OpenStream(js.Path, sopt)
	if err != nil {
		return nil, err
	}
	p, err := j.prepareOpen(st, comm, opt)
	if err != nil {
		st.Close()
		return nil, err
	}
	return p, nil
}

// prepareOpen prepares a job over an open stream.
func (j *Job) prepareOpen(st *data.Stream, comm dist.Comm, opt *optimizers.Optimizer) (*Prepared, error) {
	var red data.Reducer
	if comm != nil {
		red = comm
	}
	sc, err := st.Scan(red)
	if err != nil {
		return nil, err
	}
	if sc.TrainTotal == 0 {
		return nil, fmt.Errorf("data: %s: no training rows", st.Path)
	}
	if j.ValSplit > 0 && sc.ValTotal == 0 {
		return nil, fmt.Errorf("data: %s: validation fraction %v of %d rows held out no rows", st.Path, j.ValSplit, sc.Total)
	}
	if f := j.Init; f != nil && f.Target != "" && st.Target != f.Target {
		return nil, fmt.Errorf("job: the model file predicts %q, but the data's target is %q (pass --target %s)", f.Target, st.Target, f.Target)
	}
	hdr := &data.Dataset{Name: st.Name, Features: st.Features, Target: st.Target, D: st.D}
	choice, err := j.chooseModelLoss(scanLabels{st: st, sc: sc})
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
		return nil, fmt.Errorf("job: --standardize-target is for regression; the target %q holds class labels for %s", st.Target, choice.Loss)
	}
	classic := j.Module == nil && !models.IsLayerSequence(spec)
	shape, err := inputShape(j, hdr, classic, spec)
	if err != nil {
		return nil, err
	}
	p := &Prepared{Optimizer: opt, Loss: choice.Loss, LossReason: choice.Reason, Classes: choice.Classes,
		InputShape: shape, Features: st.Features, Target: st.Target, Loop: j.Loop, job: *j,
		stream: &streamed{st: st, scan: sc, comm: comm}}
	switch f := j.Init; {
	case f != nil && f.Standardize != nil:
		p.Stats = f.Standardize
	case j.Standardize:
		p.Stats = &modelfile.Standardize{Mean: sc.Stats.Mean, Std: sc.Stats.Std}
	}
	switch f := j.Init; {
	case f != nil && f.TargetStandardize != nil:
		p.TargetStats = f.TargetStandardize
	case j.StandardizeTarget && info.Classes == "":
		p.TargetStats = &modelfile.Standardize{Mean: sc.TargetStats.Mean, Std: sc.TargetStats.Std}
	}
	if err := p.build(j, spec, st.D, outputs, shape, choice); err != nil {
		return nil, err
	}
	src := func(which data.Rows) (*scanSource, error) {
		s := &scanSource{st: st, which: which, d: st.D, classes: info.Classes, k: outputs}
		if p.Stats != nil {
			s.stats = &data.Stats{Mean: p.Stats.Mean, Std: p.Stats.Std}
			if err := s.stats.Apply(make([]float64, st.D), st.D); err != nil {
				return nil, err
			}
		}
		s.target = p.TargetStats
		return s, nil
	}
	tr, err := src(data.TrainRows)
	if err != nil {
		return nil, err
	}
	p.Train = train.Data{Source: tr, N: sc.Train, Total: sc.TrainTotal, D: st.D, T: outputs}
	if info.Classes != "" {
		p.Train.Classes = outputs
	}
	if j.ValSplit > 0 {
		va, _ := src(data.ValRows)
		v := p.Train
		v.Source, v.N, v.Total = va, sc.Val, sc.ValTotal
		p.Val = &v
	}
	if comm != nil {
		p.Loop.Comm = comm
	}
	if err := p.initOptimizer(); err != nil {
		return nil, err
	}
	if err := p.resume(j); err != nil {
		return nil, err
	}
	return p, nil
}

// scanLabels is the target of a streamed file, from its first pass.
type scanLabels struct {
	st *data.Stream
	sc *data.Scan
}

func (l scanLabels) target() string { return l.st.Target }
func (l scanLabels) rows() int      { return l.sc.Total }

func (l scanLabels) classes() (int, error) {
	switch {
	case l.sc.LabelErr != nil:
		return 0, l.sc.LabelErr
	case !l.sc.LabelsOK:
		return 0, fmt.Errorf("data: %s: a target in another process's part of the file is not a class label (that process names it)", l.st.Path)
	}
	return l.sc.Classes, nil
}

func (l scanLabels) labelClasses() (int, bool, error) {
	k := l.sc.Classes
	if !l.sc.LabelsOK || k < 2 || k > MaxLabelClasses || l.sc.Total < 2*k {
		return 0, false, nil
	}
	for _, n := range l.sc.ClassRows {
		if n == 0 {
			return 0, false, nil
		}
	}
	return k, true, nil
}

// scanSource is a streamed set as train reads it: the rows which selects,
// standardized, with their targets encoded for the loss.
type scanSource struct {
	st      *data.Stream
	which   data.Rows
	d       int
	stats   *data.Stats
	target  *modelfile.Standardize
	classes string // "", "binary" or "multi"
	k       int
}

var _ train.Source = (*scanSource)(nil)

// Pass opens a pass over the set's rows.
func (s *scanSource) Pass(e int, shuffle bool) (train.Reader, error) {
	return &scanReader{s: s, p: s.st.Pass(e, shuffle, s.which)}, nil
}

// scanReader reads a pass and encodes its rows.
type scanReader struct {
	s *scanSource
	p *data.Pass
	y []float64
}

// Read reads up to len(Y)/T rows: features standardized, targets one-hot
// for xent and standardized for a standardized regression target.
func (r *scanReader) Read(X, Y []float64) (int, error) {
	s := r.s
	t := 1
	if s.classes == "multi" {
		t = s.k
	}
	n := min(len(X)/s.d, len(Y)/t)
	if cap(r.y) < n {
		r.y = make([]float64, n)
	}
	y := r.y[:n]
	m, err := r.p.Read(X[:n*s.d], y)
	if m > 0 && s.stats != nil {
		s.stats.Apply(X[:m*s.d], s.d) // checked when the source was made
	}
	switch {
	case s.classes == "multi":
		clear(Y[:m*t])
		for i, l := range y[:m] {
			Y[i*t+int(l)] = 1
		}
	case s.target != nil:
		for i, v := range y[:m] {
			Y[i] = (v - s.target.Mean[0]) / s.target.Std[0]
		}
	default:
		copy(Y, y[:m])
	}
	return m, err
}

// Close ends the pass.
func (r *scanReader) Close() error { return r.p.Close() }
