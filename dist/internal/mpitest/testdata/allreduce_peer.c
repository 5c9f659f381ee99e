/* allreduce_peer.c: the C peer of mpitest's BenchmarkAllreduceSum64, the
 * same MPI_Allreduce(MPI_IN_PLACE, MPI_DOUBLE, MPI_SUM) at the same sizes,
 * called directly, to measure what the Go binding adds.
 *
 *   mpicc -O2 -o /tmp/allreduce_peer allreduce_peer.c
 *   mpirun -np 2 /tmp/allreduce_peer SMALL LARGE [multiple]
 *
 * runs SMALL iterations of the sizes up to 64 KB and LARGE of the others
 * (give mpitest's benchmarks the same counts). "multiple" initializes with MPI_THREAD_MULTIPLE, as dist.Init does;
 * otherwise MPI_THREAD_SINGLE. Rank 0 prints ns/op and MB/s (message size
 * over the time of one call) per size.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
	int want = MPI_THREAD_SINGLE, got, rank;
	long small = argc > 1 ? atol(argv[1]) : 1000, large = argc > 2 ? atol(argv[2]) : 100;
	if (argc > 3 && strcmp(argv[3], "multiple") == 0)
		want = MPI_THREAD_MULTIPLE;
	MPI_Init_thread(&argc, &argv, want, &got);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	static const struct { const char *name; size_t bytes; } sizes[] = {
		{"8B", 8}, {"1KB", 1 << 10}, {"64KB", 64 << 10}, {"1MB", 1 << 20}, {"8MB", 8 << 20},
	};
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		size_t n = sizes[s].bytes / 8;
		long iters = sizes[s].bytes <= (64 << 10) ? small : large;
		double *buf = calloc(n, sizeof *buf);
		MPI_Allreduce(MPI_IN_PLACE, buf, (int)n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
		MPI_Barrier(MPI_COMM_WORLD);
		double t0 = MPI_Wtime();
		for (long i = 0; i < iters; i++)
			MPI_Allreduce(MPI_IN_PLACE, buf, (int)n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
		double t = (MPI_Wtime() - t0) / iters;
		if (rank == 0)
			printf("C-AllreduceSum64/%-5s thread-level %d %8ld %12.0f ns/op %9.2f MB/s\n",
			       sizes[s].name, got, iters, t * 1e9, sizes[s].bytes / t / 1e6);
		free(buf);
	}
	MPI_Finalize();
	return 0;
}
