package dist

import (
	"os"
	"testing"
)

// launcherVars are the variables Detect reads.
var launcherVars = []string{"OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "SLURM_STEP_NUM_TASKS", "PMI_RANK", "PMI_SIZE"}

// clearLauncher unsets the launcher's variables for the test.
func clearLauncher(t *testing.T) {
	for _, k := range launcherVars {
		if v, ok := os.LookupEnv(k); ok {
			t.Setenv(k, v) // restores the value after the test
			os.Unsetenv(k)
		}
	}
}

// TestInitAlone: a process no launcher started gets Local in every build,
// and Finalize has nothing to do.
func TestInitAlone(t *testing.T) {
	clearLauncher(t)
	for range 2 {
		c, err := Init()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := c.(Local); !ok {
			t.Fatalf("Init returned %T, want Local", c)
		}
		if err := Finalize(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestInitBadEnvironment(t *testing.T) {
	clearLauncher(t)
	t.Setenv("OMPI_COMM_WORLD_SIZE", "2")
	t.Setenv("OMPI_COMM_WORLD_RANK", "x")
	if _, err := Init(); err == nil {
		t.Fatal("Init accepted OMPI_COMM_WORLD_RANK=x")
	}
}
