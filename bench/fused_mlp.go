package bench

import "math"

// fusedMLP is the fused step of the mlp: each worker takes a share of the
// batch's rows and runs every row forward and backward at once while its
// activations are in cache, accumulating its own weight gradients; the
// shares are summed and the optimizer applied. With Wl stored in×out
// row-major, every inner loop is a contiguous dot or axpy of a weight row:
//
//	forward   z_l = b_l + Σ_m a_{l−1}[m]·Wl[m,:]      (rows with a = 0 skipped)
//	backward  ∇Wl[m,:] += a_{l−1}[m]·e_l,  e_{l−1}[m] = [z_{l−1}[m] > 0]·Wl[m,:]·e_l
type fusedMLP struct {
	p      Problem
	d      *Data
	layers [][2]int
	names  []string
	params [][]float64 // W1, b1, W2, b2, …
	grads  [][]float64 // reduced
	acc    []mlpAcc
	upd    *updater
	pool   *pool
	s0     int
	step   int
}

// mlpAcc is one worker's gradients and per-row scratch, allocated by
// padded.
type mlpAcc struct {
	grads [][]float64 // like params
	z, e  [][]float64 // per layer, one row: outputs and output gradients
}

func newFusedMLP(p Problem, d *Data, workers int) *fusedMLP {
	f := &fusedMLP{p: p, d: d, layers: p.Layers(), names: ParamNames(p)}
	B := p.BatchRows()
	work := 0
	for _, io := range f.layers {
		work += 3 * B * io[0] * io[1]
	}
	if workers <= 0 {
		workers = pickWorkers(B, work)
	}
	init := InitParams(p)
	var sizes []int
	for _, name := range f.names {
		f.params = append(f.params, init[name])
		f.grads = append(f.grads, make([]float64, len(init[name])))
		sizes = append(sizes, len(init[name]))
	}
	f.acc = make([]mlpAcc, workers)
	for w := range f.acc {
		a := &f.acc[w]
		for _, n := range sizes {
			a.grads = append(a.grads, padded(n))
		}
		for _, io := range f.layers {
			a.z = append(a.z, padded(io[1]))
			a.e = append(a.e, padded(io[1]))
		}
	}
	f.upd = newUpdater(p, sizes)
	f.pool = newPool(workers, f.work)
	return f
}

// Step runs the batch's rows on the workers, sums their gradients and
// applies the optimizer.
func (f *fusedMLP) Step() error {
	f.s0 = f.p.BatchStart(f.step)
	f.step++
	f.pool.do()
	for i, g := range f.grads {
		copy(g, f.acc[0].grads[i])
		for _, a := range f.acc[1:] {
			axpy(g, 1, a.grads[i])
		}
	}
	f.upd.tick()
	for i := range f.params {
		f.upd.apply(i, f.params[i], f.grads[i])
	}
	return nil
}

// work runs worker w's rows forward and backward.
func (f *fusedMLP) work(w int) {
	p, a := f.p, &f.acc[w]
	L, B := len(f.layers), p.BatchRows()
	for _, g := range a.grads {
		clear(g)
	}
	lo, hi := span(B, len(f.acc), w)
	invB := 1 / float64(B)
	for i := f.s0 + lo; i < f.s0+hi; i++ {
		x := f.d.X[i*p.D : (i+1)*p.D]
		in := x
		for l, io := range f.layers {
			out := io[1]
			W, z := f.params[2*l], a.z[l]
			copy(z, f.params[2*l+1])
			for m, v := range in {
				if v != 0 {
					axpy(z, v, W[m*out:(m+1)*out])
				}
			}
			if l < L-1 {
				for c, v := range z {
					z[c] = math.Max(v, 0)
				}
			}
			in = z
		}
		// e_L = (softmax(z_L) − onehot)/B
		zL, e := a.z[L-1], a.e[L-1]
		m := math.Inf(-1)
		for _, v := range zL {
			m = math.Max(m, v)
		}
		var s float64
		for c, v := range zL {
			e[c] = math.Exp(v - m)
			s += e[c]
		}
		scale := invB / s
		for c := range e {
			e[c] *= scale
		}
		e[f.d.Class[i]] -= invB
		for l := L - 1; l >= 0; l-- {
			out := f.layers[l][1]
			prev := x
			if l > 0 {
				prev = a.z[l-1] // ReLU applied in place: z > 0 ⇔ a > 0
			}
			W, gW, gb, e := f.params[2*l], a.grads[2*l], a.grads[2*l+1], a.e[l]
			for m, v := range prev {
				if v != 0 {
					axpy(gW[m*out:(m+1)*out], v, e)
				}
			}
			axpy(gb, 1, e)
			if l > 0 {
				ePrev := a.e[l-1]
				for m, v := range prev {
					if v > 0 {
						ePrev[m] = dot(W[m*out:(m+1)*out], e)
					} else {
						ePrev[m] = 0
					}
				}
			}
		}
	}
}

// Params returns a copy of the parameters.
func (f *fusedMLP) Params() map[string][]float64 { return namedCopy(f.names, f.params) }

// Close stops the worker goroutines.
func (f *fusedMLP) Close() error {
	f.pool.close()
	return nil
}
