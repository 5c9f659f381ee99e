package dist

import "os"

// Local is the one-rank world: Rank 0, Size 1. Its sums and broadcasts
// leave the buffer as it is (the sum over one rank is the buffer itself),
// its barrier returns at once, and its Abort exits the process. It is what
// Init returns when no MPI launcher started the process, and what every
// build without -tags mpi carries. The zero value is ready to use.
type Local struct{}

var _ Comm = Local{}

// Rank is 0.
func (Local) Rank() int { return 0 }

// Size is 1.
func (Local) Size() int { return 1 }

// AllreduceSum64 leaves buf as it is: the sum over one rank.
func (Local) AllreduceSum64(buf []float64) error { return nil }

// AllreduceSum32 leaves buf as it is: the sum over one rank.
func (Local) AllreduceSum32(buf []float32) error { return nil }

// Bcast64 leaves buf as it is; root must be 0.
func (Local) Bcast64(buf []float64, root int) error { return checkRoot("Bcast64", root, 1) }

// Bcast32 leaves buf as it is; root must be 0.
func (Local) Bcast32(buf []float32, root int) error { return checkRoot("Bcast32", root, 1) }

// Barrier returns at once.
func (Local) Barrier() error { return nil }

// Abort prints "rank 0: msg" on standard error and exits with code
// (1 when code is outside [1, 255]).
func (Local) Abort(code int, msg string) {
	writeAbort(os.Stderr, 0, msg)
	os.Exit(exitCode(code))
}
