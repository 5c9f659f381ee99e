package dist

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func TestLocal(t *testing.T) {
	var c Comm = Local{}
	if c.Rank() != 0 || c.Size() != 1 {
		t.Fatalf("rank %d of %d, want 0 of 1", c.Rank(), c.Size())
	}
	b64 := []float64{1.5, -2, 3}
	b32 := []float32{1.5, -2, 3}
	if err := errors.Join(c.AllreduceSum64(b64), c.AllreduceSum32(b32), c.Bcast64(b64, 0), c.Bcast32(b32, 0), c.Barrier(),
		c.AllreduceSum64(nil), c.Bcast32(nil, 0)); err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{1.5, -2, 3} {
		if b64[i] != want || b32[i] != float32(want) {
			t.Fatalf("element %d changed: %v, %v", i, b64[i], b32[i])
		}
	}
	for _, root := range []int{-1, 1} {
		if err := c.Bcast64(b64, root); err == nil || err.Error() != "dist: Bcast64 root must be in [0,1), got "+strconv.Itoa(root) {
			t.Errorf("Bcast64 root %d: %v", root, err)
		}
		if err := c.Bcast32(b32, root); err == nil || !strings.Contains(err.Error(), "Bcast32 root must be in [0,1)") {
			t.Errorf("Bcast32 root %d: %v", root, err)
		}
	}
}

// TestLocalAbort runs the test binary again to watch Local.Abort end it.
func TestLocalAbort(t *testing.T) {
	if code := os.Getenv("DIST_TEST_ABORT_CODE"); code != "" {
		n, _ := strconv.Atoi(code)
		Local{}.Abort(n, "dist: injected\n")
		t.Fatal("Abort returned")
	}
	for _, c := range []struct{ code, want int }{{3, 3}, {255, 255}, {0, 1}, {-2, 1}, {256, 1}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLocalAbort$")
		cmd.Env = append(os.Environ(), "DIST_TEST_ABORT_CODE="+strconv.Itoa(c.code))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != c.want {
			t.Errorf("Abort(%d): %v, want exit status %d", c.code, err, c.want)
		}
		if got := stderr.String(); got != "rank 0: dist: injected\n" {
			t.Errorf("Abort(%d) printed %q", c.code, got)
		}
	}
}
