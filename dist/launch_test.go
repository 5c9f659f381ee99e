package dist

import (
	"strings"
	"testing"
)

// env is a fake environment for detect.
func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name string
		env  []string
		want Launch
		err  string
	}{
		{"alone", nil, Launch{Size: 1}, ""},
		{"slurm batch script, no launcher", []string{"SLURM_NTASKS", "4", "SLURM_PROCID", "0"}, Launch{Size: 1}, ""},
		{"mpirun", []string{"OMPI_COMM_WORLD_SIZE", "3", "OMPI_COMM_WORLD_RANK", "2", "PMIX_RANK", "2"}, Launch{"mpirun", 2, 3}, ""},
		{"mpirun one rank", []string{"OMPI_COMM_WORLD_SIZE", "1", "OMPI_COMM_WORLD_RANK", "0"}, Launch{"mpirun", 0, 1}, ""},
		{"srun pmix", []string{"PMIX_RANK", "5", "SLURM_STEP_NUM_TASKS", "8"}, Launch{"pmix", 5, 8}, ""},
		{"pmix without size", []string{"PMIX_RANK", "1"}, Launch{"pmix", 1, 0}, ""},
		{"hydra pmi", []string{"PMI_RANK", "0", "PMI_SIZE", "2"}, Launch{"pmi", 0, 2}, ""},
		{"rank missing", []string{"OMPI_COMM_WORLD_SIZE", "2"}, Launch{}, "OMPI_COMM_WORLD_RANK is not"},
		{"pmi size missing", []string{"PMI_RANK", "0"}, Launch{}, "PMI_SIZE is not"},
		{"rank beyond size", []string{"OMPI_COMM_WORLD_SIZE", "2", "OMPI_COMM_WORLD_RANK", "2"}, Launch{},
			"dist: OMPI_COMM_WORLD_RANK must be in [0,2) as OMPI_COMM_WORLD_SIZE=2, got 2"},
		{"size zero", []string{"OMPI_COMM_WORLD_SIZE", "0", "OMPI_COMM_WORLD_RANK", "0"}, Launch{},
			`dist: OMPI_COMM_WORLD_SIZE must be an integer in [1,16777216], got "0"`},
		{"size not a number", []string{"PMI_SIZE", "two", "PMI_RANK", "0"}, Launch{}, `PMI_SIZE must be an integer in [1,16777216], got "two"`},
		{"negative rank", []string{"PMIX_RANK", "-1"}, Launch{}, `PMIX_RANK must be an integer in [0,16777216], got "-1"`},
		{"huge size", []string{"OMPI_COMM_WORLD_SIZE", "99999999999999999999", "OMPI_COMM_WORLD_RANK", "0"}, Launch{}, "must be an integer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := detect(env(c.env...))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

func TestLaunchString(t *testing.T) {
	for _, c := range []struct {
		l    Launch
		want string
	}{
		{Launch{Size: 1}, "rank 0 of 1 (not launched by MPI)"},
		{Launch{"mpirun", 1, 2}, "rank 1 of 2 (mpirun)"},
		{Launch{"pmix", 3, 0}, "rank 3 of an unknown world size (pmix)"},
	} {
		if got := c.l.String(); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.l, got, c.want)
		}
	}
}

// FuzzDetect checks that detect never panics and that whatever it accepts
// is a consistent launch.
func FuzzDetect(f *testing.F) {
	f.Add(uint8(3), "1", "2", "", "", "", "")
	f.Add(uint8(12), "", "", "7", "8", "", "")
	f.Add(uint8(48), "", "", "", "", "0", "1")
	f.Fuzz(func(t *testing.T, set uint8, ompiRank, ompiSize, pmixRank, slurmTasks, pmiRank, pmiSize string) {
		names := []string{"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "SLURM_STEP_NUM_TASKS", "PMI_RANK", "PMI_SIZE"}
		values := []string{ompiRank, ompiSize, pmixRank, slurmTasks, pmiRank, pmiSize}
		var kv []string
		for i, n := range names {
			if set&(1<<i) != 0 {
				kv = append(kv, n, values[i])
			}
		}
		l, err := detect(env(kv...))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "dist: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		switch {
		case !l.Launched() && (l.Rank != 0 || l.Size != 1):
			t.Fatalf("not launched but %+v", l)
		case l.Rank < 0 || l.Size < 0 || l.Size > maxWorld:
			t.Fatalf("out of range: %+v", l)
		case l.Size != 0 && l.Rank >= l.Size:
			t.Fatalf("rank beyond size: %+v", l)
		}
	})
}
