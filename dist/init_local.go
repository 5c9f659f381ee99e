//go:build !mpi

package dist

import "fmt"

// Init returns the world this process belongs to.
//
// Built with -tags mpi, a process that an MPI launcher started (see
// Detect) initializes MPI and gets MPI_COMM_WORLD; a process started on
// its own gets Local without touching MPI. Calling Init again returns the
// same Comm; calling it after Finalize is an error, as MPI cannot start
// twice.
//
// Built without the tag, Init returns Local, and refuses, with an error
// naming the fix, a process that an MPI launcher started as one rank of
// several, rather than let N copies each train alone.
func Init() (Comm, error) {
	l, err := Detect()
	if err != nil {
		return nil, err
	}
	if l.Launched() && (l.Size != 1 || l.Rank != 0) {
		return nil, fmt.Errorf("dist: launched as %v, but this binary was built without -tags mpi and can only run one rank; rebuild it with `go build -tags mpi`", l)
	}
	return Local{}, nil
}

// Finalize ends the world Init started: MPI_Finalize, which every rank
// must reach, in a build with -tags mpi; nothing in a build without it.
func Finalize() error { return nil }

// Linked reports whether this binary links MPI (was built with -tags mpi).
const Linked = false
