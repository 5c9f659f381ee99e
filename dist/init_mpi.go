//go:build mpi

package dist

import (
	"fmt"
	"os"
	"sync"
)

// world is the process's MPI world: started once, finalized once.
var world struct {
	mu        sync.Mutex
	comm      *mpiComm
	finalized bool
}

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
	if !l.Launched() {
		return Local{}, nil
	}
	world.mu.Lock()
	defer world.mu.Unlock()
	if world.finalized {
		return nil, fmt.Errorf("dist: Init called after Finalize; MPI cannot be initialized twice in one process")
	}
	if world.comm == nil {
		c, err := startMPI(os.Getenv(FunnelEnv) == "1")
		if err != nil {
			return nil, err
		}
		world.comm = c
	}
	return world.comm, nil
}

// Finalize ends the world Init started: MPI_Finalize, which every rank
// must reach, in a build with -tags mpi; nothing in a build without it.
// Collectives called afterwards return an error. It does nothing when Init
// did not start MPI, and nothing the second time.
func Finalize() error {
	world.mu.Lock()
	defer world.mu.Unlock()
	if world.comm == nil || world.finalized {
		return nil
	}
	world.finalized = true
	return world.comm.finalize()
}

// Linked reports whether this binary links MPI (was built with -tags mpi).
const Linked = true
