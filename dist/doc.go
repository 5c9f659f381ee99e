// Package dist is Descent's data-parallel communication layer: the few MPI
// collectives that Horovod's pattern needs, behind small interfaces, with
// a one-rank stand-in for builds without MPI.
//
// # The pattern
//
// Horovod (Sergeev & Del Balso 2018, "Horovod: fast and easy distributed
// deep learning in TensorFlow", arXiv:1802.05799) runs N identical
// replicas of one training program, launched by mpirun; each holds the
// full model and a shard of the data, and after each batch the replicas
// sum their gradients with an allreduce, so that every replica applies the
// same update and the replicas never diverge. The rules, for a loss
// J = (1/B)·Σᵢ ℓᵢ over a global batch of B rows split across ranks as
// B = Σ_r B_r:
//
//  1. Every rank builds the same model, with the same names, shapes and
//     order of parameters, and the same optimizer configuration.
//  2. Rank 0's initial parameters are broadcast (Bcast64 with root 0), so
//     the replicas start equal whatever each one's seed did.
//  3. Each rank r computes over the rows of the batch it holds the sums
//     g_r = Σ_{i∈r} ∇ℓᵢ and L_r = Σ_{i∈r} ℓᵢ and the count B_r (possibly 0
//     rows, then zeros), packs them into one buffer [g_r…, L_r, B_r], and
//     calls AllreduceSum64 once. Every rank then holds g = Σ_r g_r, L and B,
//     and divides: ∇J = g/B, J = L/B. Counts are whole numbers below 2⁵³,
//     so their float64 sum is exact.
//  4. Every rank runs the same optimizer step on ∇J. The allreduce gives
//     all ranks bitwise the same sums, and the step is deterministic, so
//     the parameters stay bitwise equal on all ranks without further
//     communication.
//  5. Statistics that depend on all rows (standardization means and
//     variances, metrics, batch-norm statistics) are reduced the same way,
//     as sums and counts.
//  6. Only rank 0 prints and writes files.
//
// The sums' order of addition is MPI's, not the serial loop's, so N ranks
// reproduce one process to rounding, not bit for bit; integers (counts)
// sum exactly.
//
// # Builds
//
// `go build -tags mpi` links Open MPI through a thin cgo layer (pkg-config
// ompi-c; Debian's libopenmpi-dev provides it, and openmpi-bin provides
// mpirun). Init then initializes MPI when an MPI launcher started the
// process (Detect reads the launcher's environment) and returns Local
// otherwise, so the same binary also runs alone. A build without the tag
// needs neither cgo nor MPI: Init returns Local, the one-rank world, and
// refuses with a clear error a process that mpirun started as one rank of
// several. Linked tells which build this is.
//
// # Threads
//
// MPI_Init_thread and MPI_Finalize run on one goroutine locked to its OS
// thread, MPI's main thread, as MPI requires both on the same thread. Init
// asks for MPI_THREAD_MULTIPLE (Debian's Open MPI grants it). Under
// MPI_THREAD_SERIALIZED or better, a collective runs directly on the
// calling goroutine's thread, one at a time under a mutex: any goroutine
// may call, at the cost of a cgo call. On the project's 2-core machine an
// 8-byte allreduce took 70 ns at one rank and 2 µs at two this way, against
// 9–28 µs and 12 µs when handed to the main thread over a channel
// (BenchmarkMPICallPath). An MPI that grants only FUNNELED gets its
// collectives funneled through the main thread instead, as does setting
// the environment variable DESCENT_MPI_FUNNEL=1 (FunnelEnv). Either way the
// collectives must come one at a time and in the same order on every
// rank. Abort calls MPI_Abort from the caller's thread without waiting for
// the mutex, so that WithTimeout's watchdog can stop a world whose
// collective hangs; MPI_THREAD_MULTIPLE makes that concurrent call legal.
//
// # Faults
//
// A rank that fails calls Abort(code, err.Error()): it prints
// "rank R: <error>" and MPI_Abort makes mpirun kill every rank and exit
// with code. A rank that exits non-zero or dies by a signal without Abort
// makes mpirun kill the others too and name the rank in its report. A rank
// that hangs is caught by WithTimeout's watchdog on the ranks waiting for
// it, which abort with ExitTimeout; mpirun --timeout bounds a whole job.
//
// # Launching
//
//	go build -tags mpi -o descent ./cmd/descent
//	mpirun -np 2 ./descent train …
//
// As root (containers), Open MPI also needs OMPI_ALLOW_RUN_AS_ROOT=1 and
// OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; on one machine with fewer cores than
// ranks, --oversubscribe.
package dist
