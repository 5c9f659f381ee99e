package graph

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"gorgonia.org/tensor"
)

// Engine owns a problem's parameters and buffers and runs its
// differentiated graph. Parameters, gradients and buffers are float64
// slices keyed by full name, in row-major order; an optimizer updates
// Params in place between steps.
//
// An Engine is not safe for concurrent use: a second goroutine that calls
// it while a call is running gets an error instead of a silently wrong
// result.
type Engine struct {
	spec    Spec
	decls   decls
	params  map[string][]float64
	grads   map[string][]float64
	buffers map[string][]float64
	steps   int64
	exec    executor
	busy    atomic.Bool
}

// Options tune how an Engine runs a batch. The zero value is the default.
type Options struct {
	// Workers is the number of goroutines a large batch is split over.
	// 0 means runtime.GOMAXPROCS(0); 1 runs everything on the caller.
	Workers int
	// BlockRows is the number of rows in one block of a split batch.
	// 0 picks a block of about 256 KiB of X.
	BlockRows int
}

type executor interface {
	// run computes the loss, and the gradients into e.grads when train is set.
	run(x, y []float64, n int, train bool) (float64, error)
	predict(x []float64, n int, out []float64) error
	outputs() int
	init(n int) error
}

// ErrConcurrent is returned when an Engine is called from a second
// goroutine while a call is running.
var ErrConcurrent = errors.New("graph: the engine is already running a step on another goroutine; an Engine is not safe for concurrent use (build one per goroutine)")

// Trace builds spec's graph once and returns spec with Params listing
// every parameter, those declared up front and those Forward declares, in
// declaration order and with their initial values, and the buffers.
func Trace(spec Spec) (Spec, []Param, error) {
	d, err := trace(&spec)
	if err != nil {
		return Spec{}, nil, err
	}
	spec.Params = d.params
	return spec, d.buffers, nil
}

func trace(spec *Spec) (*decls, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	n := 0
	if spec.HasData() {
		n = 1
	}
	kind := kindPredict
	if spec.Loss != nil {
		kind = kindTrain
	}
	var b *builder
	var err error
	if spec.dtype() == tensor.Float32 {
		_, b, err = compile[float32](spec, nil, n, kind, nil)
	} else {
		_, b, err = compile[float64](spec, nil, n, kind, nil)
	}
	if err != nil {
		return nil, err
	}
	if err := checkDeclBudget(append(append([]Param{}, b.params...), b.buffers...), spec.budget()); err != nil {
		return nil, err
	}
	d := &decls{batchwise: b.batchwise}
	given := map[string]Param{}
	for _, p := range spec.Params {
		given[p.Name] = p
	}
	for _, p := range b.params {
		v := make([]float64, p.Size())
		if g, ok := given[p.Name]; ok {
			copy(v, g.Init)
		} else if v, err = initValues(p, b.inits[p.Name], spec.Seed); err != nil {
			return nil, err
		}
		p.Init = v
		d.params = append(d.params, p)
	}
	for _, p := range b.buffers {
		if p.Init, err = initValues(p, b.inits[p.Name], spec.Seed); err != nil {
			return nil, err
		}
		d.buffers = append(d.buffers, p)
	}
	return d, nil
}

// New validates spec, builds its graph once to find the parameters and
// buffers Forward declares (and to surface a model error now), and returns
// an Engine whose parameters hold their initial values.
func New(spec Spec, opt Options) (*Engine, error) {
	if opt.Workers < 0 || opt.BlockRows < 0 {
		return nil, fmt.Errorf("graph: Workers and BlockRows must be >= 0, got %d and %d", opt.Workers, opt.BlockRows)
	}
	d, err := trace(&spec)
	if err != nil {
		return nil, err
	}
	e := &Engine{spec: spec, decls: *d, params: map[string][]float64{}, grads: map[string][]float64{}, buffers: map[string][]float64{}}
	for _, p := range d.params {
		e.params[p.Name] = append([]float64(nil), p.Init...)
		e.grads[p.Name] = make([]float64, p.Size())
	}
	for _, p := range d.buffers {
		e.buffers[p.Name] = append([]float64(nil), p.Init...)
	}
	e.spec.Params = d.params
	if spec.dtype() == tensor.Float32 {
		e.exec = newExec[float32](e, opt)
	} else {
		e.exec = newExec[float64](e, opt)
	}
	n := 0
	if spec.HasData() {
		n = 1
	}
	if err := e.exec.init(n); err != nil {
		return nil, err
	}
	return e, nil
}

// Spec returns the problem the engine was built from, its Params being
// every parameter (declared up front or by Forward) with its initial values.
func (e *Engine) Spec() Spec { return e.spec }

// BufferSpecs lists the buffers Forward declared, with their initial values.
func (e *Engine) BufferSpecs() []Param { return e.decls.buffers }

// Params returns the parameter values, keyed by name. The slices are the
// engine's own: writing them changes the next step.
func (e *Engine) Params() map[string][]float64 { return e.params }

// Grads returns the gradients computed by the last Step, keyed by name.
// They are overwritten, never accumulated, by the next Step.
func (e *Engine) Grads() map[string][]float64 { return e.grads }

// Buffers returns the buffer values (non-trainable state), keyed by name.
// A training Step updates them; Loss and Predict only read them.
func (e *Engine) Buffers() map[string][]float64 { return e.buffers }

// Steps is the number of training steps taken (restored by SetSteps). It
// keys the random streams of stochastic layers.
func (e *Engine) Steps() int64 { return e.steps }

// SetSteps sets the step count, for a resumed run.
func (e *Engine) SetSteps(n int64) error {
	if n < 0 {
		return fmt.Errorf("graph: the step count must be >= 0, got %d", n)
	}
	e.steps = n
	return nil
}

// Outputs is the number of values in one row of the prediction.
func (e *Engine) Outputs() int { return e.exec.outputs() }

// Batchwise reports whether the model computes statistics across the rows
// of a training batch, so that batches are never split into row blocks.
func (e *Engine) Batchwise() bool { return e.decls.batchwise }

func (e *Engine) enter() error {
	if !e.busy.CompareAndSwap(false, true) {
		return ErrConcurrent
	}
	return nil
}

func (e *Engine) leave() { e.busy.Store(false) }

// Step runs forward and backward in training mode on a batch of n rows: X
// is (n, Input...) and Y is (n, Target...), row-major. It returns the loss;
// Grads then holds ∂J/∂θ for every parameter, and the buffers hold their
// updated values. For an objective without data, pass nil, nil, 0.
func (e *Engine) Step(X, Y []float64, n int) (float64, error) {
	if err := e.enter(); err != nil {
		return 0, err
	}
	defer e.leave()
	if err := e.checkData(X, Y, n); err != nil {
		return 0, err
	}
	if err := e.checkTargets(Y, n); err != nil {
		return 0, err
	}
	loss, err := e.exec.run(X, Y, n, true)
	if err == nil {
		e.steps++
	}
	return loss, err
}

// Loss evaluates the loss on a batch in evaluation mode, without computing
// gradients or updating buffers.
func (e *Engine) Loss(X, Y []float64, n int) (float64, error) {
	if err := e.enter(); err != nil {
		return 0, err
	}
	defer e.leave()
	if err := e.checkData(X, Y, n); err != nil {
		return 0, err
	}
	if err := e.checkTargets(Y, n); err != nil {
		return 0, err
	}
	return e.exec.run(X, Y, n, false)
}

// Predict writes the model's prediction (evaluation mode) for the n rows of
// X into out, which must hold n×Outputs values; nil out allocates it.
func (e *Engine) Predict(X []float64, n int, out []float64) ([]float64, error) {
	if err := e.enter(); err != nil {
		return nil, err
	}
	defer e.leave()
	if !e.spec.HasData() {
		return nil, fmt.Errorf("graph: an objective without data has no prediction; use Loss")
	}
	if err := e.checkData(X, nil, n); err != nil {
		return nil, err
	}
	k := e.exec.outputs()
	if out == nil {
		if k > 0 && n > MaxValues/k {
			return nil, fmt.Errorf("graph: a prediction of %d rows × %d outputs has more than %d values", n, k, MaxValues)
		}
		out = make([]float64, n*k)
	}
	if len(out) != n*k {
		return nil, fmt.Errorf("graph: prediction buffer has %d values, want %d rows × %d outputs = %d", len(out), n, k, n*k)
	}
	return out, e.exec.predict(X, n, out)
}

// SetParams copies values into the named parameters, checking each size.
// Parameters not named keep their values.
func (e *Engine) SetParams(values map[string][]float64) error {
	return setNamed("parameter", e.params, values)
}

// SetBuffers copies values into the named buffers, checking each size.
func (e *Engine) SetBuffers(values map[string][]float64) error {
	return setNamed("buffer", e.buffers, values)
}

func setNamed(what string, dst, values map[string][]float64) error {
	for name, v := range values {
		d, ok := dst[name]
		if !ok {
			return fmt.Errorf("graph: no %s %q", what, name)
		}
		if len(v) != len(d) {
			return fmt.Errorf("graph: %s %q has %d values, got %d", what, name, len(d), len(v))
		}
	}
	for name, v := range values {
		copy(dst[name], v)
	}
	return nil
}

// checkTargets refuses a missing Y where the loss needs one.
func (e *Engine) checkTargets(Y []float64, n int) error {
	if e.spec.HasData() && e.spec.Loss != nil && Y == nil {
		return fmt.Errorf("graph: the loss needs Y (%d rows × %v), got none", n, e.spec.Target)
	}
	return nil
}

func (e *Engine) checkData(X, Y []float64, n int) error {
	s := &e.spec
	if !s.HasData() {
		if n != 0 || X != nil || Y != nil {
			return fmt.Errorf("graph: this objective takes no data, got %d rows", n)
		}
		return nil
	}
	if n <= 0 {
		return fmt.Errorf("graph: a batch needs at least one row, got %d", n)
	}
	d, t := s.InputSize(), s.TargetSize()
	if n > MaxValues/d || n > MaxValues/t {
		return fmt.Errorf("graph: a batch of %d rows is too large (more than %d values)", n, MaxValues)
	}
	if len(X) != n*d {
		return fmt.Errorf("graph: X has %d values, want %d rows × %s = %d", len(X), n, shapeWords(s.Input, "features"), n*d)
	}
	if Y != nil && len(Y) != n*t {
		return fmt.Errorf("graph: Y has %d values, want %d rows × %s = %d", len(Y), n, shapeWords(s.Target, "targets"), n*t)
	}
	return nil
}

// shapeWords renders a row shape for a message: "3 features", "1×8×8".
func shapeWords(shape []int, unit string) string {
	if len(shape) == 1 {
		return fmt.Sprintf("%d %s", shape[0], unit)
	}
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return strings.Join(parts, "×")
}

// exec runs programs of element type T. Programs are compiled lazily, one
// per (kind, rows) and per worker, and cached.
type exec[T Float] struct {
	e       *Engine
	workers int
	block   int
	pw      []map[progKey]*program[T] // per worker
	p32     [][]T                     // float32 copies of the parameters
	b32     [][]T                     // float32 copies of the buffers
	bwise   map[programKind]bool      // whether a kind's build is batchwise
	xT, yT  []T                       // float32 copies of the batch
	acc     [][][]float64             // per worker, per parameter
	lossAcc []float64
	errs    []error
	nout    int

	paramValues int
	splitBlock  int          // block rows when a batch is split over workers
	used        atomic.Int64 // values allocated by every compiled program
	wg          sync.WaitGroup
}

type progKey struct {
	kind programKind
	n    int
}

func newExec[T Float](e *Engine, opt Options) *exec[T] {
	w := opt.Workers
	if w == 0 {
		w = runtime.GOMAXPROCS(0)
	}
	b := opt.BlockRows
	if b == 0 {
		b = max(64, (256<<10)/8/max(1, e.spec.InputSize()))
	}
	x := &exec[T]{e: e, workers: w, block: b, bwise: map[programKind]bool{}}
	// A split batch's blocks stay small enough that no matrix product in
	// them reaches gonum's parallel threshold (4 tiles of 64×64), so the
	// workers do not start goroutines of their own.
	maxCols := 1
	for _, p := range e.spec.Params {
		x.paramValues += p.Size()
		if len(p.Shape) == 2 {
			maxCols = max(maxCols, p.Shape[1])
		}
	}
	x.splitBlock = b
	if maxCols > 1 && opt.BlockRows == 0 {
		x.splitBlock = min(b, 64*max(1, 3/((maxCols+63)/64)))
	}
	x.pw = make([]map[progKey]*program[T], w)
	x.acc = make([][][]float64, w)
	for i := range x.pw {
		x.pw[i] = map[progKey]*program[T]{}
		x.acc[i] = make([][]float64, len(e.spec.Params))
		for j, p := range e.spec.Params {
			x.acc[i][j] = make([]float64, p.Size())
		}
	}
	x.lossAcc = make([]float64, w)
	x.errs = make([]error, w)
	if _, is64 := any(T(0)).(float64); !is64 {
		x.p32 = make([][]T, len(e.spec.Params))
		for j, p := range e.spec.Params {
			x.p32[j] = make([]T, p.Size())
		}
		x.b32 = make([][]T, len(e.decls.buffers))
		for j, p := range e.decls.buffers {
			x.b32[j] = make([]T, p.Size())
		}
	}
	return x
}

func (x *exec[T]) init(n int) error {
	kind := kindPredict
	if x.e.spec.Loss != nil {
		kind = kindTrain
	}
	p, err := x.prog(0, kind, n)
	if err != nil {
		return err
	}
	x.nout = sizeOf(p.shapes[p.pred])
	if n > 0 {
		x.nout /= n
	}
	return nil
}

func (x *exec[T]) outputs() int { return x.nout }

func (x *exec[T]) prog(w int, kind programKind, n int) (*program[T], error) {
	k := progKey{kind, n}
	if p, ok := x.pw[w][k]; ok {
		return p, nil
	}
	p, b, err := compile[T](&x.e.spec, &x.e.decls, n, kind, x.reserve)
	if err != nil {
		return nil, err
	}
	p.batchwise = b.batchwise
	x.pw[w][k] = p
	return p, nil
}

// reserve accounts for a new program's buffers, refusing one that would
// take the engine's programs past the spec's budget in all: the cached
// programs of every batch size and worker together.
func (x *exec[T]) reserve(values int) error {
	budget := int64(x.e.spec.budget())
	if x.used.Add(int64(values)) > budget {
		x.used.Add(-int64(values))
		return fmt.Errorf("graph: the engine's compiled programs would hold more than %d values (%d MiB of float64) in all; use a smaller model or batch", budget, budget>>17)
	}
	return nil
}

// convert copies float64 values into a T buffer, reusing it.
func convert[T Float](dst []T, src []float64) []T {
	if cap(dst) < len(src) {
		dst = make([]T, len(src))
	}
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = T(v)
	}
	return dst
}

// data returns X and Y as T slices: the caller's own for float64, copies
// for float32.
func (x *exec[T]) data(X, Y []float64) ([]T, []T) {
	if xs, ok := any(X).([]T); ok {
		ys, _ := any(Y).([]T)
		return xs, ys
	}
	x.xT = convert(x.xT, X)
	if Y != nil {
		x.yT = convert(x.yT, Y)
		return x.xT, x.yT
	}
	return x.xT, nil
}

// bindParams points the program's parameter and buffer slots at the
// master values (float64) or at their float32 copies, and sets the step.
func (x *exec[T]) bindParams(p *program[T]) {
	for j, prm := range x.e.spec.Params {
		if p.params[j] < 0 {
			continue
		}
		if x.p32 != nil {
			p.bind(p.params[j], x.p32[j])
			continue
		}
		p.bind(p.params[j], any(x.e.params[prm.Name]).([]T))
	}
	for j, buf := range x.e.decls.buffers {
		if p.buffers[j] < 0 {
			continue
		}
		if x.b32 != nil {
			p.bind(p.buffers[j], x.b32[j])
			continue
		}
		p.bind(p.buffers[j], any(x.e.buffers[buf.Name]).([]T))
	}
	if p.step >= 0 {
		p.vals[p.step][0] = T(x.e.steps)
	}
}

func (x *exec[T]) syncParams() {
	if x.p32 == nil {
		return
	}
	for j, prm := range x.e.spec.Params {
		convert(x.p32[j], x.e.params[prm.Name])
	}
	for j, buf := range x.e.decls.buffers {
		convert(x.b32[j], x.e.buffers[buf.Name])
	}
}

// applyUpdates copies a training program's new buffer values into the
// buffers.
func (x *exec[T]) applyUpdates(p *program[T]) {
	for _, u := range p.updates {
		dst := x.e.buffers[x.e.decls.buffers[u.buffer].Name]
		for i, v := range p.vals[u.slot] {
			dst[i] = float64(v)
		}
	}
}

// batchwise reports whether builds of kind compute statistics across rows,
// learning it from a one-row build the first time.
func (x *exec[T]) batchwise(kind programKind) (bool, error) {
	if b, ok := x.bwise[kind]; ok {
		return b, nil
	}
	p, err := x.prog(0, kind, 1)
	if err != nil {
		return false, err
	}
	x.bwise[kind] = p.batchwise
	return p.batchwise, nil
}

// split reports how many workers a batch of n rows uses; 1 means no split.
// split reports how many workers a batch of n rows uses. Work per row is
// taken to be about the parameter count (one multiply-add per weight each
// way), and a worker is worth starting only for parallelWork of it.
func (x *exec[T]) split(n int, kind programKind) int {
	if bw, err := x.batchwise(kind); !x.e.spec.RowMean || x.workers <= 1 || bw || err != nil {
		return 1
	}
	per := max(1, x.paramValues)
	return max(1, min(x.workers, n*per/parallelWork, n/minWorkerRows))
}

const (
	parallelWork  = 1 << 19 // multiply-adds that pay for a goroutine hand-off
	minWorkerRows = 16
)

func (x *exec[T]) run(X, Y []float64, n int, train bool) (float64, error) {
	x.syncParams()
	xs, ys := x.data(X, Y)
	kind := kindEval
	if train {
		kind = kindTrain
	}
	w := x.split(n, kind)
	bw, err := x.batchwise(kind)
	if err != nil {
		return 0, err
	}
	if w == 1 && (n < 2*x.block || !x.e.spec.RowMean || bw) { // one program over all rows
		p, err := x.prog(0, kind, n)
		if err != nil {
			return 0, err
		}
		x.bindParams(p)
		x.bindData(p, xs, ys, 0, n)
		if err := p.run(); err != nil {
			return 0, err
		}
		if train {
			for j, prm := range x.e.spec.Params {
				g := x.e.grads[prm.Name]
				for i, v := range p.vals[p.grads[j]] {
					g[i] = float64(v)
				}
			}
			x.applyUpdates(p)
		}
		return float64(p.vals[p.loss][0]), nil
	}
	// Split the batch: worker i takes a contiguous range of rows and runs
	// it in blocks, accumulating block-weighted losses and gradients.
	x.wg.Add(w - 1)
	for i := 0; i < w-1; i++ {
		go x.workAsync(i, kind, xs, ys, i*n/w, (i+1)*n/w, n)
	}
	x.work(w-1, kind, xs, ys, (w-1)*n/w, n, n)
	x.wg.Wait()
	var loss float64
	for i := 0; i < w; i++ {
		if x.errs[i] != nil {
			return 0, x.errs[i]
		}
		loss += x.lossAcc[i]
	}
	if train {
		for j, prm := range x.e.spec.Params {
			g := x.e.grads[prm.Name]
			copy(g, x.acc[0][j])
			for i := 1; i < w; i++ {
				for k, v := range x.acc[i][j] {
					g[k] += v
				}
			}
		}
	}
	return loss, nil
}

func (x *exec[T]) bindData(p *program[T], xs, ys []T, lo, hi int) {
	s := &x.e.spec
	if p.x >= 0 {
		d := s.InputSize()
		p.bind(p.x, xs[lo*d:hi*d])
	}
	if p.y >= 0 && ys != nil {
		t := s.TargetSize()
		p.bind(p.y, ys[lo*t:hi*t])
	}
}

func (x *exec[T]) workAsync(w int, kind programKind, xs, ys []T, lo, hi, n int) {
	defer x.wg.Done()
	x.work(w, kind, xs, ys, lo, hi, n)
}

func (x *exec[T]) work(w int, kind programKind, xs, ys []T, lo, hi, n int) {
	x.errs[w] = nil
	x.lossAcc[w] = 0
	for _, a := range x.acc[w] {
		clear(a)
	}
	block := x.block
	if hi-lo < n {
		block = x.splitBlock
	}
	for r, end := lo, lo; r < hi; r = end {
		end = blockEnd(r, hi, block)
		p, err := x.prog(w, kind, end-r)
		if err != nil {
			x.errs[w] = err
			return
		}
		x.bindParams(p)
		x.bindData(p, xs, ys, r, end)
		if err := p.run(); err != nil {
			x.errs[w] = err
			return
		}
		wt := float64(end-r) / float64(n)
		x.lossAcc[w] += wt * float64(p.vals[p.loss][0])
		if kind == kindTrain {
			for j := range x.acc[w] {
				a := x.acc[w][j]
				for k, v := range p.vals[p.grads[j]] {
					a[k] += wt * float64(v)
				}
			}
		}
	}
}

// blockEnd is where the row block that starts at r ends: block rows on,
// or hi when fewer than half a block would be left for a last one.
func blockEnd(r, hi, block int) int {
	end := min(hi, r+block)
	if hi-end < block/2 {
		end = hi
	}
	return end
}

func (x *exec[T]) predict(X []float64, n int, out []float64) error {
	x.syncParams()
	xs, _ := x.data(X, nil)
	k := x.nout
	step := n
	if bw, err := x.batchwise(kindPredict); err != nil {
		return err
	} else if !bw {
		step = max(x.block, 1)
	}
	for r, end := 0, 0; r < n; r = end {
		end = blockEnd(r, n, step)
		p, err := x.prog(0, kindPredict, end-r)
		if err != nil {
			return err
		}
		x.bindParams(p)
		x.bindData(p, xs, nil, r, end)
		if err := p.run(); err != nil {
			return err
		}
		for i, v := range p.vals[p.pred] {
			out[r*k+i] = float64(v)
		}
	}
	return nil
}

// checkDeclBudget refuses parameters and buffers that together hold more
// than budget values, before their values are allocated.
func checkDeclBudget(ps []Param, budget int) error {
	total := 0
	for _, p := range ps {
		total += p.Size() // each is at most MaxValues (checkParam)
		if total > budget {
			return fmt.Errorf("graph: the model's parameters and buffers hold more than %d values (%d MiB of float64), the limit; %s alone has shape %v (%d values)", budget, budget>>17, p.Name, p.Shape, p.Size())
		}
	}
	return nil
}
