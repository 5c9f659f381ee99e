package dist

// FunnelEnv names the environment variable that, set to 1, makes a build
// with -tags mpi run every collective on MPI's main thread (the thread that
// initialized MPI) rather than on the caller's, as if MPI had granted only
// MPI_THREAD_FUNNELED: a way round an MPI library that misbehaves when
// called from several threads, at about 9 µs more per call.
const FunnelEnv = "DESCENT_MPI_FUNNEL"
