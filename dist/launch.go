package dist

import (
	"fmt"
	"os"
	"strconv"
)

// Launch says how the process was started: by an MPI launcher (By names
// which, Rank and Size are the launcher's), or on its own (By is "").
type Launch struct {
	// By names the launcher that set the environment: "mpirun" (Open MPI's
	// OMPI_COMM_WORLD_RANK/SIZE), "pmix" (PMIX_RANK, as from
	// srun --mpi=pmix), "pmi" (PMI_RANK/PMI_SIZE, MPICH's hydra or
	// srun --mpi=pmi2), or "" when none did.
	By string
	// Rank is the process's rank, 0 when not launched.
	Rank int
	// Size is the world size, 1 when not launched; 0 when the launcher
	// does not tell it (PMIx without SLURM_STEP_NUM_TASKS): MPI then knows.
	Size int
}

// Launched reports whether an MPI launcher started the process.
func (l Launch) Launched() bool { return l.By != "" }

// String describes the launch, e.g. "rank 1 of 2 (mpirun)".
func (l Launch) String() string {
	if !l.Launched() {
		return "rank 0 of 1 (not launched by MPI)"
	}
	if l.Size == 0 {
		return fmt.Sprintf("rank %d of an unknown world size (%s)", l.Rank, l.By)
	}
	return fmt.Sprintf("rank %d of %d (%s)", l.Rank, l.Size, l.By)
}

// Detect reads the launcher's environment variables, so that
// `mpirun -np N prog` knows its rank and world size before MPI starts. The
// variables are looked up in the order of Launch.By's list; a variable that
// is set but malformed is an error.
func Detect() (Launch, error) { return detect(os.LookupEnv) }

// detect is Detect over an environment lookup, for tests.
func detect(lookup func(string) (string, bool)) (Launch, error) {
	if size, ok := lookup("OMPI_COMM_WORLD_SIZE"); ok {
		rank, ok := lookup("OMPI_COMM_WORLD_RANK")
		if !ok {
			return Launch{}, fmt.Errorf("dist: OMPI_COMM_WORLD_SIZE is set but OMPI_COMM_WORLD_RANK is not")
		}
		return launchOf("mpirun", "OMPI_COMM_WORLD_RANK", rank, "OMPI_COMM_WORLD_SIZE", size)
	}
	if rank, ok := lookup("PMIX_RANK"); ok {
		size, ok := lookup("SLURM_STEP_NUM_TASKS")
		if !ok {
			r, err := envInt("PMIX_RANK", rank, 0)
			return Launch{By: "pmix", Rank: r}, err
		}
		return launchOf("pmix", "PMIX_RANK", rank, "SLURM_STEP_NUM_TASKS", size)
	}
	if rank, ok := lookup("PMI_RANK"); ok {
		size, ok := lookup("PMI_SIZE")
		if !ok {
			return Launch{}, fmt.Errorf("dist: PMI_RANK is set but PMI_SIZE is not")
		}
		return launchOf("pmi", "PMI_RANK", rank, "PMI_SIZE", size)
	}
	return Launch{Size: 1}, nil
}

// launchOf parses a rank and a size variable and checks 0 ≤ rank < size.
func launchOf(by, rankVar, rankText, sizeVar, sizeText string) (Launch, error) {
	size, err := envInt(sizeVar, sizeText, 1)
	if err != nil {
		return Launch{}, err
	}
	rank, err := envInt(rankVar, rankText, 0)
	if err != nil {
		return Launch{}, err
	}
	if rank >= size {
		return Launch{}, fmt.Errorf("dist: %s must be in [0,%d) as %s=%d, got %d", rankVar, size, sizeVar, size, rank)
	}
	return Launch{By: by, Rank: rank, Size: size}, nil
}

// maxWorld bounds a world size read from the environment.
const maxWorld = 1 << 24

// envInt parses variable name's value text as an integer in [low, maxWorld].
func envInt(name, text string, low int) (int, error) {
	v, err := strconv.Atoi(text)
	if err != nil || v < low || v > maxWorld {
		return 0, fmt.Errorf("dist: %s must be an integer in [%d,%d], got %q", name, low, maxWorld, text)
	}
	return v, nil
}
