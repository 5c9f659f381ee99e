package dist

// Ranked tells a process where it stands in the world: its rank r in
// [0, Size) and the number of processes Size.
type Ranked interface {
	// Rank is this process's index in the world, in [0, Size()).
	Rank() int
	// Size is the number of processes in the world, at least 1.
	Size() int
}

// Reducer sums buffers across the world. After AllreduceSum64(buf) every
// rank holds, element by element, buf[i] = Σ_r buf_r[i] over the ranks r.
// Every rank passes a buffer of the same length, in the same order of calls.
// Every rank receives bitwise the same sums: MPI requires that "all
// processes participating in these operations receive identical results"
// (MPI-1.1 §4.9.5, All-Reduce), mpitest checks it at 2 and 3 ranks, and
// NewGroup does it by construction. The order in which the
// terms are added is the library's, so a sum of non-integers may differ in
// the last bits from a serial sum. Integers below 2⁵³ (float64) or 2²⁴
// (float32) sum exactly.
type Reducer interface {
	// AllreduceSum64 replaces buf, in place, by its sum over all ranks.
	AllreduceSum64(buf []float64) error
	// AllreduceSum32 replaces buf, in place, by its sum over all ranks.
	AllreduceSum32(buf []float32) error
}

// Broadcaster copies a buffer from one rank to all others: after
// Bcast64(buf, root) every rank's buf equals root's. Every rank passes a
// buffer of the same length and the same root.
type Broadcaster interface {
	// Bcast64 overwrites buf on every rank but root with root's buf.
	Bcast64(buf []float64, root int) error
	// Bcast32 overwrites buf on every rank but root with root's buf.
	Bcast32(buf []float32, root int) error
}

// Syncer holds every rank until all have arrived.
type Syncer interface {
	// Barrier returns on a rank only after every rank has called it.
	Barrier() error
}

// Aborter ends the whole world on a fault.
type Aborter interface {
	// Abort prints "rank R: msg" on standard error and terminates every
	// rank with exit status code (a code outside [1, 255] becomes 1, so an
	// abort is never a success). It does not return. Unlike the
	// collectives, it may be called from any goroutine at any time, which
	// is how WithTimeout's watchdog stops a world whose collective hangs.
	Abort(code int, msg string)
}

// Comm is a communicator over a fixed world of Size() processes, the
// handle the training loop holds. Its collectives (Allreduce, Bcast,
// Barrier) must be called by every rank in the same order with matching
// lengths and roots, one call at a time; which goroutine makes a call does
// not matter.
type Comm interface {
	Ranked
	Reducer
	Broadcaster
	Syncer
	Aborter
}
