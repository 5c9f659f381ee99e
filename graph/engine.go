package graph

import (
	"fmt"
	"runtime"
	"sync"

	"gorgonia.org/tensor"
)

// Engine owns a problem's parameters and runs its differentiated graph.
// Parameters and gradients are float64 slices keyed by name, in row-major
// order; an optimizer updates Params in place between steps.
//
// An Engine is not safe for concurrent use by several goroutines.
type Engine struct {
	spec   Spec
	params map[string][]float64
	grads  map[string][]float64
	exec   executor
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

// New validates spec, builds its graph once for a first check, and returns
// an Engine whose parameters hold their initial values.
func New(spec Spec, opt Options) (*Engine, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	if opt.Workers < 0 || opt.BlockRows < 0 {
		return nil, fmt.Errorf("graph: Workers and BlockRows must be >= 0, got %d and %d", opt.Workers, opt.BlockRows)
	}
	e := &Engine{spec: spec, params: map[string][]float64{}, grads: map[string][]float64{}}
	for _, p := range spec.Params {
		v := make([]float64, p.Size())
		copy(v, p.Init)
		e.params[p.Name] = v
		e.grads[p.Name] = make([]float64, p.Size())
	}
	if spec.dtype() == tensor.Float32 {
		e.exec = newExec[float32](e, opt)
	} else {
		e.exec = newExec[float64](e, opt)
	}
	// Build the graph once now, so a model error surfaces here.
	n := 0
	if spec.Features > 0 || spec.Targets > 0 {
		n = 1
	}
	if err := e.exec.init(n); err != nil {
		return nil, err
	}
	return e, nil
}

// Spec returns the problem the engine was built from.
func (e *Engine) Spec() Spec { return e.spec }

// Params returns the parameter values, keyed by name. The slices are the
// engine's own: writing them changes the next step.
func (e *Engine) Params() map[string][]float64 { return e.params }

// Grads returns the gradients computed by the last Step, keyed by name.
// They are overwritten, never accumulated, by the next Step.
func (e *Engine) Grads() map[string][]float64 { return e.grads }

// Outputs is the number of prediction columns.
func (e *Engine) Outputs() int { return e.exec.outputs() }

// Step runs forward and backward on a batch of n rows: X is n×Features and Y
// is n×Targets, row-major. It returns the loss; Grads then holds ∂J/∂θ for
// every parameter. For an objective without data, pass nil, nil, 0.
func (e *Engine) Step(X, Y []float64, n int) (float64, error) {
	if err := e.checkData(X, Y, n); err != nil {
		return 0, err
	}
	if err := e.checkTargets(Y, n); err != nil {
		return 0, err
	}
	return e.exec.run(X, Y, n, true)
}

// Loss evaluates the loss on a batch without computing gradients.
func (e *Engine) Loss(X, Y []float64, n int) (float64, error) {
	if err := e.checkData(X, Y, n); err != nil {
		return 0, err
	}
	if err := e.checkTargets(Y, n); err != nil {
		return 0, err
	}
	return e.exec.run(X, Y, n, false)
}

// Predict writes the model's prediction for the n rows of X into out,
// which must hold n×Outputs values; nil out allocates it.
func (e *Engine) Predict(X []float64, n int, out []float64) ([]float64, error) {
	if e.spec.Features == 0 {
		return nil, fmt.Errorf("graph: an objective without data has no prediction; use Loss")
	}
	if err := e.checkData(X, nil, n); err != nil {
		return nil, err
	}
	k := e.exec.outputs()
	if out == nil {
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
	for name, v := range values {
		dst, ok := e.params[name]
		if !ok {
			return fmt.Errorf("graph: no parameter %q", name)
		}
		if len(v) != len(dst) {
			return fmt.Errorf("graph: parameter %q has %d values, got %d", name, len(dst), len(v))
		}
	}
	for name, v := range values {
		copy(e.params[name], v)
	}
	return nil
}

// checkTargets refuses a missing Y where the loss needs one.
func (e *Engine) checkTargets(Y []float64, n int) error {
	if e.spec.Targets > 0 && Y == nil {
		return fmt.Errorf("graph: the loss needs Y (%d rows × %d targets), got none", n, e.spec.Targets)
	}
	return nil
}

func (e *Engine) checkData(X, Y []float64, n int) error {
	s := &e.spec
	if s.Features == 0 && s.Targets == 0 {
		if n != 0 || X != nil || Y != nil {
			return fmt.Errorf("graph: this objective takes no data, got %d rows", n)
		}
		return nil
	}
	if n <= 0 {
		return fmt.Errorf("graph: a batch needs at least one row, got %d", n)
	}
	if len(X) != n*s.Features {
		return fmt.Errorf("graph: X has %d values, want %d rows × %d features = %d", len(X), n, s.Features, n*s.Features)
	}
	if Y != nil && len(Y) != n*s.Targets {
		return fmt.Errorf("graph: Y has %d values, want %d rows × %d targets = %d", len(Y), n, s.Targets, n*s.Targets)
	}
	return nil
}

// exec runs programs of element type T. Programs are compiled lazily, one
// per (kind, rows) and per worker, and cached.
type exec[T Float] struct {
	e       *Engine
	workers int
	block   int
	pw      []map[progKey]*program[T] // per worker
	p32     [][]T                     // float32 copies of the parameters
	xT, yT  []T                       // float32 copies of the batch
	acc     [][][]float64             // per worker, per parameter
	lossAcc []float64
	errs    []error
	nout    int

	paramValues int
	splitBlock  int // block rows when a batch is split over workers
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
		b = max(64, (256<<10)/8/max(1, e.spec.Features))
	}
	x := &exec[T]{e: e, workers: w, block: b}
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
	p, err := compile[T](&x.e.spec, n, kind)
	if err != nil {
		return nil, err
	}
	x.pw[w][k] = p
	return p, nil
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

// bindParams points the program's parameter slots at the master values
// (float64) or at their float32 copies.
func (x *exec[T]) bindParams(p *program[T]) {
	for j, prm := range x.e.spec.Params {
		if x.p32 != nil {
			p.bind(p.params[j], x.p32[j])
			continue
		}
		p.bind(p.params[j], any(x.e.params[prm.Name]).([]T))
	}
}

func (x *exec[T]) syncParams() {
	for j, prm := range x.e.spec.Params {
		if x.p32 != nil {
			convert(x.p32[j], x.e.params[prm.Name])
		}
	}
}

// split reports how many workers a batch of n rows uses; 1 means no split.
// split reports how many workers a batch of n rows uses. Work per row is
// taken to be about the parameter count (one multiply-add per weight each
// way), and a worker is worth starting only for parallelWork of it.
func (x *exec[T]) split(n int) int {
	if !x.e.spec.RowMean || x.workers <= 1 {
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
	w := x.split(n)
	if w == 1 && (n < 2*x.block || !x.e.spec.RowMean) { // one program over all rows
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
		p.bind(p.x, xs[lo*s.Features:hi*s.Features])
	}
	if p.y >= 0 && ys != nil {
		p.bind(p.y, ys[lo*s.Targets:hi*s.Targets])
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
	if x.e.spec.RowMean {
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
