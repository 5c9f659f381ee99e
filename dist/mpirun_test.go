package dist

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests build internal/mpitest twice, with -tags mpi and without, and
// run it under mpirun over loopback TCP. They skip when mpirun or Open
// MPI's pkg-config file is missing.

// mpirunArgs are mpirun's options for every test: as many ranks as asked
// on any number of cores, waiting ranks that yield the core instead of
// polling (the tests run several jobs at once on few cores), and TCP over
// the loopback interface only (shared memory and other interfaces may be
// unavailable in containers).
var mpirunArgs = []string{
	"--oversubscribe",
	"--mca", "mpi_yield_when_idle", "1",
	"--mca", "btl", "self,tcp",
	"--mca", "btl_tcp_if_include", "lo",
	"--mca", "oob_tcp_if_include", "lo",
}

// mpiEnv lets Open MPI run as root, as it does in containers and CI.
var mpiEnv = []string{"OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"}

// builds holds the two builds of mpitest, made once per test binary.
var builds struct {
	once       sync.Once
	dir        string
	mpi, plain string
	err        error
}

// mpitestBinaries skips the test when MPI is not installed and otherwise
// returns the paths of mpitest built with -tags mpi and without.
func mpitestBinaries(t *testing.T) (mpi, plain string) {
	t.Helper()
	if _, err := exec.LookPath("mpirun"); err != nil {
		t.Skip("dist: mpirun is not on PATH; install Open MPI (Debian: apt-get install openmpi-bin libopenmpi-dev) to run the MPI tests")
	}
	if err := exec.Command("pkg-config", "--exists", "ompi-c").Run(); err != nil {
		t.Skip("dist: pkg-config does not find ompi-c; install pkg-config and libopenmpi-dev to run the MPI tests")
	}
	builds.once.Do(buildMpitest)
	if builds.err != nil {
		t.Fatal(builds.err)
	}
	return builds.mpi, builds.plain
}

// buildMpitest builds both binaries into a fresh directory that TestMain
// removes.
func buildMpitest() {
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	if builds.dir, err = os.MkdirTemp("", "dist-mpitest-"); err != nil {
		builds.err = err
		return
	}
	builds.mpi = filepath.Join(builds.dir, "mpitest")
	builds.plain = filepath.Join(builds.dir, "mpitest-plain")
	args := []string{"build", "-tags", "mpi", "-o", builds.mpi}
	if raceEnabled {
		args = append(args, "-race")
	}
	for _, b := range []struct {
		args []string
		cgo  string
	}{
		{append(args, "./internal/mpitest"), "CGO_ENABLED=1"},
		{[]string{"build", "-o", builds.plain, "./internal/mpitest"}, "CGO_ENABLED=0"},
	} {
		cmd := exec.Command(goBin, b.args...)
		cmd.Env = append(os.Environ(), b.cgo)
		if out, err := cmd.CombinedOutput(); err != nil {
			builds.err = fmt.Errorf("go %s: %v\n%s", strings.Join(b.args, " "), err, out)
			return
		}
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builds.dir != "" {
		os.RemoveAll(builds.dir)
	}
	if err := Finalize(); err != nil { // after a benchmark run under mpirun
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// mpirun runs bin under mpirun with np ranks (and extra mpirun options)
// and returns its exit status and combined output; the error says why
// there is no exit status.
func mpirun(np int, extra []string, bin string, args ...string) (int, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	all := append(append(append([]string{}, mpirunArgs...), extra...), "-np", fmt.Sprint(np), bin)
	cmd := exec.CommandContext(ctx, "mpirun", append(all, args...)...)
	cmd.Env = append(os.Environ(), mpiEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		return 0, out.String(), fmt.Errorf("mpirun -np %d %s %v did not finish within 90s", np, filepath.Base(bin), args)
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String(), nil
	case err != nil:
		return 0, out.String(), fmt.Errorf("mpirun: %v", err)
	}
	return 0, out.String(), nil
}

// mpiCase is one mpirun job and what it must produce.
type mpiCase struct {
	name  string
	np    int
	extra []string // mpirun options
	plain bool     // run the build without -tags mpi
	args  []string
	code  int      // the exit status; -1: any failure
	want  []string // regular expressions the output must match
}

// mpiCases are the jobs TestMPI runs: the collectives on 2 and 3 ranks,
// and every way a rank can fail.
var mpiCases = []mpiCase{
	{"collectives np=2", 2, nil, false, []string{"collectives"}, 0,
		[]string{`rank 0 of 2: collectives ok`, `rank 1 of 2: collectives ok`}},
	{"collectives np=3", 3, nil, false, []string{"collectives"}, 0,
		[]string{`rank 0 of 3: collectives ok`, `rank 1 of 3: collectives ok`, `rank 2 of 3: collectives ok`}},
	{"collectives np=2, funneled", 2, []string{"-x", FunnelEnv + "=1"}, false, []string{"collectives"}, 0,
		[]string{`rank 0 of 2: collectives ok`, `rank 1 of 2: collectives ok`}},
	{"abort np=2", 2, nil, false, []string{"abort", "1"}, 3,
		[]string{`rank 1: mpitest: injected failure`}},
	{"abort np=3", 3, nil, false, []string{"abort", "2"}, 3,
		[]string{`rank 2: mpitest: injected failure`}},
	{"exit without abort", 2, nil, false, []string{"exit", "1"}, 5,
		[]string{`Process name: \[\[\d+,\d+\],1\]`, `Exit code:\s+5`}},
	{"killed", 2, nil, false, []string{"kill", "1"}, -1,
		[]string{`process rank 1 with PID \d+ on node \S+ exited on signal 9`}},
	{"hang, watchdog", 3, nil, false, []string{"hang", "1", "500ms"}, ExitTimeout,
		[]string{`rank [02]: dist: AllreduceSum64 of 4 values did not finish within 500ms`}},
	{"hang, mpirun --timeout", 2, []string{"--timeout", "2"}, false, []string{"hang", "1", "0"}, -1,
		[]string{`time limit for job execution has been reached`}},
	{"built without -tags mpi", 2, nil, true, []string{"collectives"}, 1,
		[]string{`rank [01]: dist: launched as rank [01] of 2 \(mpirun\), but this binary was built without -tags mpi`}},
}

// TestMPI starts every job at once (they mostly wait: on a peer, a
// watchdog or mpirun's clean-up) and then checks each one's exit status
// and output. With -short it runs only the healthy jobs.
func TestMPI(t *testing.T) {
	mpi, plain := mpitestBinaries(t)
	type result struct {
		code int
		out  string
		err  error
	}
	results := make([]chan result, len(mpiCases))
	for i, c := range mpiCases {
		results[i] = make(chan result, 1)
		if testing.Short() && c.code != 0 {
			continue
		}
		bin := mpi
		if c.plain {
			bin = plain
		}
		go func() {
			code, out, err := mpirun(c.np, c.extra, bin, c.args...)
			results[i] <- result{code, out, err}
		}()
	}
	for i, c := range mpiCases {
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && c.code != 0 {
				t.Skip("dist: fault cases skipped with -short")
			}
			r := <-results[i]
			if r.err != nil {
				t.Fatalf("%v\n%s", r.err, r.out)
			}
			if c.code >= 0 && r.code != c.code || c.code < 0 && r.code == 0 {
				t.Errorf("exit status %d, want %d (-1: any failure)", r.code, c.code)
			}
			for _, w := range c.want {
				if !regexp.MustCompile(w).MatchString(r.out) {
					t.Errorf("output lacks /%s/", w)
				}
			}
			if c.code != 0 && strings.Contains(r.out, " ok\n") {
				t.Errorf("a rank reported success")
			}
			if t.Failed() {
				t.Logf("output:\n%s", r.out)
			}
		})
	}
}
