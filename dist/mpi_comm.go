//go:build mpi

package dist

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// mpiComm is MPI_COMM_WORLD. One goroutine locked to its OS thread, the
// main thread in MPI's terms, calls MPI_Init_thread and, at the end,
// MPI_Finalize, as MPI requires both on the same thread. In between, a
// collective runs on the calling goroutine's thread, one at a time under
// mu, which MPI_THREAD_SERIALIZED allows; an MPI that grants less
// (FUNNELED or SINGLE) gets every collective funneled through the main
// thread over a channel instead, at the price of two thread hand-offs per
// call. Abort calls MPI_Abort from the caller's thread, outside mu, so that
// it works while another thread is stuck in a hung collective; Init asks
// for MPI_THREAD_MULTIPLE, which makes that legal.
type mpiComm struct {
	rank, size int
	level      int  // the thread level MPI granted
	funnel     bool // run collectives on the main thread

	mu        sync.Mutex // one collective at a time
	requests  chan request
	results   chan error
	finalized atomic.Bool
}

var _ Comm = (*mpiComm)(nil)

// request is one MPI call: op on n elements at p.
type request struct {
	op   op
	p    unsafe.Pointer
	n    int
	root int
}

// startMPI starts the main thread and waits until it has initialized MPI;
// funnel makes it run every collective.
func startMPI(funnel bool) (*mpiComm, error) {
	c := &mpiComm{funnel: funnel, requests: make(chan request), results: make(chan error)}
	ready := make(chan error)
	go c.serve(ready)
	if err := <-ready; err != nil {
		return nil, err
	}
	return c, nil
}

// serve is the main thread: it initializes MPI on a locked OS thread, runs
// the requests sent to it, and returns after MPI_Finalize. The goroutine
// never unlocks its thread, so the thread exits with it and no other
// goroutine ever runs on it.
func (c *mpiComm) serve(ready chan<- error) {
	runtime.LockOSThread()
	rank, size, level, err := mpiInit()
	if err != nil {
		ready <- err
		return
	}
	c.rank, c.size, c.level = rank, size, level
	c.funnel = c.funnel || level < threadSerialized
	ready <- nil
	for r := range c.requests {
		err := c.run(r)
		if r.op == opFinalize {
			c.finalized.Store(true)
			c.results <- err
			return
		}
		c.results <- err
	}
}

// run makes request r's MPI calls, in pieces of at most maxCount elements.
func (c *mpiComm) run(r request) error {
	if r.op == opBarrier || r.op == opFinalize {
		return c.wrap(r.op, mpiCollective(r.op, nil, 0, 0))
	}
	return chunks(r.n, maxCount, func(off, count int) error {
		p := unsafe.Add(r.p, off*r.op.elemSize())
		return c.wrap(r.op, mpiCollective(r.op, p, count, r.root))
	})
}

// wrap turns MPI's error code rc from o into an error naming o and the rank.
func (c *mpiComm) wrap(o op, rc int) error {
	if rc == mpiSuccess {
		return nil
	}
	return mpiError(fmt.Sprintf("%v on rank %d", o, c.rank), rc)
}

// call runs request r: on the calling thread, or on the main thread for
// Finalize and when MPI granted less than MPI_THREAD_SERIALIZED.
func (c *mpiComm) call(r request) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.finalized.Load() {
		return fmt.Errorf("dist: %v called after Finalize", r.op)
	}
	if !c.funnel && r.op != opFinalize {
		return c.run(r)
	}
	c.requests <- r
	return <-c.results
}

// Rank is this process's rank in MPI_COMM_WORLD.
func (c *mpiComm) Rank() int { return c.rank }

// Size is the size of MPI_COMM_WORLD.
func (c *mpiComm) Size() int { return c.size }

// AllreduceSum64 is MPI_Allreduce(MPI_IN_PLACE, buf, MPI_DOUBLE, MPI_SUM).
func (c *mpiComm) AllreduceSum64(buf []float64) error {
	if len(buf) == 0 {
		return nil
	}
	return c.call(request{op: opSum64, p: unsafe.Pointer(&buf[0]), n: len(buf)})
}

// AllreduceSum32 is MPI_Allreduce(MPI_IN_PLACE, buf, MPI_FLOAT, MPI_SUM).
func (c *mpiComm) AllreduceSum32(buf []float32) error {
	if len(buf) == 0 {
		return nil
	}
	return c.call(request{op: opSum32, p: unsafe.Pointer(&buf[0]), n: len(buf)})
}

// Bcast64 is MPI_Bcast(buf, MPI_DOUBLE, root).
func (c *mpiComm) Bcast64(buf []float64, root int) error {
	if err := checkRoot("Bcast64", root, c.size); err != nil || len(buf) == 0 {
		return err
	}
	return c.call(request{op: opBcast64, p: unsafe.Pointer(&buf[0]), n: len(buf), root: root})
}

// Bcast32 is MPI_Bcast(buf, MPI_FLOAT, root).
func (c *mpiComm) Bcast32(buf []float32, root int) error {
	if err := checkRoot("Bcast32", root, c.size); err != nil || len(buf) == 0 {
		return err
	}
	return c.call(request{op: opBcast32, p: unsafe.Pointer(&buf[0]), n: len(buf), root: root})
}

// Barrier is MPI_Barrier.
func (c *mpiComm) Barrier() error { return c.call(request{op: opBarrier}) }

// Abort prints "rank R: msg" and calls MPI_Abort from the calling thread,
// which makes the launcher kill every rank; the launcher exits with code.
func (c *mpiComm) Abort(code int, msg string) {
	writeAbort(os.Stderr, c.rank, msg)
	code = exitCode(code)
	if !c.finalized.Load() {
		mpiAbort(code)
	}
	os.Exit(code)
}

// finalize calls MPI_Finalize on the server, which then stops.
func (c *mpiComm) finalize() error { return c.call(request{op: opFinalize}) }
