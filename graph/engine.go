package graph

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/internal/workers"
)

// Engine owns a problem's parameters and buffers and runs its
// differentiated graph. Parameters, gradients and buffers are slices keyed
// by full name, in row-major order, of the engine's dtype: float64 (Params,
// Grads, Buffers) or float32 (Params32, Grads32, Buffers32); an optimizer
// updates them in place between steps. A float32 engine's float32 values
// are the truth its programs read and write directly; its Params, Grads
// and Buffers are float64 views (see Params).
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
	// A float32 engine's values; params, grads and buffers are then
	// float64 copies of them, allocated on first use.
	params32, grads32, buffers32 map[string][]float32
	steps                        int64
	exec                         executor
	busy                         atomic.Bool
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
	e := &Engine{spec: spec, decls: *d}
	if spec.dtype() == tensor.Float32 {
		e.params32, e.grads32, e.buffers32 = map[string][]float32{}, map[string][]float32{}, map[string][]float32{}
		for _, p := range d.params {
			e.params32[p.Name] = convert[float32](nil, p.Init)
			e.grads32[p.Name] = make([]float32, p.Size())
		}
		for _, p := range d.buffers {
			e.buffers32[p.Name] = convert[float32](nil, p.Init)
		}
	} else {
		e.params, e.grads, e.buffers = map[string][]float64{}, map[string][]float64{}, map[string][]float64{}
		for _, p := range d.params {
			e.params[p.Name] = append([]float64(nil), p.Init...)
			e.grads[p.Name] = make([]float64, p.Size())
		}
		for _, p := range d.buffers {
			e.buffers[p.Name] = append([]float64(nil), p.Init...)
		}
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

// Dtype is the engine's element type: tensor.Float64 or tensor.Float32.
func (e *Engine) Dtype() tensor.Dtype { return e.spec.dtype() }

// Params returns the parameter values, keyed by name. The slices are the
// engine's own: writing them changes the next step.
//
// For a float32 engine they are a float64 copy of the float32 parameters
// (Params32), exact, refreshed on each call (the same map and slices are
// reused): writing it changes nothing; SetParams rounds new values into
// the engine, and a float32 optimizer updates Params32 in place.
func (e *Engine) Params() map[string][]float64 {
	if e.params32 == nil {
		return e.params
	}
	e.params = widen(e.params, e.params32)
	return e.params
}

// Grads returns the gradients computed by the last Step, keyed by name.
// They are overwritten, never accumulated, by the next Step. For a float32
// engine they are a float64 copy of Grads32, refreshed on each call.
func (e *Engine) Grads() map[string][]float64 {
	if e.grads32 == nil {
		return e.grads
	}
	e.grads = widen(e.grads, e.grads32)
	return e.grads
}

// Buffers returns the buffer values (non-trainable state), keyed by name.
// A training Step updates them; Loss and Predict only read them. For a
// float32 engine they are a float64 copy, as Params (SetBuffers writes).
func (e *Engine) Buffers() map[string][]float64 {
	if e.buffers32 == nil {
		return e.buffers
	}
	e.buffers = widen(e.buffers, e.buffers32)
	return e.buffers
}

// Params32 returns a float32 engine's parameters, keyed by name: the
// slices its programs read, written in place by a float32 optimizer. It is
// nil for a float64 engine.
func (e *Engine) Params32() map[string][]float32 { return e.params32 }

// Grads32 returns the gradients a float32 engine's last Step computed (nil
// for a float64 engine).
func (e *Engine) Grads32() map[string][]float32 { return e.grads32 }

// Buffers32 returns a float32 engine's buffers (nil for a float64 engine).
func (e *Engine) Buffers32() map[string][]float32 { return e.buffers32 }

// SetParams32 copies values into a float32 engine's named parameters,
// exactly, checking each size. Parameters not named keep their values.
func (e *Engine) SetParams32(values map[string][]float32) error {
	if e.params32 == nil {
		return fmt.Errorf("graph: SetParams32 needs a float32 engine, this one is float64 (use SetParams)")
	}
	return setNamed("parameter", e.params32, values)
}

// SetBuffers32 copies values into a float32 engine's named buffers.
func (e *Engine) SetBuffers32(values map[string][]float32) error {
	if e.buffers32 == nil {
		return fmt.Errorf("graph: SetBuffers32 needs a float32 engine, this one is float64 (use SetBuffers)")
	}
	return setNamed("buffer", e.buffers32, values)
}

// widen copies float32 values into float64 ones, exactly, reusing dst.
func widen(dst map[string][]float64, src map[string][]float32) map[string][]float64 {
	if dst == nil {
		dst = make(map[string][]float64, len(src))
	}
	for name, v := range src {
		d := dst[name]
		if len(d) != len(v) {
			d = make([]float64, len(v))
			dst[name] = d
		}
		for i, x := range v {
			d[i] = float64(x)
		}
	}
	return dst
}

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
// Parameters not named keep their values. A float32 engine rounds them to
// float32.
func (e *Engine) SetParams(values map[string][]float64) error {
	if e.params32 != nil {
		return setRounded("parameter", e.params32, values)
	}
	return setNamed("parameter", e.params, values)
}

// SetBuffers copies values into the named buffers, checking each size; a
// float32 engine rounds them to float32.
func (e *Engine) SetBuffers(values map[string][]float64) error {
	if e.buffers32 != nil {
		return setRounded("buffer", e.buffers32, values)
	}
	return setNamed("buffer", e.buffers, values)
}

// setRounded is setNamed from float64 values into float32 ones.
func setRounded(what string, dst map[string][]float32, values map[string][]float64) error {
	if err := checkNamed(what, dst, values); err != nil {
		return err
	}
	for name, v := range values {
		convert(dst[name], v)
	}
	return nil
}

func checkNamed[T, U Float](what string, dst map[string][]T, values map[string][]U) error {
	for name, v := range values {
		d, ok := dst[name]
		if !ok {
			return fmt.Errorf("graph: no %s %q", what, name)
		}
		if len(v) != len(d) {
			return fmt.Errorf("graph: %s %q has %d values, got %d", what, name, len(d), len(v))
		}
	}
	return nil
}

func setNamed[T Float](what string, dst, values map[string][]T) error {
	if err := checkNamed(what, dst, values); err != nil {
		return err
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
	pv      [][]T                     // the parameters, in spec order
	gv      [][]T                     // their gradients
	bv      [][]T                     // the buffers, in declaration order
	bwise   map[programKind]bool      // whether a kind's build is batchwise
	xT, yT  []T                       // float32 copies of the batch
	acc     [][][]T                   // per worker, per parameter
	lossAcc []float64
	errs    []error
	nout    int

	paramValues int
	rowWork     map[programKind]int // multiply-adds per row of a kind's programs
	splitBlock  int                 // block rows when a batch is split over workers
	used        atomic.Int64        // values allocated by every compiled program
	call        splitCall[T]
	prepared    map[splitKey]bool // splits whose programs prepareSplit compiled
}

// splitCall is the state of one split batch: its w row ranges are claimed
// through state, the call's generation (high 32 bits), the number of
// ranges (16 bits) and the next unclaimed one (low 16 bits), by the caller
// and by helpers on the package's worker goroutines. The caller claims
// ranges until none is left and then waits only for those a helper is
// running, so a helper the OS has not scheduled yet (a loaded machine)
// costs nothing but its share of parallelism. A range always goes to one
// participant, which runs its blocks in order into the range's own
// accumulator, so the sums, and the result, do not depend on who ran what.
// A participant runs programs of its own slot (x.pw[slot]): the caller
// slot 0, helper i slot i, held through busy so that a helper that wakes
// late never shares a slot with a newer one.
type splitCall[T Float] struct {
	state   atomic.Uint64
	gen     uint32
	wg      sync.WaitGroup
	helpers []splitHelper[T]
	busy    []atomic.Bool // per slot
	kind    programKind
	xs, ys  []T
	n, w    int
}

// splitHelper is the task handed to a worker goroutine: join call gen of x
// on slot.
type splitHelper[T Float] struct {
	x    *exec[T]
	slot int
	gen  atomic.Uint32
}

// Run implements workers.Task.
func (h *splitHelper[T]) Run() {
	c := &h.x.call
	if !c.busy[h.slot].CompareAndSwap(false, true) {
		return
	}
	h.x.participate(h.slot, h.gen.Load())
	c.busy[h.slot].Store(false)
}

// claim returns the next unclaimed range of call gen, or −1.
func (c *splitCall[T]) claim(gen uint32) int {
	for {
		v := c.state.Load()
		next, count := int(v&0xffff), int(v>>16&0xffff)
		if uint32(v>>32) != gen || next >= count {
			return -1
		}
		if c.state.CompareAndSwap(v, v+1) {
			return next
		}
	}
}

// participate runs ranges of call gen on slot's programs until none is left.
func (x *exec[T]) participate(slot int, gen uint32) {
	c := &x.call
	for r := c.claim(gen); r >= 0; r = c.claim(gen) {
		x.work(slot, r, c.kind, c.xs, c.ys, r*c.n/c.w, (r+1)*c.n/c.w, c.n)
		c.wg.Done()
	}
}

// helpers are the worker goroutines that join split batches, shared by
// every engine.
var helpers workers.Pool

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
	w = min(w, 1<<15)
	x := &exec[T]{e: e, workers: w, block: b, bwise: map[programKind]bool{}, rowWork: map[programKind]int{}}
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
	x.acc = make([][][]T, w)
	for i := range x.pw {
		x.pw[i] = map[progKey]*program[T]{}
		x.acc[i] = make([][]T, len(e.spec.Params))
		for j, p := range e.spec.Params {
			x.acc[i][j] = make([]T, p.Size())
		}
	}
	x.lossAcc = make([]float64, w)
	x.errs = make([]error, w)
	x.call.busy = make([]atomic.Bool, w)
	x.call.helpers = make([]splitHelper[T], w)
	for i := range x.call.helpers {
		x.call.helpers[i] = splitHelper[T]{x: x, slot: i}
	}
	// The engine's maps hold their slices for its life (SetParams copies
	// into them), so the programs bind them directly.
	x.pv, x.gv = make([][]T, len(e.spec.Params)), make([][]T, len(e.spec.Params))
	for j, p := range e.spec.Params {
		x.pv[j], x.gv[j] = valuesOf[T](e.params, e.params32, p.Name), valuesOf[T](e.grads, e.grads32, p.Name)
	}
	x.bv = make([][]T, len(e.decls.buffers))
	for j, p := range e.decls.buffers {
		x.bv[j] = valuesOf[T](e.buffers, e.buffers32, p.Name)
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

// valuesOf returns the named slice of the map of element type T.
func valuesOf[T Float](m64 map[string][]float64, m32 map[string][]float32, name string) []T {
	if v, ok := any(m64[name]).([]T); ok && m64 != nil {
		return v
	}
	v, _ := any(m32[name]).([]T)
	return v
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
// engine's own values, of the program's type, and sets the step.
func (x *exec[T]) bindParams(p *program[T]) {
	for j := range x.pv {
		if p.params[j] >= 0 {
			p.bind(p.params[j], x.pv[j])
		}
	}
	for j := range x.bv {
		if p.buffers[j] >= 0 {
			p.bind(p.buffers[j], x.bv[j])
		}
	}
	if p.step >= 0 {
		p.vals[p.step][0] = T(x.e.steps)
	}
}

// applyUpdates copies a training program's new buffer values into the
// buffers.
func (x *exec[T]) applyUpdates(p *program[T]) {
	for _, u := range p.updates {
		copy(x.bv[u.buffer], p.vals[u.slot])
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

// perRow is the multiply-adds a row costs in a training step: three times
// those of the one-row prediction (forward; the backward pass takes about
// twice the forward's products), counted by nodeWork, and at least the
// parameter count. Loss and Step take the same estimate, so that a batch
// splits the same way, to the bit, in both.
func (x *exec[T]) perRow() int {
	if w, ok := x.rowWork[kindPredict]; ok {
		return w
	}
	w := x.paramValues
	if p, err := x.prog(0, kindPredict, 1); err == nil {
		w = max(w, 3*p.work)
	}
	x.rowWork[kindPredict] = max(1, w)
	return x.rowWork[kindPredict]
}

// split reports how many workers a batch of n rows uses; 1 means no split.
// A worker is worth its hand-off only for parallelWork multiply-adds
// (perRow) and minWorkerRows rows.
func (x *exec[T]) split(n int, kind programKind) int {
	if bw, err := x.batchwise(kind); !x.e.spec.RowMean || x.workers <= 1 || bw || err != nil {
		return 1
	}
	return max(1, min(x.workers, n*x.perRow()/parallelWork, n/minWorkerRows))
}

const (
	parallelWork  = 1 << 19 // multiply-adds that pay for a hand-off to a worker
	minWorkerRows = 16
)

func (x *exec[T]) run(X, Y []float64, n int, train bool) (float64, error) {
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
			for j, g := range x.gv {
				copy(g, p.vals[p.grads[j]])
			}
			x.applyUpdates(p)
		}
		return float64(p.vals[p.loss][0]), nil
	}
	// Split the batch into w contiguous ranges of rows (see splitCall),
	// each run in blocks, accumulating block-weighted losses and gradients.
	if err := x.prepareSplit(kind, n, w); err != nil {
		return 0, err
	}
	c := &x.call
	c.gen++
	gen := c.gen
	c.kind, c.xs, c.ys, c.n, c.w = kind, xs, ys, n, w
	c.wg.Add(w)
	c.state.Store(uint64(gen)<<32 | uint64(w)<<16)
	helpers.Ensure(w - 1)
	for i := 1; i < w; i++ {
		h := &c.helpers[i]
		h.gen.Store(gen)
		helpers.Offer(h) // with no idle worker, the caller claims the range itself
	}
	x.participate(0, gen)
	c.wg.Wait()
	c.xs, c.ys = nil, nil
	var loss float64
	for i := 0; i < w; i++ {
		if x.errs[i] != nil {
			return 0, x.errs[i]
		}
		loss += x.lossAcc[i]
	}
	if train {
		// In T, in range order, as torch accumulates a float32 .grad.
		for j, g := range x.gv {
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

// prepareSplit compiles, the first time a batch of n rows is split w ways,
// the programs of every block size any range holds on every slot, since
// any participant may claim any range: a steady-state step then compiles,
// and allocates, nothing, whoever runs what.
func (x *exec[T]) prepareSplit(kind programKind, n, w int) error {
	k := splitKey{kind, n, w}
	if x.prepared[k] {
		return nil
	}
	block := x.block
	if w > 1 {
		block = x.splitBlock
	}
	for r := 0; r < w; r++ {
		lo, hi := r*n/w, (r+1)*n/w
		for b, end := lo, lo; b < hi; b = end {
			end = blockEnd(b, hi, block)
			for slot := 0; slot < w; slot++ {
				if _, err := x.prog(slot, kind, end-b); err != nil {
					return err
				}
			}
		}
	}
	if x.prepared == nil {
		x.prepared = map[splitKey]bool{}
	}
	x.prepared[k] = true
	return nil
}

type splitKey struct {
	kind programKind
	n, w int
}

// work runs rows [lo, hi), range w of a split batch of n rows, in blocks
// on slot's programs, into range w's accumulators.
func (x *exec[T]) work(slot, w int, kind programKind, xs, ys []T, lo, hi, n int) {
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
		p, err := x.prog(slot, kind, end-r)
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
			wT := T(wt)
			for j := range x.acc[w] {
				a := x.acc[w][j]
				for k, v := range p.vals[p.grads[j]] {
					a[k] += wT * v
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
