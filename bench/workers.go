package bench

// pool runs a fixed function on n workers per call of do, without
// allocating: worker 0 is the calling goroutine, workers 1…n−1 are
// goroutines parked on their start channels between calls.
type pool struct {
	run   func(worker int)
	start []chan struct{}
	done  chan struct{}
}

// newPool starts n−1 goroutines that call run(worker) on each do.
func newPool(n int, run func(worker int)) *pool {
	p := &pool{run: run, start: make([]chan struct{}, n), done: make(chan struct{}, n)}
	for w := 1; w < n; w++ {
		p.start[w] = make(chan struct{}, 1)
		go func() {
			for range p.start[w] {
				p.run(w)
				p.done <- struct{}{}
			}
		}()
	}
	return p
}

// do calls run(0), …, run(n−1) concurrently and returns when all are done.
func (p *pool) do() {
	if len(p.start) == 1 {
		p.run(0)
		return
	}
	for w := 1; w < len(p.start); w++ {
		p.start[w] <- struct{}{}
	}
	p.run(0)
	for w := 1; w < len(p.start); w++ {
		<-p.done
	}
}

// close stops the goroutines. The pool must not be used afterwards.
func (p *pool) close() {
	for w := 1; w < len(p.start); w++ {
		close(p.start[w])
	}
}

// span returns worker w's share [lo, hi) of n items split over workers.
func span(n, workers, w int) (lo, hi int) {
	return n * w / workers, n * (w + 1) / workers
}

// padded returns n zeros with a cache line (64 bytes) of unused memory on
// each side, so that buffers written by different workers never share a
// line.
func padded(n int) []float64 {
	const pad = 64 / 8
	return make([]float64, n+2*pad)[pad : pad+n : pad+n]
}
