package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file run the descent binary as a separate process:
// under a memory limit, and with real signals.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// descentBinary builds the command once per test binary.
func descentBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "descent-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "descent")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

type procResult struct {
	stdout, stderr string
	code           int // exit status; -1 when killed by a signal
	signaled       bool
	elapsed        time.Duration
}

// runProc runs the binary with args under an address-space limit (bytes;
// 0 is none) and a time limit, in dir.
func runProc(t *testing.T, dir string, limit uint64, timeout time.Duration, args ...string) procResult {
	t.Helper()
	bin := descentBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	name, argv := bin, args
	if limit > 0 {
		name, argv = "prlimit", append([]string{fmt.Sprintf("--as=%d", limit), "--", bin}, args...)
	}
	cmd := exec.CommandContext(ctx, name, argv...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := procResult{stdout: out.String(), stderr: errb.String(), elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("descent %s: still running after %s", strings.Join(args, " "), timeout)
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			r.signaled, r.code = true, -1
		}
	case err != nil:
		t.Fatal(err)
	}
	return r
}

// TestHostileInputsUnderMemoryLimit runs the worst inputs the hostile-input
// probe found, each under a 3 GiB address-space limit: every one ends
// quickly with a one-line error, never a panic, a stack trace or an
// out-of-memory kill.
func TestHostileInputsUnderMemoryLimit(t *testing.T) {
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
		return name
	}
	model := func(name string, mutate func(m map[string]any)) string {
		r := runProc(t, dir, 0, time.Minute, "train", "--dataset", "salary", "--optimizer", "adam", "--epochs", "3", "--out", name+".base.json", "--quiet")
		require.Equal(t, 0, r.code, r.stderr)
		b, err := os.ReadFile(filepath.Join(dir, name+".base.json"))
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m))
		mutate(m)
		out, err := json.Marshal(m)
		require.NoError(t, err)
		return write(name, string(out))
	}
	var big strings.Builder
	big.WriteString("x,label\n")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&big, "%d,%d\n", i, i%3)
	}
	big.WriteString("1,40000\n")
	write("label.csv", big.String())
	var wide strings.Builder
	for i := 0; i < 1_000_000; i++ {
		if i > 0 {
			wide.WriteByte(',')
		}
		fmt.Fprintf(&wide, "c%d", i%999_999) // one duplicate pair, at the very end
	}
	wide.WriteString("\n")
	write("wide.csv", wide.String())
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"huge mlp flag", []string{"train", "--model", "mlp:9223372036854775807"}, "hidden layer 1 must have"},
		{"huge layer flag", []string{"train", "--model", "linear(16777216) relu linear(16777216)"}, "more than"},
		{"model file mlp:999999999", []string{"train", "--dataset", "salary", "--init", model("mlp.json", func(m map[string]any) {
			m["model"].(map[string]any)["spec"] = "mlp:999999999"
		})}, "mlp"},
		{"model file outputs 1e9", []string{"predict", "--dataset", "salary", "--model", model("outputs.json", func(m map[string]any) {
			m["model"].(map[string]any)["outputs"] = 1e9
		})}, "outputs"},
		{"checkpoint epochs 2^62", []string{"train", "--dataset", "salary", "--optimizer", "adam", "--init", model("epochs.json", func(m map[string]any) {
			m["epochs"] = float64(1 << 62)
			m["position"].(map[string]any)["epoch"] = float64(1 << 62)
		})}, "epochs"},
		{"optimizer state of 1e9 values", []string{"train", "--dataset", "salary", "--optimizer", "adam", "--init", model("state.json", func(m map[string]any) {
			// adam's own state, claiming 1e9 values for W: refused by the
			// size check, before anything is allocated.
			m["optimizer"].(map[string]any)["state"].(map[string]any)["params"] = map[string]any{"W": 1e9, "b": 1}
		})}, `parameter "W" has 1000000000 values, want 1`},
		{"class label 40000", []string{"train", "--data", "label.csv", "--model", "mlp:4", "--loss", "xent"}, "label"},
		{"a header of 1e6 columns", []string{"train", "--data", "wide.csv"}, "wide.csv:1: line longer than"},
		{"/dev/zero", []string{"train", "--data", "/dev/zero"}, "/dev/zero"},
		{"gradcheck rows", []string{"gradcheck", "--rows", "1000000000"}, "--rows must be in [1, 10000]"},
		{"surface steps", []string{"surface", "--objective", "hills", "--steps", "2000000000", "--plot", "s.png"}, "--steps must be in [1, 1000000]"},
		{"surface range of a few ulps", []string{"surface", "--objective", "rosenbrock", "--xrange", "1,1.0000000000000002", "--plot", "s.png"}, "--xrange must be two numbers a < b at least 1e-9 of their size apart"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runProc(t, dir, 3<<30, 2*time.Minute, c.args...)
			assert.False(t, r.signaled, "killed by a signal (out of memory?)\n%s", r.stderr)
			assert.Equal(t, 1, r.code, "exit status\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
			msg := strings.TrimSpace(r.stderr)
			assert.True(t, strings.HasPrefix(msg, "descent: "), "a descent error, got %q", msg)
			assert.NotContains(t, msg, "\n", "one line")
			assert.NotContains(t, msg, "goroutine")
			assert.NotContains(t, msg, "panic")
			assert.Contains(t, msg, c.want)
			assert.Less(t, r.elapsed, time.Minute)
		})
	}
}

// TestSignalsWriteCheckpoints sends SIGINT, SIGTERM and SIGHUP to a long
// run: each writes a checkpoint, says so and exits with status 130, and
// the checkpoint resumes.
func TestSignalsWriteCheckpoints(t *testing.T) {
	descentBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(binPath, "train", "--dataset", "multi", "--optimizer", "adam", "--batch-size", "8",
				"--epochs", "100000000", "--out", "ck.json", "--quiet")
			cmd.Dir = dir
			var errb bytes.Buffer
			cmd.Stderr = &errb
			require.NoError(t, cmd.Start())
			time.Sleep(1500 * time.Millisecond)
			require.NoError(t, cmd.Process.Signal(sig))
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				var ee *exec.ExitError
				require.True(t, errors.As(err, &ee), "exit: %v", err)
				assert.Equal(t, 130, ee.ExitCode(), errb.String())
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the run did not stop after the signal")
			}
			assert.Contains(t, errb.String(), "checkpoint saved to ck.json")
			b, err := os.ReadFile(filepath.Join(dir, "ck.json"))
			require.NoError(t, err)
			assert.Contains(t, string(b), `"position"`)
			var ck struct {
				Epochs int `json:"epochs"`
			}
			require.NoError(t, json.Unmarshal(b, &ck))
			r := runProc(t, dir, 0, time.Minute, "train", "--dataset", "multi", "--optimizer", "adam", "--batch-size", "8",
				"--epochs", fmt.Sprint(ck.Epochs+2), "--init", "ck.json", "--quiet")
			assert.Equal(t, 0, r.code, r.stderr)
		})
	}
}

// TestInterruptedRunResumesExactly is the reproduction: a run
// interrupted by a real SIGINT at an arbitrary moment (inside an epoch,
// as a rule) and resumed from its checkpoint ends bit-identical to the
// run that was never interrupted: the same step count and parameters.
// Before positions were kept inside epochs, the resume redid the partial
// epoch's steps (87020 steps instead of 87000).
func TestInterruptedRunResumesExactly(t *testing.T) {
	descentBinary(t)
	dir := t.TempDir()
	args := []string{"train", "--dataset", "digits", "--model", "softmax", "--optimizer", "adam", "--batch-size", "64", "--epochs", "1500", "--quiet"}
	r := runProc(t, dir, 0, 5*time.Minute, append(args, "--out", "full.json")...)
	require.Equal(t, 0, r.code, r.stderr)
	// The interrupts land a third and two thirds of the way through the
	// run, whatever the machine's speed: when the streamed trace holds
	// that share of the full run's trace.
	r = runProc(t, dir, 0, 5*time.Minute, append(args, "--trace", "full.csv", "--out", "traced.json")...)
	require.Equal(t, 0, r.code, r.stderr)
	st, err := os.Stat(filepath.Join(dir, "full.csv"))
	require.NoError(t, err)
	for i, share := range []float64{1.0 / 3, 2.0 / 3} {
		ck, res, trace := fmt.Sprintf("ck%d.json", i), fmt.Sprintf("res%d.json", i), fmt.Sprintf("t%d.csv", i)
		cmd := exec.Command(binPath, append(args, "--trace", trace, "--out", ck)...)
		cmd.Dir = dir
		require.NoError(t, cmd.Start())
		// The trace streams into a temporary file beside its name.
		for deadline := time.Now().Add(4 * time.Minute); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			tmp, _ := filepath.Glob(filepath.Join(dir, "."+trace+".descent-tmp-*"))
			if len(tmp) == 1 {
				if s, err := os.Stat(tmp[0]); err == nil && float64(s.Size()) >= share*float64(st.Size()) {
					break
				}
			}
		}
		require.NoError(t, cmd.Process.Signal(os.Interrupt))
		err := cmd.Wait()
		var ee *exec.ExitError
		require.True(t, errors.As(err, &ee) && ee.ExitCode() == 130, "the run at %.0f%% ended with %v, want status 130", 100*share, err)
		r := runProc(t, dir, 0, 5*time.Minute, append(args, "--init", ck, "--out", res)...)
		require.Equal(t, 0, r.code, r.stderr)
		full, got := readModel(t, filepath.Join(dir, "full.json")), readModel(t, filepath.Join(dir, res))
		assert.Equal(t, full["steps"], got["steps"])
		assert.Equal(t, full["params"], got["params"], "bit-identical parameters after a resume at %.0f%%", 100*share)
	}
}

func readModel(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// TestCtrlCWhileReadingAFIFO: a FIFO that never gets data does not hold
// the command: SIGINT ends it promptly, with a one-line error.
func TestCtrlCWhileReadingAFIFO(t *testing.T) {
	descentBinary(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "in.csv")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	cmd := exec.Command(binPath, "train", "--data", fifo, "--quiet")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	require.NoError(t, cmd.Start())
	time.Sleep(500 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.Contains(t, errb.String(), "interrupted")
		assert.NotContains(t, errb.String(), "goroutine")
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("Ctrl-C did not stop a read from a FIFO")
	}
}

// TestSecondCtrlCExitsAtOnce: a run stuck where the first Ctrl-C cannot
// stop it (its --trace goes to a pipe that nobody reads) says how to get
// out, and the second Ctrl-C ends it at once.
func TestSecondCtrlCExitsAtOnce(t *testing.T) {
	descentBinary(t)
	cmd := exec.Command(binPath, "train", "--dataset", "multi", "--epochs", "100000000", "--trace", "-", "--quiet")
	cmd.Dir = t.TempDir()
	stdout, err := cmd.StdoutPipe() // never read: the trace fills the pipe and blocks
	require.NoError(t, err)
	defer stdout.Close()
	var errb bytes.Buffer
	cmd.Stderr = &errb
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	time.Sleep(time.Second)
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	select {
	case err := <-done:
		t.Fatalf("the first Ctrl-C ended a run blocked on its output: %v\n%s", err, errb.String())
	case <-time.After(time.Second):
	}
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	select {
	case err := <-done:
		var ee *exec.ExitError
		require.True(t, errors.As(err, &ee), "%v", err)
		ws := ee.Sys().(syscall.WaitStatus)
		assert.True(t, ws.Signaled() && ws.Signal() == syscall.SIGINT, "ended by %v, want SIGINT's default action", ws)
		assert.Contains(t, errb.String(), "again to exit at once")
		assert.NotContains(t, errb.String(), "goroutine")
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the second Ctrl-C did not end the run")
	}
}
