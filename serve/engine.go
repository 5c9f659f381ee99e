package serve

// This file is the playground's only contact with graph, models, train
// and data: it builds the descents, surfaces and predictions the views
// stream, through the functions the CLI calls (models.Problem.Engine as
// job.NewObjectiveSurface does, job.Job.Prepare, train.Run,
// job.Surface, data.Builtin). Re-point it when those packages change.

import (
	"context"
	"fmt"
	"github.com/descent-ml/descent/job"
	"math"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// row is one point of a path: the values θₖ after k updates, f(θₖ), the
// gradient there (nil where the run computed none, at the last point) and
// the learning rate of the next update.
type row struct {
	K     int   `json:"k"`
	Epoch int   `json:"epoch"`
	P     []num `json:"p"`
	F     num   `json:"f"`
	G     []num `json:"g"`
	LR    num   `json:"lr"`
}

// update is what every stage of the optimizer's chain made of the
// gradient of row K: U[i] holds stage i's output, the last one the step
// taken, θ_{K+1} = θ_K − U[last].
type update struct {
	K int     `json:"k"`
	U [][]num `json:"u"`
}

// epochEnd is an epoch's row-weighted mean batch loss (Result.History).
type epochEnd struct {
	Epoch int `json:"epoch"`
	Steps int `json:"steps"`
	Loss  num `json:"loss"`
}

// ending is how a run ended, as train.Result says it.
type ending struct {
	// Status is train.Status's name: max-epochs, gradient-tolerance, …
	Status string `json:"status"`
	Steps  int    `json:"steps"`
	Epochs int    `json:"epochs"`
	Loss   num    `json:"loss"`
	End    []num  `json:"end"`
	// DivergedStep and What say where a diverged run stopped.
	DivergedStep int    `json:"diverged_step,omitempty"`
	What         string `json:"what,omitempty"`
}

// event is what one path reports after one step.
type event struct {
	Upd   *update   `json:"upd,omitempty"`
	Row   *row      `json:"row,omitempty"`
	Epoch *epochEnd `json:"epoch,omitempty"`
	End   *ending   `json:"end,omitempty"`
	err   error
}

// runner is one descent advanced a step at a time: train.Run in its own
// goroutine, held in a hook after each point until the race hands it a
// token. The numbers are Run's own: the hook only reads them, and the
// optimizer steps through StepStages, which is Step bit for bit.
type runner struct {
	names  []string
	stages []string
	config optimizers.Config
	tok    chan struct{}
	out    chan event
	cancel context.CancelFunc
	done   chan struct{}
	ended  bool
}

// runHook is the runner's train.Hook and train.Optimizer.
type runHook struct {
	r       *runner
	ctx     context.Context
	e       *graph.Engine
	o       *optimizers.Optimizer
	order   []graph.Param
	first   bool
	k       int
	pending *update // the update made since the last point
	epoch   *epochEnd
	stages  []optimizers.Params
}

var (
	_ train.Hook      = (*runHook)(nil)
	_ train.Optimizer = (*runHook)(nil)
)

func (h *runHook) flat(m map[string][]float64) []num {
	var out []num
	for _, p := range h.order {
		for _, v := range m[p.Name] {
			out = append(out, num(v))
		}
	}
	return out
}

// OnStep reports the point, then waits for a token.
func (h *runHook) OnStep(s *train.Step) error {
	ev := event{Upd: h.pending, Epoch: h.epoch,
		Row: &row{K: h.k, Epoch: s.Epoch, P: h.flat(s.Params), F: num(s.Loss), G: h.flat(s.Grads), LR: num(s.LR)}}
	h.pending, h.epoch = nil, nil
	if !h.r.send(h.ctx, ev) {
		return h.ctx.Err()
	}
	select {
	case <-h.r.tok:
		return nil
	case <-h.ctx.Done():
		return h.ctx.Err()
	}
}

// OnEpoch keeps the epoch's loss for the next report.
func (h *runHook) OnEpoch(e *train.Epoch) error {
	h.epoch = &epochEnd{Epoch: e.Epoch, Steps: e.Steps, Loss: num(e.Loss)}
	return nil
}

// Step makes the update through StepStages and keeps every stage's output.
func (h *runHook) Step(params, grads map[string][]float64) error {
	var err error
	if h.stages, err = h.o.StepStages(params, grads, h.stages); err != nil {
		return err
	}
	u := &update{K: h.k}
	for _, st := range h.stages {
		u.U = append(u.U, h.flat(st))
	}
	h.pending = u
	h.k++
	return nil
}

// LR is the optimizer's next learning rate, for train.Step.LR.
func (h *runHook) LR() float64 { return h.o.LR() }

func (r *runner) send(ctx context.Context, ev event) bool {
	select {
	case r.out <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

// startRunner runs train.Run(e, o, tr, loop) in a goroutine; o must be
// Init'ed for e's parameters, which hold the start.
func startRunner(parent context.Context, e *graph.Engine, o *optimizers.Optimizer, tr train.Data, loop train.Config) *runner {
	ctx, cancel := context.WithCancel(parent)
	r := &runner{stages: o.StageNames(), config: o.Config(), tok: make(chan struct{}), out: make(chan event),
		cancel: cancel, done: make(chan struct{}), names: valueNames(e.Spec().Params)}
	h := &runHook{r: r, ctx: ctx, e: e, o: o, order: e.Spec().Params}
	go func() {
		defer close(r.done)
		res, err := train.Run(ctx, e, h, tr, nil, loop, h)
		ev := event{Upd: h.pending, Epoch: h.epoch}
		switch {
		case err != nil:
			ev.err = err
		default:
			end := &ending{Status: res.Status.String(), Steps: res.Steps, Epochs: res.Epochs, Loss: num(res.Loss), End: h.flat(e.Params())}
			if d := res.Diverged; d != nil {
				end.DivergedStep, end.What = d.Step, d.What
			} else if h.pending != nil {
				ev.Row = &row{K: h.k, Epoch: res.Epochs, P: end.End, F: end.Loss, LR: num(o.LR())}
			}
			ev.End = end
		}
		r.send(ctx, ev)
	}()
	return r
}

// first returns the report of the start, before any update.
func (r *runner) first(ctx context.Context) (event, error) { return r.recv(ctx) }

// next hands the run one token and returns its report: the update made
// and the new point, or how the run ended.
func (r *runner) next(ctx context.Context) (event, error) {
	if r.ended {
		return event{}, fmt.Errorf("serve: the run has ended")
	}
	select {
	case r.tok <- struct{}{}:
	case <-ctx.Done():
		return event{}, ctx.Err()
	}
	return r.recv(ctx)
}

func (r *runner) recv(ctx context.Context) (event, error) {
	select {
	case ev := <-r.out:
		if ev.End != nil || ev.err != nil {
			r.ended = true
		}
		return ev, ev.err
	case <-ctx.Done():
		return event{}, ctx.Err()
	}
}

// close stops the run and waits for its goroutine.
func (r *runner) close() {
	r.cancel()
	<-r.done
}

// valueNames labels every parameter value: "b" for a one-value
// parameter, "W[0]", "W[1]", … otherwise, as train.Trace does.
func valueNames(ps []graph.Param) []string {
	var names []string
	for _, p := range ps {
		if p.Size() == 1 {
			names = append(names, p.Name)
			continue
		}
		for i := 0; i < p.Size(); i++ {
			names = append(names, fmt.Sprintf("%s[%d]", p.Name, i))
		}
	}
	return names
}

// objectiveModel is the objective a catalog entry names.
func objectiveModel(name string, cond float64) (models.Objective, error) {
	o, err := models.LookupObjective(name)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return o.New(cond), nil
}

// objectiveRunner descends an objective from start as job.Surface's
// Descend does: the objective's engine with its point set to start, a
// fresh optimizer, and train.Run with loop.
func objectiveRunner(ctx context.Context, m models.Objective, cfg optimizers.Config, loop train.Config, start [2]float64) (*runner, error) {
	e, err := models.Problem{Model: m}.Engine(graph.Options{})
	if err != nil {
		return nil, err
	}
	if err := e.SetParams(map[string][]float64{"x": {start[0]}, "y": {start[1]}}); err != nil {
		return nil, err
	}
	o, err := optimizers.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := o.Init(e.Params()); err != nil {
		return nil, err
	}
	return startRunner(ctx, e, o, train.Data{}, loop), nil
}

// objectiveGrid is f on a res×res grid over the box, by the objective's
// plain-Go Eval as job.Surface and `descent surface` draw it, and the
// gradient on a coarser grid by the objective's engine (the autodiff the
// descents use).
type objectiveGrid struct {
	X []num   `json:"x"`
	Y []num   `json:"y"`
	Z [][]num `json:"z"`
	// ZC is what the contours are drawn of: Z, or log₁₀(Z − min Z + 10⁻²)
	// for an objective drawn in log scale.
	ZC    [][]num `json:"zc"`
	Field struct {
		X, Y, U, V []num
	} `json:"field"`
}

func newObjectiveGrid(m models.Objective, xr, yr [2]float64, res, arrows int, logz bool) (*objectiveGrid, error) {
	s, err := job.NewObjectiveSurface(m, graph.Options{})
	if err != nil {
		return nil, err
	}
	g := &objectiveGrid{X: linspace(xr, res), Y: linspace(yr, res)}
	lo := math.Inf(1)
	for _, y := range g.Y {
		line := make([]num, res)
		for i, x := range g.X {
			v := s.Eval(float64(x), float64(y))
			line[i] = num(v)
			lo = math.Min(lo, v)
		}
		g.Z = append(g.Z, line)
	}
	g.ZC = g.Z
	if logz {
		g.ZC = make([][]num, len(g.Z))
		for j, line := range g.Z {
			g.ZC[j] = make([]num, len(line))
			for i, v := range line {
				g.ZC[j][i] = num(math.Log10(float64(v) - lo + 1e-2))
			}
		}
	}
	e, err := models.Problem{Model: m}.Engine(graph.Options{})
	if err != nil {
		return nil, err
	}
	for _, y := range linspace(yr, arrows) {
		for _, x := range linspace(xr, arrows) {
			if err := e.SetParams(map[string][]float64{"x": {float64(x)}, "y": {float64(y)}}); err != nil {
				return nil, err
			}
			if _, err := e.Step(nil, nil, 0); err != nil {
				return nil, err
			}
			gr := e.Grads()
			f := &g.Field
			f.X, f.Y = append(f.X, x), append(f.Y, y)
			f.U, f.V = append(f.U, num(gr["x"][0])), append(f.V, num(gr["y"][0]))
		}
	}
	return g, nil
}

func linspace(r [2]float64, n int) []num {
	out := make([]num, n)
	for i := range out {
		out[i] = num(r[0] + (r[1]-r[0])*float64(i)/float64(n-1))
	}
	return out
}

// dataset is the view's data: a built-in set; iris on its two chosen
// features, its target made 0/1 for a logistic model.
func (d *DataState) dataset() (*data.Dataset, error) {
	ds, err := data.Builtin(d.Data)
	if err != nil {
		return nil, err
	}
	if d.Data != "iris" {
		return ds, nil
	}
	if ds, err = ds.Select([]string{d.FX, d.FY}); err != nil {
		return nil, err
	}
	if d.Model == "logistic" {
		for i, y := range ds.Y {
			ds.Y[i] = 0
			if int(y) == d.Class {
				ds.Y[i] = 1
			}
		}
	}
	return ds, nil
}

// job is the run `descent train` makes of these settings.
func (d *DataState) job(ds *data.Dataset, cfg optimizers.Config) (*job.Job, error) {
	if d.Batch > ds.N {
		return nil, fmt.Errorf("serve: batch must be at most the %d rows of %s, got %d", ds.N, ds.Name, d.Batch)
	}
	per := 1
	if d.Batch > 0 {
		per = (ds.N + d.Batch - 1) / d.Batch
	}
	if d.Epochs*per > MaxDataStep {
		return nil, fmt.Errorf("serve: %d epochs of %d steps each is %d steps, at most %d: fewer epochs or larger batches", d.Epochs, per, d.Epochs*per, MaxDataStep)
	}
	return &job.Job{Data: ds, Model: d.modelSpec(), Optimizer: cfg, Standardize: d.Standardize,
		Loop: train.Config{Epochs: d.Epochs, BatchSize: d.Batch, Seed: d.Seed, Tol: d.Tol, GradTol: d.GradTol}}, nil
}

// dataRun is a prepared job: its runner, and a second, identical engine
// the fit view draws predictions and the loss surface with.
type dataRun struct {
	job    *job.Job
	ds     *data.Dataset
	prep   *job.Prepared
	view   *job.Prepared
	runner *runner
	state  *DataState
	start  *[2]float64
	per    int // steps per epoch
}

// startData prepares the job twice (run and view) and starts the run from
// the model's initial parameters, or from start for a 2-value model.
func startData(ctx context.Context, d *DataState, cfg optimizers.Config) (*dataRun, error) {
	ds, err := d.dataset()
	if err != nil {
		return nil, err
	}
	jb, err := d.job(ds, cfg)
	if err != nil {
		return nil, err
	}
	prep, err := jb.Prepare()
	if err != nil {
		return nil, err
	}
	view, err := jb.Prepare()
	if err != nil {
		return nil, err
	}
	if d.Start != nil {
		if err := setPoint(prep.Engine, *d.Start); err != nil {
			return nil, err
		}
	}
	dr := &dataRun{job: jb, ds: ds, prep: prep, view: view, state: d, start: d.Start, per: 1}
	if d.Batch > 0 {
		dr.per = (prep.Train.N + d.Batch - 1) / d.Batch
	}
	dr.runner = startRunner(ctx, prep.Engine, prep.Optimizer, prep.Train, prep.Loop)
	return dr, nil
}

// setPoint writes the two values of a 2-value model (W and b of a line).
func setPoint(e *graph.Engine, p [2]float64) error {
	ps := e.Spec().Params
	if len(valueNames(ps)) != 2 {
		return fmt.Errorf("serve: start needs a model with 2 parameter values, this one has %d", len(valueNames(ps)))
	}
	set := map[string][]float64{}
	i := 0
	for _, prm := range ps {
		v := make([]float64, prm.Size())
		for j := range v {
			v[j] = p[i]
			i++
		}
		set[prm.Name] = v
	}
	return e.SetParams(set)
}

// unflat writes flattened values into the view engine's parameters.
func (dr *dataRun) setParams(p []num) error {
	set := map[string][]float64{}
	i := 0
	for _, prm := range dr.view.Engine.Spec().Params {
		v := make([]float64, prm.Size())
		for j := range v {
			if i >= len(p) {
				return fmt.Errorf("serve: %d values for the model's parameters", len(p))
			}
			v[j] = float64(p[i])
			i++
		}
		set[prm.Name] = v
	}
	return dr.view.Engine.SetParams(set)
}

// points is the raw data, for the scatter plot: x (one feature) or the two
// features, and the target.
type points struct {
	X      []num    `json:"x"`
	Y      []num    `json:"y"`
	Label  []num    `json:"label"`
	XName  string   `json:"xname"`
	YName  string   `json:"yname"`
	Target string   `json:"target"`
	Class  []string `json:"classes,omitempty"`
}

var irisSpecies = []string{"setosa", "versicolor", "virginica"}

func (dr *dataRun) points() points {
	ds := dr.ds
	p := points{XName: ds.Features[0], Target: ds.Target}
	for i := 0; i < ds.N; i++ {
		p.X = append(p.X, num(ds.X[i*ds.D]))
		if ds.D == 2 {
			p.Y = append(p.Y, num(ds.X[i*ds.D+1]))
		}
		p.Label = append(p.Label, num(ds.Y[i]))
	}
	if ds.D == 2 {
		p.YName = ds.Features[1]
		p.Class = irisSpecies
		if dr.job.Model == "logistic" {
			p.Class = []string{"other", irisSpecies[dr.state.Class]}
		}
	} else {
		p.YName = ds.Target
	}
	return p
}

// fitGrid is where the fit view draws the model: xs (one feature) or a
// 2-D grid (two features), in raw units.
type fitGrid struct {
	X []num `json:"x"`
	Y []num `json:"y,omitempty"`
	n int
	// raw holds the model's inputs, standardized as the training data was.
	raw []float64
}

func (dr *dataRun) grid() (*fitGrid, error) {
	ds := dr.ds
	span := func(j int) [2]float64 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < ds.N; i++ {
			v := ds.X[i*ds.D+j]
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		pad := 0.08 * math.Max(hi-lo, 1e-9)
		return [2]float64{lo - pad, hi + pad}
	}
	g := &fitGrid{}
	if ds.D == 1 {
		g.X = linspace(span(0), 121)
		for _, x := range g.X {
			g.raw = append(g.raw, float64(x))
		}
	} else {
		g.X, g.Y = linspace(span(0), 61), linspace(span(1), 61)
		for _, y := range g.Y {
			for _, x := range g.X {
				g.raw = append(g.raw, float64(x), float64(y))
			}
		}
	}
	g.n = len(g.raw) / ds.D
	if st := dr.prep.Stats; st != nil {
		if err := (data.Stats{Mean: st.Mean, Std: st.Std}).Apply(g.raw, ds.D); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// fitShape is the model drawn at one point of the run: the curve ŷ(x),
// or the predicted class (and, for logistic, P(y=1)) over the 2-D grid.
type fitShape struct {
	Y     []num   `json:"y,omitempty"`
	Class [][]int `json:"class,omitempty"`
	Prob  [][]num `json:"prob,omitempty"`
}

// shape predicts with the view engine at the values p.
func (dr *dataRun) shape(g *fitGrid, p []num) (*fitShape, error) {
	if err := dr.setParams(p); err != nil {
		return nil, err
	}
	out, err := dr.view.Engine.Predict(g.raw, g.n, nil)
	if err != nil {
		return nil, err
	}
	s := &fitShape{}
	if dr.ds.D == 1 {
		s.Y = nums(out)
		return s, nil
	}
	k := dr.view.Engine.Outputs()
	nx := len(g.X)
	for r := 0; r < g.n; r++ {
		if r%nx == 0 {
			s.Class = append(s.Class, make([]int, 0, nx))
			if k == 1 {
				s.Prob = append(s.Prob, make([]num, 0, nx))
			}
		}
		j := len(s.Class) - 1
		logits := out[r*k : (r+1)*k]
		c := 0
		if k == 1 {
			if logits[0] >= 0 {
				c = 1
			}
			s.Prob[j] = append(s.Prob[j], num(graph.Sigmoid(logits[0])))
		} else {
			for i, v := range logits {
				if v > logits[c] {
					c = i
				}
			}
		}
		s.Class[j] = append(s.Class[j], c)
	}
	return s, nil
}

// lossGrid is a 2-value model's loss over (W, b) on the whole training
// set, by job.Surface, in a box around the descent the same settings
// make from the same start (job.Surface.Descend).
type lossGrid struct {
	Names [2]string `json:"names"`
	X     []num     `json:"x"`
	Y     []num     `json:"y"`
	Z     [][]num   `json:"z"`
	ZC    [][]num   `json:"zc"`
}

func (dr *dataRun) lossGrid(ctx context.Context, res int) (*lossGrid, error) {
	if len(valueNames(dr.view.Engine.Spec().Params)) != 2 {
		return nil, nil
	}
	s, err := job.NewSurface(dr.view.Engine, &dr.view.Train)
	if err != nil {
		return nil, err
	}
	start := s.Point()
	if dr.start != nil {
		start = *dr.start
	}
	paths, err := s.Descend(ctx, dr.job.Optimizer, dr.view.Loop, [][2]float64{start})
	if err != nil {
		return nil, err
	}
	keep := paths[0]
	if keep.Status == train.Diverged {
		n := min(len(keep.X), 4)
		keep.X, keep.Y = keep.X[:n], keep.Y[:n]
	}
	xr, yr, ok := job.PathBounds([]job.Path{keep}, 0.25)
	if !ok {
		xr, yr = [2]float64{start[0] - 1, start[0] + 1}, [2]float64{start[1] - 1, start[1] + 1}
	}
	g := &lossGrid{Names: s.Names, X: linspace(xr, res), Y: linspace(yr, res)}
	lo := math.Inf(1)
	for _, y := range g.Y {
		line := make([]num, res)
		for i, x := range g.X {
			v := s.Eval(float64(x), float64(y))
			line[i] = num(v)
			if !math.IsNaN(v) {
				lo = math.Min(lo, v)
			}
		}
		g.Z = append(g.Z, line)
	}
	g.ZC = make([][]num, len(g.Z))
	for j, line := range g.Z {
		g.ZC[j] = make([]num, len(line))
		for i, v := range line {
			g.ZC[j][i] = num(math.Log10(float64(v) - lo + 1e-3*math.Max(1, math.Abs(lo))))
		}
	}
	return g, nil
}
