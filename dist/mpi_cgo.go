//go:build mpi

package dist

// This file is the whole C side of the binding: one static C function per
// MPI call Descent makes, because Open MPI's handles (MPI_COMM_WORLD,
// MPI_DOUBLE, MPI_SUM, MPI_IN_PLACE) are macros over global objects that Go
// cannot name. Every function returns MPI's error code.

/*
#cgo pkg-config: ompi-c
#include <mpi.h>

static int dist_init(int *provided) {
	return MPI_Init_thread(NULL, NULL, MPI_THREAD_MULTIPLE, provided);
}
static int dist_errors_return(void) {
	return MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}
static int dist_rank(int *rank) { return MPI_Comm_rank(MPI_COMM_WORLD, rank); }
static int dist_size(int *size) { return MPI_Comm_size(MPI_COMM_WORLD, size); }
static int dist_allreduce_f64(void *buf, int n) {
	return MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}
static int dist_allreduce_f32(void *buf, int n) {
	return MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
}
static int dist_bcast_f64(void *buf, int n, int root) {
	return MPI_Bcast(buf, n, MPI_DOUBLE, root, MPI_COMM_WORLD);
}
static int dist_bcast_f32(void *buf, int n, int root) {
	return MPI_Bcast(buf, n, MPI_FLOAT, root, MPI_COMM_WORLD);
}
static int dist_barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }
static int dist_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }
static int dist_finalize(void) { return MPI_Finalize(); }
static int dist_error_string(int code, char *buf) {
	int n = 0;
	if (MPI_Error_string(code, buf, &n) != MPI_SUCCESS) return 0;
	return n;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

const (
	// mpiSuccess is MPI_SUCCESS, the error code of a call that worked.
	mpiSuccess = int(C.MPI_SUCCESS)
	// threadSerialized is MPI_THREAD_SERIALIZED, the thread level below
	// which collectives are funneled through the main thread.
	threadSerialized = int(C.MPI_THREAD_SERIALIZED)
)

// mpiInit calls MPI_Init_thread asking for MPI_THREAD_MULTIPLE, makes
// errors on MPI_COMM_WORLD return codes instead of aborting, and reads the
// rank, the size and the thread level granted.
func mpiInit() (rank, size, level int, err error) {
	var r, s, p C.int
	if rc := C.dist_init(&p); rc != C.MPI_SUCCESS {
		return 0, 0, 0, mpiError("MPI_Init_thread", int(rc))
	}
	if rc := C.dist_errors_return(); rc != C.MPI_SUCCESS {
		return 0, 0, 0, mpiError("MPI_Comm_set_errhandler", int(rc))
	}
	if rc := C.dist_rank(&r); rc != C.MPI_SUCCESS {
		return 0, 0, 0, mpiError("MPI_Comm_rank", int(rc))
	}
	if rc := C.dist_size(&s); rc != C.MPI_SUCCESS {
		return 0, 0, 0, mpiError("MPI_Comm_size", int(rc))
	}
	return int(r), int(s), int(p), nil
}

// mpiCollective runs one MPI call of op on count elements at p (root for a
// broadcast) and returns MPI's error code.
func mpiCollective(op op, p unsafe.Pointer, count, root int) int {
	n, r := C.int(count), C.int(root)
	switch op {
	case opSum64:
		return int(C.dist_allreduce_f64(p, n))
	case opSum32:
		return int(C.dist_allreduce_f32(p, n))
	case opBcast64:
		return int(C.dist_bcast_f64(p, n, r))
	case opBcast32:
		return int(C.dist_bcast_f32(p, n, r))
	case opBarrier:
		return int(C.dist_barrier())
	case opFinalize:
		return int(C.dist_finalize())
	}
	return int(C.MPI_ERR_OTHER)
}

// mpiAbort calls MPI_Abort on MPI_COMM_WORLD; it returns only if MPI_Abort
// fails.
func mpiAbort(code int) { C.dist_abort(C.int(code)) }

// mpiError turns MPI's error code rc from call into an error with MPI's
// own description, or nil for MPI_SUCCESS.
func mpiError(call string, rc int) error {
	if rc == mpiSuccess {
		return nil
	}
	var buf [C.MPI_MAX_ERROR_STRING]C.char
	n := C.dist_error_string(C.int(rc), &buf[0])
	return fmt.Errorf("dist: %s failed: %s (MPI error %d)", call, C.GoStringN(&buf[0], n), rc)
}
