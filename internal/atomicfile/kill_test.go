//go:build unix

package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The child side of TestKilledWriter, selected by this variable: "mid"
// writes half a version and waits to be killed; "loop" writes versions
// without end.
const childEnv = "ATOMICFILE_TEST_CHILD"

// version is the content of version i: a header, 512 KiB of filler and a
// trailer, so that a torn file is easy to tell.
func version(i int) string {
	return fmt.Sprintf("version %d\n%s\nend %d\n", i, strings.Repeat(fmt.Sprintf("%08d", i), 1<<16), i)
}

// isVersion reports whether s is a whole version.
func isVersion(s string) bool {
	var i int
	if _, err := fmt.Sscanf(s, "version %d\n", &i); err != nil {
		return false
	}
	return s == version(i)
}

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(child(mode, os.Getenv(childEnv+"_PATH")))
	}
	os.Exit(m.Run())
}

func child(mode, path string) int {
	switch mode {
	case "mid":
		err := Write(path, func(w io.Writer) error {
			v := version(1)
			io.WriteString(w, v[:len(v)/2])
			w.(interface{ Flush() error }).Flush()
			fmt.Println("mid")
			select {} // wait for SIGKILL
		})
		fmt.Fprintln(os.Stderr, err)
		return 1
	case "loop":
		for i := 1; ; i++ {
			if err := WriteFile(path, []byte(version(i))); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			if i == 1 {
				fmt.Println("wrote")
			}
		}
	}
	return 2
}

// startChild runs this test binary as a child writer and waits for its
// first line on stdout.
func startChild(t *testing.T, mode, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, childEnv+"_PATH="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child %s: %v", mode, err)
	}
	return cmd
}

func kill(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
}

func temps(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ts []string
	for _, e := range ents {
		if IsTemp(e.Name()) {
			ts = append(ts, e.Name())
		}
	}
	return ts
}

// TestKilledWriter kills a writing process with SIGKILL: the target is the
// old file or a whole new one, never a torn one, and the next write removes
// the temporary file the killed process left behind.
func TestKilledWriter(t *testing.T) {
	t.Run("mid-write", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "m.json")
		write(t, path, version(0))
		cmd := startChild(t, "mid", path)
		kill(t, cmd)
		if !isVersion(read(t, path)) || read(t, path) != version(0) {
			t.Fatal("the old file was damaged by a killed writer")
		}
		left := temps(t, dir)
		want := fmt.Sprintf(".m.json.descent-tmp-%d-", cmd.Process.Pid)
		if len(left) != 1 || !strings.HasPrefix(left[0], want) {
			t.Fatalf("leftover temporary files %v, want one %s…", left, want)
		}
		write(t, path, version(2))
		if left := temps(t, dir); len(left) != 0 {
			t.Errorf("the next write left %v behind", left)
		}
	})
	t.Run("random moments", func(t *testing.T) {
		trials := 8
		if testing.Short() {
			trials = 2
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "m.json")
		write(t, path, version(0))
		for range trials {
			cmd := startChild(t, "loop", path)
			time.Sleep(time.Duration(rand.IntN(20_000)) * time.Microsecond)
			kill(t, cmd)
			if s := read(t, path); !isVersion(s) {
				t.Fatalf("after SIGKILL the file is torn (%d bytes)", len(s))
			}
		}
		write(t, path, version(0))
		if left := temps(t, dir); len(left) != 0 {
			t.Errorf("the next write left %v behind", left)
		}
	})
}
