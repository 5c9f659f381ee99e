//go:build !mpi

package dist

import (
	"strings"
	"testing"
)

func TestInitWithoutMPI(t *testing.T) {
	if Linked {
		t.Fatal("Linked is true in a build without -tags mpi")
	}
	for _, c := range []struct {
		size, rank string
		err        string
	}{
		{"1", "0", ""},
		{"2", "0", "dist: launched as rank 0 of 2 (mpirun), but this binary was built without -tags mpi and can only run one rank; rebuild it with `go build -tags mpi`"},
		{"3", "2", "launched as rank 2 of 3 (mpirun)"},
	} {
		clearLauncher(t)
		t.Setenv("OMPI_COMM_WORLD_SIZE", c.size)
		t.Setenv("OMPI_COMM_WORLD_RANK", c.rank)
		comm, err := Init()
		switch {
		case c.err == "" && (err != nil || comm != Comm(Local{})):
			t.Errorf("size %s rank %s: %v, %v; want Local", c.size, c.rank, comm, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("size %s rank %s: error %v, want %q", c.size, c.rank, err, c.err)
		}
	}
}
