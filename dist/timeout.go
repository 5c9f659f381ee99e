package dist

import (
	"fmt"
	"sync"
	"time"
)

// ExitTimeout is the exit status of a world that WithTimeout's watchdog
// aborted, the status timeout(1) uses.
const ExitTimeout = 124

// WithTimeout wraps c with a watchdog: a collective (Allreduce, Bcast,
// Barrier) that has not returned within d calls c.Abort(ExitTimeout, …)
// from the watchdog's goroutine, with a message naming the collective, its
// length and d, so that a rank that hangs or dies outside MPI's notice
// (stuck in a computation, a lost peer) stops the whole world instead of
// leaving it waiting. Pick d well above the slowest step's compute time
// skew between ranks: the watchdog cannot tell a slow rank from a hung one.
// d must be positive.
//
// For a limit on the whole job rather than on each collective, Open MPI's
// launcher has its own: mpirun --timeout SECONDS.
func WithTimeout(c Comm, d time.Duration) (Comm, error) {
	if c == nil {
		return nil, fmt.Errorf("dist: WithTimeout needs a Comm, got nil")
	}
	if d <= 0 {
		return nil, fmt.Errorf("dist: timeout must be > 0, got %v", d)
	}
	w := &watchdog{Comm: c, d: d}
	w.timer = time.AfterFunc(time.Hour, w.fire)
	w.timer.Stop()
	return w, nil
}

// watchdog is WithTimeout's Comm: c's collectives under one reusable
// timer, so a guarded call allocates nothing.
type watchdog struct {
	Comm
	d     time.Duration
	timer *time.Timer

	mu sync.Mutex // guards the call being watched
	op op
	n  int
}

var _ Comm = (*watchdog)(nil)

// fire aborts the world: the watched call did not return within d.
func (w *watchdog) fire() {
	w.mu.Lock()
	o, n := w.op, w.n
	w.mu.Unlock()
	what := o.String()
	if o != opBarrier {
		what = fmt.Sprintf("%v of %d values", o, n)
	}
	w.Comm.Abort(ExitTimeout, fmt.Sprintf("dist: %s did not finish within %v: another rank is hung, dead, or in a different collective", what, w.d))
}

// guard runs f, the collective o on n elements, under the timer.
func (w *watchdog) guard(o op, n int, f func() error) error {
	w.mu.Lock()
	w.op, w.n = o, n
	w.mu.Unlock()
	w.timer.Reset(w.d)
	err := f()
	w.timer.Stop()
	return err
}

// AllreduceSum64 is c's, under the watchdog.
func (w *watchdog) AllreduceSum64(buf []float64) error {
	return w.guard(opSum64, len(buf), func() error { return w.Comm.AllreduceSum64(buf) })
}

// AllreduceSum32 is c's, under the watchdog.
func (w *watchdog) AllreduceSum32(buf []float32) error {
	return w.guard(opSum32, len(buf), func() error { return w.Comm.AllreduceSum32(buf) })
}

// Bcast64 is c's, under the watchdog.
func (w *watchdog) Bcast64(buf []float64, root int) error {
	return w.guard(opBcast64, len(buf), func() error { return w.Comm.Bcast64(buf, root) })
}

// Bcast32 is c's, under the watchdog.
func (w *watchdog) Bcast32(buf []float32, root int) error {
	return w.guard(opBcast32, len(buf), func() error { return w.Comm.Bcast32(buf, root) })
}

// Barrier is c's, under the watchdog.
func (w *watchdog) Barrier() error {
	return w.guard(opBarrier, 0, w.Comm.Barrier)
}
