package bench

import (
	"fmt"
	"math"
	"runtime"
)

// fusedContender is the fastest Go step we know how to write by hand. For
// the linear kinds (this file) it makes one pass over X: each row's output
// and residual are computed and its gradient term accumulated while the
// row is still in cache, through gonum's SIMD dot and axpy kernels, with
// the weights stored output-major so both run over contiguous memory.
// Large batches are split over runtime.NumCPU() workers, each with its own
// gradient accumulator, summed at the end. The mlp is in fused_mlp.go. A
// step allocates nothing.
var fusedContender = Contender{Name: "fused", Handwritten: true, New: newFused}

// minWorkerWork is the number of multiply-adds below which a step is not
// worth handing to another goroutine (a hand-off costs a few µs).
const minWorkerWork = 1 << 16

// fusedLinear is the fused step of linreg, logreg and softmax.
type fusedLinear struct {
	p       Problem
	d       *Data
	out     int
	wt, b   []float64 // W stored transposed: out×D
	gwt, gb []float64 // reduced gradients
	acc     []fusedAcc
	upd     *updater
	pool    *pool
	s0, B   int // this step's first row and row count
	step    int
}

// fusedAcc is one worker's gradient accumulator and scratch row, each
// allocated by padded so that no two workers write to one cache line.
type fusedAcc struct {
	gwt, gb, z []float64
}

var (
	_ Stepper = (*fusedLinear)(nil)
	_ Stepper = (*fusedMLP)(nil)
)

func newFused(p Problem, d *Data) (Stepper, error) {
	return newFusedWorkers(p, d, 0)
}

// newFusedWorkers builds the fused step on the given number of workers; 0
// picks by size.
func newFusedWorkers(p Problem, d *Data, workers int) (Stepper, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if !p.Dense() {
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, p.Kind)
	}
	p = p.withDefaults()
	if p.Kind == "mlp" {
		return newFusedMLP(p, d, workers), nil
	}
	f := &fusedLinear{p: p, d: d, out: p.Outputs(), B: p.BatchRows()}
	if workers <= 0 {
		workers = pickWorkers(f.B, f.B*p.D*f.out)
	}
	f.wt = make([]float64, f.out*p.D) // InitParams starts the linear kinds at zero
	f.b = make([]float64, f.out)
	f.gwt = make([]float64, f.out*p.D)
	f.gb = make([]float64, f.out)
	f.acc = make([]fusedAcc, workers)
	for w := range f.acc {
		f.acc[w] = fusedAcc{gwt: padded(f.out * p.D), gb: padded(f.out), z: padded(f.out)}
	}
	f.upd = newUpdater(p, []int{len(f.wt), len(f.b)})
	f.pool = newPool(workers, f.work)
	return f, nil
}

// pickWorkers gives rows of work (work multiply-adds in all) to at most
// runtime.NumCPU() workers, each with at least minWorkerWork.
func pickWorkers(rows, work int) int {
	return max(1, min(runtime.NumCPU(), work/minWorkerWork, rows))
}

// Step accumulates the gradient over the batch in parallel, then updates.
func (f *fusedLinear) Step() error {
	f.s0 = f.p.BatchStart(f.step)
	f.step++
	f.pool.do()
	copy(f.gwt, f.acc[0].gwt)
	copy(f.gb, f.acc[0].gb)
	for _, a := range f.acc[1:] {
		axpy(f.gwt, 1, a.gwt)
		axpy(f.gb, 1, a.gb)
	}
	scale := 1 / float64(f.B)
	if f.p.Kind == "linreg" {
		scale *= 2
	}
	for j := range f.gwt {
		f.gwt[j] *= scale
	}
	for c := range f.gb {
		f.gb[c] *= scale
	}
	f.upd.tick()
	f.upd.apply(0, f.wt, f.gwt)
	f.upd.apply(1, f.b, f.gb)
	return nil
}

// work accumulates, for worker w's rows, Σ xᵢ·eᵢ and Σ eᵢ with
// eᵢ = ŷᵢ − yᵢ (linreg, halved), σ(zᵢ) − yᵢ (logreg) or
// softmax(zᵢ) − onehot(classᵢ) (softmax).
func (f *fusedLinear) work(w int) {
	p, a := f.p, &f.acc[w]
	D, out := p.D, f.out
	lo, hi := span(f.B, len(f.acc), w)
	lo, hi = lo+f.s0, hi+f.s0
	clear(a.gwt)
	clear(a.gb)
	X := f.d.X
	switch p.Kind {
	case "linreg", "logreg":
		wt, g, b := f.wt[:D], a.gwt[:D], f.b[0]
		var gb float64
		for i := lo; i < hi; i++ {
			x := X[i*D : (i+1)*D : (i+1)*D]
			e := dot(x, wt) + b
			if p.Kind == "logreg" {
				e = sigmoid(e)
			}
			e -= f.d.Y[i]
			axpy(g, e, x)
			gb += e
		}
		a.gb[0] = gb
	default:
		z := a.z[:out]
		for i := lo; i < hi; i++ {
			x := X[i*D : (i+1)*D : (i+1)*D]
			m := math.Inf(-1)
			for c := range z {
				z[c] = dot(x, f.wt[c*D:(c+1)*D]) + f.b[c]
				m = math.Max(m, z[c])
			}
			var s float64
			for c, v := range z {
				z[c] = math.Exp(v - m)
				s += z[c]
			}
			inv := 1 / s
			z[f.d.Class[i]] -= s // (e^{z−m} − s·[c = class]) / s
			for c, v := range z {
				e := v * inv
				axpy(a.gwt[c*D:(c+1)*D], e, x)
				a.gb[c] += e
			}
		}
	}
}

// Params returns a copy of the parameters, W back in D×out layout.
func (f *fusedLinear) Params() map[string][]float64 {
	D := f.p.D
	W := make([]float64, D*f.out)
	for c := range f.out {
		for j := range D {
			W[j*f.out+c] = f.wt[c*D+j]
		}
	}
	return map[string][]float64{"W": W, "b": append([]float64(nil), f.b...)}
}

// Close stops the worker goroutines.
func (f *fusedLinear) Close() error {
	f.pool.close()
	return nil
}
