package dist

import (
	"fmt"
	"runtime"
	"sync"
)

// maxGroup bounds NewGroup's size: each rank is a goroutine of one process.
const maxGroup = 4096

// NewGroup returns an in-process world of n ranks, one Comm per rank, to be
// driven by one goroutine each: the data-parallel training loop under
// `go test -race`, without MPI. Sums are taken in rank order, so every
// rank receives bitwise the same result, and a rank whose call does not
// match the others' (another collective, length or root) makes that
// collective fail on every rank with an error naming both ranks, where MPI
// would hang or corrupt memory.
//
// Abort cannot end a process that runs the other ranks as well: it makes
// every collective in progress or to come fail with an error naming the
// aborting rank, code and message, and then ends the calling goroutine as
// runtime.Goexit does (deferred calls run), as testing.T.FailNow does. It
// prints nothing. n must be in [1, 4096].
func NewGroup(n int) ([]Comm, error) {
	if n < 1 || n > maxGroup {
		return nil, fmt.Errorf("dist: group size must be in [1,%d], got %d", maxGroup, n)
	}
	g := &group{n: n, slots: make([]slot, n)}
	g.cond = sync.NewCond(&g.mu)
	comms := make([]Comm, n)
	for r := range comms {
		comms[r] = &groupRank{g: g, rank: r}
	}
	return comms, nil
}

// group is the state the ranks of one NewGroup share.
type group struct {
	n int

	mu      sync.Mutex
	cond    *sync.Cond
	arrived int    // ranks waiting at the barrier
	gen     uint64 // completed barriers
	aborted error  // set by the first Abort
	slots   []slot // each rank's current call
}

// slot is one rank's side of a collective.
type slot struct {
	op   op
	n    int
	root int
	f64  []float64
	f32  []float32
}

// groupRank is one rank's Comm of a group.
type groupRank struct {
	g    *group
	rank int
	s64  []float64 // sum scratch, grown as needed
	s32  []float32
}

var _ Comm = (*groupRank)(nil)

// Rank is this rank's index in the group.
func (r *groupRank) Rank() int { return r.rank }

// Size is the number of ranks in the group.
func (r *groupRank) Size() int { return r.g.n }

// AllreduceSum64 sums buf over the ranks, in rank order.
func (r *groupRank) AllreduceSum64(buf []float64) error {
	return r.collective(slot{op: opSum64, n: len(buf), f64: buf})
}

// AllreduceSum32 sums buf over the ranks, in rank order.
func (r *groupRank) AllreduceSum32(buf []float32) error {
	return r.collective(slot{op: opSum32, n: len(buf), f32: buf})
}

// Bcast64 copies root's buf to every rank.
func (r *groupRank) Bcast64(buf []float64, root int) error {
	return r.collective(slot{op: opBcast64, n: len(buf), root: root, f64: buf})
}

// Bcast32 copies root's buf to every rank.
func (r *groupRank) Bcast32(buf []float32, root int) error {
	return r.collective(slot{op: opBcast32, n: len(buf), root: root, f32: buf})
}

// Barrier waits for every rank.
func (r *groupRank) Barrier() error { return r.collective(slot{op: opBarrier}) }

// Abort fails every collective of the group, now and later, and ends the
// calling goroutine.
func (r *groupRank) Abort(code int, msg string) {
	g := r.g
	g.mu.Lock()
	if g.aborted == nil {
		g.aborted = fmt.Errorf("dist: rank %d aborted with code %d: %s", r.rank, exitCode(code), msg)
	}
	g.cond.Broadcast()
	g.mu.Unlock()
	runtime.Goexit()
}

// collective runs one call in three phases: every rank posts its slot and
// waits; every rank checks the slots and reads the others' buffers into its
// own scratch (or, for a broadcast, root's buffer into its own) and waits;
// every rank copies its scratch into its buffer. The second wait keeps a
// buffer unchanged until every rank has read it.
func (r *groupRank) collective(s slot) error {
	g := r.g
	g.mu.Lock()
	g.slots[r.rank] = s
	g.mu.Unlock()
	if err := g.barrier(); err != nil {
		return err
	}
	err := g.check()
	if err == nil {
		r.read(s)
	}
	if err2 := g.barrier(); err2 != nil {
		return err2
	}
	if err == nil {
		r.write(s)
	}
	return err
}

// check compares every rank's slot with rank 0's, so that every rank
// reports the same mismatch, and validates a broadcast's root.
func (g *group) check() error {
	s := g.slots[0]
	for q, o := range g.slots {
		if o.op != s.op || o.n != s.n || o.root != s.root {
			return fmt.Errorf("dist: collectives do not match: rank 0 called %v on %d values (root %d), rank %d called %v on %d values (root %d)",
				s.op, s.n, s.root, q, o.op, o.n, o.root)
		}
	}
	if s.op == opBcast64 || s.op == opBcast32 {
		return checkRoot(s.op.String(), s.root, g.n)
	}
	return nil
}

// read computes this rank's result from every rank's buffer: a rank-order
// sum into scratch, or root's buffer copied into a non-root's buffer.
func (r *groupRank) read(s slot) {
	g := r.g
	switch s.op {
	case opSum64:
		if cap(r.s64) < s.n {
			r.s64 = make([]float64, s.n)
		}
		sum := r.s64[:s.n]
		copy(sum, g.slots[0].f64)
		for _, o := range g.slots[1:] {
			for i, v := range o.f64 {
				sum[i] += v
			}
		}
	case opSum32:
		if cap(r.s32) < s.n {
			r.s32 = make([]float32, s.n)
		}
		sum := r.s32[:s.n]
		copy(sum, g.slots[0].f32)
		for _, o := range g.slots[1:] {
			for i, v := range o.f32 {
				sum[i] += v
			}
		}
	case opBcast64:
		if r.rank != s.root {
			copy(s.f64, g.slots[s.root].f64)
		}
	case opBcast32:
		if r.rank != s.root {
			copy(s.f32, g.slots[s.root].f32)
		}
	}
}

// write copies a sum from scratch into this rank's buffer.
func (r *groupRank) write(s slot) {
	switch s.op {
	case opSum64:
		copy(s.f64, r.s64[:s.n])
	case opSum32:
		copy(s.f32, r.s32[:s.n])
	}
}

// barrier returns when all n ranks have called it, or with the abort error
// once a rank has aborted.
func (g *group) barrier() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.aborted != nil {
		return g.aborted
	}
	gen := g.gen
	g.arrived++
	if g.arrived == g.n {
		g.arrived = 0
		g.gen++
		g.cond.Broadcast()
		return nil
	}
	for gen == g.gen && g.aborted == nil {
		g.cond.Wait()
	}
	if gen == g.gen {
		return g.aborted
	}
	return nil
}
