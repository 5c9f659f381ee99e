package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests build descent with -tags mpi and run `descent train` under
// mpirun -np 2 and 3 over loopback TCP, against the same binary run
// alone. They skip when mpirun or Open MPI's pkg-config file is missing
// (Debian: apt-get install openmpi-bin libopenmpi-dev pkg-config).

// mpirunFlags run any number of ranks on any number of cores, over TCP on
// the loopback interface only (containers may lack shared memory and
// other interfaces), with waiting ranks yielding their core.
var mpirunFlags = []string{
	"--oversubscribe", "--bind-to", "none",
	"--mca", "mpi_yield_when_idle", "1",
	"--mca", "btl", "self,tcp",
	"--mca", "btl_tcp_if_include", "lo",
	"--mca", "oob_tcp_if_include", "lo",
}

var mpiBuild struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// mpiDescent skips the test without Open MPI and otherwise returns the
// path of descent built with -tags mpi.
func mpiDescent(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("mpirun"); err != nil {
		t.Skip("mpirun is not on PATH; install Open MPI (Debian: apt-get install openmpi-bin libopenmpi-dev pkg-config) to run the MPI tests")
	}
	if err := exec.Command("pkg-config", "--exists", "ompi-c").Run(); err != nil {
		t.Skip("pkg-config does not find ompi-c; install pkg-config and libopenmpi-dev to run the MPI tests")
	}
	mpiBuild.once.Do(func() {
		if mpiBuild.dir, mpiBuild.err = os.MkdirTemp("", "descent-mpi-"); mpiBuild.err != nil {
			return
		}
		mpiBuild.bin = filepath.Join(mpiBuild.dir, "descent")
		cmd := exec.Command("go", "build", "-tags", "mpi", "-o", mpiBuild.bin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			mpiBuild.err = fmt.Errorf("go build -tags mpi: %v\n%s", err, out)
		}
	})
	if mpiBuild.err != nil {
		t.Fatal(mpiBuild.err)
	}
	return mpiBuild.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if mpiBuild.dir != "" {
		os.RemoveAll(mpiBuild.dir)
	}
	os.Exit(code)
}

// launch runs bin alone (np 0) or under mpirun -np np, with a time limit,
// and returns its exit status and combined output.
func launch(t *testing.T, np int, bin string, args ...string) (int, string) {
	t.Helper()
	code, out, err := launchCtx(context.Background(), np, nil, bin, args...)
	require.NoError(t, err, out)
	return code, out
}

func launchCtx(ctx context.Context, np int, started func(*exec.Cmd), bin string, args ...string) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	name, all := bin, args
	if np > 0 {
		name = "mpirun"
		all = append(append(append([]string{}, mpirunFlags...), "-np", strconv.Itoa(np), bin), args...)
	}
	cmd := exec.CommandContext(ctx, name, all...)
	cmd.Env = append(os.Environ(), "OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return 0, "", err
	}
	if started != nil {
		started(cmd)
	}
	err := cmd.Wait()
	if ctx.Err() != nil {
		return 0, out.String(), fmt.Errorf("%s %v did not finish within 120s", name, args)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String(), nil
	}
	return 0, out.String(), err
}

// regressionCSV writes n rows of y = x·w + 3 + noise over d features.
func regressionCSV(t *testing.T, dir string, n, d int) string {
	rng := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	for j := range d {
		fmt.Fprintf(&b, "x%d,", j+1)
	}
	b.WriteString("y\n")
	for range n {
		y := 3.0
		for j := range d {
			x := rng.NormFloat64()*float64(j+1) + float64(j)
			y += x * float64(j%3-1) * 0.7
			fmt.Fprintf(&b, "%.17g,", x)
		}
		fmt.Fprintf(&b, "%.17g\n", y+0.1*rng.NormFloat64())
	}
	path := filepath.Join(dir, "reg.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// modelParams reads a model file's parameters.
func modelParams(t *testing.T, path string) map[string][]float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var f struct {
		Params map[string]struct{ Data []float64 } `json:"params"`
		Steps  int                                 `json:"steps"`
	}
	require.NoError(t, json.Unmarshal(b, &f))
	out := map[string][]float64{}
	for k, v := range f.Params {
		out[k] = v.Data
	}
	return out
}

// paramsRelDiff is max|a−b| / max|a| over every parameter value.
func paramsRelDiff(a, b map[string][]float64) float64 {
	var num, den float64
	for k, va := range a {
		for i, v := range va {
			num = math.Max(num, math.Abs(v-b[k][i]))
			den = math.Max(den, math.Abs(v))
		}
	}
	return num / den
}

// TestMPIRunEqualsOneProcess is the equivalence contract under a real MPI
// launcher: mpirun -np 2 and -np 3 `descent train` end where one process
// ends, to 1e-12 relative, in every regime (batch, mini-batch, shuffled
// or not, SGD, a schedule, clipping, validation and standardization, a
// classifier), each rank reading only its own byte range of the CSV file;
// only rank 0 prints and writes the model file, and its summary names the
// world size.
func TestMPIRunEqualsOneProcess(t *testing.T) {
	bin := mpiDescent(t)
	dir := t.TempDir()
	csv := regressionCSV(t, dir, 400, 5)
	cases := []struct {
		name string
		args []string
	}{
		{"batch", []string{"--data", csv, "--standardize", "--lr", "0.1", "--epochs", "50"}},
		{"batch/no-shuffle/adam", []string{"--data", csv, "--no-shuffle", "--optimizer", "adam", "--lr", "0.1", "--epochs", "40"}},
		{"mini-batch/schedule/clip", []string{"--data", csv, "--standardize", "--standardize-target", "--optimizer", "adam", "--lr", "0.05", "--schedule", "warmup:10+cosine:200", "--clip-norm", "1", "--batch-size", "32", "--epochs", "8", "--val-split", "0.2", "--patience", "20"}},
		{"mini-batch/no-shuffle/momentum", []string{"--data", csv, "--standardize", "--optimizer", "momentum", "--lr", "0.01", "--clip-value", "0.5", "--batch-size", "50", "--no-shuffle", "--epochs", "6"}},
		{"sgd", []string{"--data", csv, "--standardize", "--lr", "0.002", "--batch-size", "1", "--epochs", "1"}},
		{"classifier", []string{"--dataset", "iris", "--model", "mlp:8", "--standardize", "--optimizer", "adam", "--lr", "0.02", "--batch-size", "16", "--epochs", "20", "--val-split", "0.2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			one := filepath.Join(dir, "one.json")
			code, out := launch(t, 0, bin, append([]string{"train", "--out", one}, c.args...)...)
			require.Equal(t, 0, code, out)
			want := modelParams(t, one)
			for _, np := range []int{2, 3} {
				model := filepath.Join(dir, fmt.Sprintf("np%d.json", np))
				code, out := launch(t, np, bin, append([]string{"train", "--out", model}, c.args...)...)
				require.Equal(t, 0, code, out)
				got := modelParams(t, model)
				assert.LessOrEqual(t, paramsRelDiff(want, got), 1e-12, "np %d", np)
				assert.Equal(t, 1, strings.Count(out, "stopped:"), "only rank 0 prints:\n%s", out)
				assert.Contains(t, out, fmt.Sprintf("parallel:  data-parallel on %d ranks", np))
			}
		})
	}
}

// TestMPIRunResumesUnderAnotherWorldSize: a run interrupted by a signal
// wherever it happens to be, inside an epoch as like as not, writes a
// checkpoint; resumed with mpirun -np 3 it ends where the uninterrupted
// one-process run ends.
func TestMPIRunResumesUnderAnotherWorldSize(t *testing.T) {
	if testing.Short() {
		t.Skip("a run interrupted by a signal takes seconds")
	}
	bin := mpiDescent(t)
	dir := t.TempDir()
	csv := regressionCSV(t, dir, 400, 5)
	args := []string{"--data", csv, "--standardize", "--optimizer", "adam", "--lr", "0.01", "--schedule", "cosine:150000", "--batch-size", "16", "--epochs", "6000"}
	full, fullTrace := filepath.Join(dir, "full.json"), filepath.Join(dir, "full.csv")
	code, out := launch(t, 0, bin, append([]string{"train", "--out", full, "--trace", fullTrace}, args...)...)
	require.Equal(t, 0, code, out)
	st, err := os.Stat(fullTrace)
	require.NoError(t, err)

	// The signal goes when rank 0's streamed trace (a temporary file
	// beside its name until the run ends) holds a tenth of the full
	// run's: inside the training on any machine, whatever its speed,
	// with the rest of the run (seconds) for mpirun to pass it on.
	ck := filepath.Join(dir, "ck.json")
	code, out, err = launchCtx(context.Background(), 2, func(cmd *exec.Cmd) {
		for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			tmp, _ := filepath.Glob(filepath.Join(dir, ".t.csv.descent-tmp-*"))
			if len(tmp) == 1 {
				if s, err := os.Stat(tmp[0]); err == nil && 10*s.Size() >= st.Size() {
					break
				}
			}
		}
		cmd.Process.Signal(syscall.SIGINT) // mpirun passes it on as SIGTERM to every rank
	}, bin, append([]string{"train", "--out", ck, "--trace", filepath.Join(dir, "t.csv")}, args...)...)
	require.NoError(t, err, out)
	require.NotEqual(t, 0, code, "the run finished before the signal:\n%s", out)
	require.Contains(t, out, "checkpoint saved to "+ck, out)
	b, err := os.ReadFile(ck)
	require.NoError(t, err)
	var pos struct {
		Position struct{ Epoch, Batch int } `json:"position"`
	}
	require.NoError(t, json.Unmarshal(b, &pos))
	t.Logf("interrupted at epoch %d, batch %d", pos.Position.Epoch+1, pos.Position.Batch)

	resumed := filepath.Join(dir, "resumed.json")
	code, out = launch(t, 3, bin, append([]string{"train", "--init", ck, "--out", resumed}, args...)...)
	require.Equal(t, 0, code, out)
	assert.LessOrEqual(t, paramsRelDiff(modelParams(t, full), modelParams(t, resumed)), 1e-12)
}

// rankPID finds the process of rank r of a job of bin that mpirun started.
func rankPID(bin string, r int) (int, bool) {
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", d.Name(), "exe"))
		if err != nil || exe != bin {
			continue
		}
		env, _ := os.ReadFile(filepath.Join("/proc", d.Name(), "environ"))
		if bytes.Contains(env, []byte(fmt.Sprintf("\x00OMPI_COMM_WORLD_RANK=%d\x00", r))) {
			return pid, true
		}
	}
	return 0, false
}

// opened reports whether process pid has the file at path open.
func opened(pid int, path string) bool {
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	for _, fd := range fds {
		if l, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name())); err == nil && l == path {
			return true
		}
	}
	return false
}

// TestMPIRunFaults: a rank that fails, dies or hangs makes every rank
// exit non-zero, with a message that names the rank, and leaves no model
// file behind.
func TestMPIRunFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("fault cases wait for timeouts")
	}
	bin := mpiDescent(t)
	dir := t.TempDir()
	csv := regressionCSV(t, dir, 400, 5)
	body, err := os.ReadFile(csv)
	require.NoError(t, err)
	lines := strings.Split(string(body), "\n")
	lines[380] = "1,2,oops,4,5,6" // in the last rank's bytes
	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644))
	long := []string{"--data", csv, "--stream", "--batch-size", "4", "--epochs", "100000", "--lr", "0.001"}

	// signalRank signals rank 1 once it streams the data file: past
	// MPI_Init, which no watchdog guards, whatever the machine's load.
	signalRank := func(sig syscall.Signal) func(*exec.Cmd) {
		return func(*exec.Cmd) {
			for range 600 {
				time.Sleep(100 * time.Millisecond)
				if pid, ok := rankPID(bin, 1); ok && opened(pid, csv) {
					time.Sleep(300 * time.Millisecond)
					syscall.Kill(pid, sig)
					return
				}
			}
		}
	}
	for _, c := range []struct {
		name    string
		np      int
		started func(*exec.Cmd)
		args    []string
		code    int // -1: any failure
		want    string
	}{
		{"rank errors", 3, nil, []string{"--data", bad}, 1, `rank 2: descent: data: ` + regexp.QuoteMeta(bad) + `:381:3: non-numeric cell "oops" in column "x3"`},
		{"rank dies", 2, signalRank(syscall.SIGKILL), long, -1, `process rank 1 with PID \d+ on node \S+ exited on signal 9`},
		{"rank hangs", 2, signalRank(syscall.SIGSTOP), append([]string{"--mpi-timeout", "2s"}, long...), 124, `rank 0: dist: AllreduceSum64 of \d+ values did not finish within 2s`},
	} {
		t.Run(c.name, func(t *testing.T) {
			model := filepath.Join(t.TempDir(), "m.json")
			code, out, err := launchCtx(context.Background(), c.np, c.started, bin, append([]string{"train", "--out", model}, c.args...)...)
			require.NoError(t, err, out)
			if c.code >= 0 {
				assert.Equal(t, c.code, code, out)
			} else {
				assert.NotEqual(t, 0, code, out)
			}
			assert.Regexp(t, c.want, out)
			assert.NoFileExists(t, model)
			left, _ := filepath.Glob(filepath.Join(filepath.Dir(model), "*"))
			assert.Empty(t, left, "no partial files")
		})
	}
}

// TestMPIRunStreamed: under mpirun each rank streams only its own part of
// the file (a byte range of the CSV, a row range of the row file).
// Full-batch descent, whose gradient does not depend on the order of the
// rows, ends where one process ends with the file in memory, to 1e-12;
// a shuffled mini-batch run trains, its summary naming the world size.
func TestMPIRunStreamed(t *testing.T) {
	bin := mpiDescent(t)
	dir := t.TempDir()
	csv := regressionCSV(t, dir, 400, 5)
	rows := filepath.Join(dir, "reg.rows")
	code, out := launch(t, 0, bin, "convert", "--data", csv, "--out", rows)
	require.Equal(t, 0, code, out)
	// Not --standardize-target with adam here: the intercept's full-batch
	// gradient would be zero up to rounding, and Adam's step, ±lr whatever
	// the gradient's size, would follow the rounding noise's sign.
	full := []string{"--standardize", "--optimizer", "adam", "--lr", "0.05", "--epochs", "30"}
	one := filepath.Join(dir, "one.json")
	code, out = launch(t, 0, bin, append([]string{"train", "--data", csv, "--out", one}, full...)...)
	require.Equal(t, 0, code, out)
	for _, path := range []string{csv, rows} {
		for _, np := range []int{2, 3} {
			model := filepath.Join(dir, fmt.Sprintf("s%d.json", np))
			code, out := launch(t, np, bin, append([]string{"train", "--data", path, "--stream", "--out", model}, full...)...)
			require.Equal(t, 0, code, out)
			assert.Contains(t, out, "streamed")
			assert.Contains(t, out, fmt.Sprintf("data-parallel on %d ranks", np))
			assert.LessOrEqual(t, paramsRelDiff(modelParams(t, one), modelParams(t, model)), 1e-12, "%s on %d ranks", filepath.Ext(path), np)
		}
	}
	code, out = launch(t, 2, bin, "train", "--data", rows, "--stream", "--standardize", "--optimizer", "adam", "--lr", "0.02",
		"--batch-size", "16", "--epochs", "10", "--val-split", "0.2")
	require.Equal(t, 0, code, out)
	assert.Regexp(t, `R²:\s+0\.99`, out)
}
