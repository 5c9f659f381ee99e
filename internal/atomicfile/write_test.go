//go:build unix

package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// write writes s to path with WriteFile, failing the test on an error.
func write(t *testing.T, path, s string) {
	t.Helper()
	if err := WriteFile(path, []byte(s)); err != nil {
		t.Fatalf("WriteFile(%s): %v", path, err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noTemps fails if any directory holds a temporary file.
func noTemps(t *testing.T, dirs ...string) {
	t.Helper()
	for _, dir := range dirs {
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if IsTemp(e.Name()) || strings.Contains(e.Name(), "tmp") {
				t.Errorf("temporary file left in %s: %s", dir, e.Name())
			}
		}
	}
}

func perm(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// withUmask runs f under umask m (process-wide: these tests are not parallel).
func withUmask(m int, f func()) {
	old := syscall.Umask(m)
	defer syscall.Umask(old)
	f()
}

func TestWriteNewFileHonoursUmask(t *testing.T) {
	for _, c := range []struct {
		umask int
		want  os.FileMode
	}{{0o022, 0o644}, {0o027, 0o640}, {0o077, 0o600}, {0, 0o666}} {
		path := filepath.Join(t.TempDir(), "new.json")
		withUmask(c.umask, func() { write(t, path, "x") })
		if got := perm(t, path); got != c.want {
			t.Errorf("umask %04o: new file has mode %04o, want %04o", c.umask, got, c.want)
		}
	}
}

func TestWriteKeepsMode(t *testing.T) {
	for _, mode := range []os.FileMode{0o640, 0o600, 0o755, 0o604} {
		path := filepath.Join(t.TempDir(), "m.json")
		write(t, path, "old")
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		withUmask(0o077, func() { write(t, path, "new") })
		if got := perm(t, path); got != mode {
			t.Errorf("mode %04o became %04o", mode, got)
		}
		if got := read(t, path); got != "new" {
			t.Errorf("content %q", got)
		}
	}
}

func TestWriteFollowsSymlinks(t *testing.T) {
	for _, c := range []struct {
		name string
		// setup makes the links in dir (dir/a, dir/b, …) and returns the
		// path to write and the file that must receive the data.
		setup func(t *testing.T, dir, other string) (path, target string)
	}{
		{"relative", func(t *testing.T, dir, _ string) (string, string) {
			write(t, filepath.Join(dir, "t.json"), "old")
			symlink(t, "t.json", filepath.Join(dir, "link.json"))
			return filepath.Join(dir, "link.json"), filepath.Join(dir, "t.json")
		}},
		{"absolute, other directory", func(t *testing.T, dir, other string) (string, string) {
			write(t, filepath.Join(other, "t.json"), "old")
			symlink(t, filepath.Join(other, "t.json"), filepath.Join(dir, "link.json"))
			return filepath.Join(dir, "link.json"), filepath.Join(other, "t.json")
		}},
		{"chain of three", func(t *testing.T, dir, other string) (string, string) {
			write(t, filepath.Join(other, "t.json"), "old")
			symlink(t, filepath.Join(other, "t.json"), filepath.Join(other, "c"))
			symlink(t, "../"+filepath.Base(other)+"/c", filepath.Join(dir, "b"))
			symlink(t, "b", filepath.Join(dir, "a"))
			return filepath.Join(dir, "a"), filepath.Join(other, "t.json")
		}},
		{"dangling creates its target", func(t *testing.T, dir, other string) (string, string) {
			symlink(t, filepath.Join(other, "new.json"), filepath.Join(dir, "link.json"))
			return filepath.Join(dir, "link.json"), filepath.Join(other, "new.json")
		}},
		{"relative link in a linked directory", func(t *testing.T, dir, other string) (string, string) {
			// dir/sub -> other/real; other/real/link -> ../t.json means other/t.json,
			// not dir/t.json as a lexical join of dir/sub/../t.json would say.
			if err := os.Mkdir(filepath.Join(other, "real"), 0o755); err != nil {
				t.Fatal(err)
			}
			symlink(t, filepath.Join(other, "real"), filepath.Join(dir, "sub"))
			write(t, filepath.Join(other, "t.json"), "old")
			symlink(t, "../t.json", filepath.Join(other, "real", "link"))
			return filepath.Join(dir, "sub", "link"), filepath.Join(other, "t.json")
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			dir, other := filepath.Join(root, "d"), filepath.Join(root, "o")
			for _, d := range []string{dir, other} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			path, target := c.setup(t, dir, other)
			links := linksIn(t, dir, other)
			if err := Check(path); err != nil {
				t.Fatalf("Check: %v", err)
			}
			write(t, path, "new")
			if got := read(t, target); got != "new" {
				t.Errorf("target holds %q", got)
			}
			if got := linksIn(t, dir, other); got != links {
				t.Errorf("links changed:\n%s\nwant\n%s", got, links)
			}
			noTemps(t, dir, other)
		})
	}
}

func symlink(t *testing.T, old, new string) {
	t.Helper()
	if err := os.Symlink(old, new); err != nil {
		t.Fatal(err)
	}
}

// linksIn lists every symbolic link in dirs with its content.
func linksIn(t *testing.T, dirs ...string) string {
	var b strings.Builder
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err == nil && e.Type()&os.ModeSymlink != 0 {
				l, _ := os.Readlink(p)
				fmt.Fprintf(&b, "%s -> %s\n", p, l)
			}
			return nil
		})
	}
	return b.String()
}

func TestWriteSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	symlink(t, "b", a)
	symlink(t, "a", b)
	for name, err := range map[string]error{"Write": WriteFile(a, []byte("x")), "Check": Check(a)} {
		if err == nil || err.Error() != a+": too many levels of symbolic links" {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestWriteDevNull(t *testing.T) {
	write(t, "/dev/null", strings.Repeat("x", 1<<20))
	fi, err := os.Lstat("/dev/null")
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is now %v (%v)", fi.Mode(), err)
	}
	if err := Check("/dev/null"); err != nil {
		t.Error(err)
	}
	// Through a link, as /dev/stdout is one.
	link := filepath.Join(t.TempDir(), "null")
	symlink(t, "/dev/null", link)
	write(t, link, "x")
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link to /dev/null was replaced: %v", err)
	}
}

func TestWriteFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := Check(fifo); err != nil {
		t.Fatalf("Check: %v", err)
	}
	want := strings.Repeat("0123456789abcdef", 1<<14) // 256 KiB, more than a pipe holds
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	write(t, fifo, want)
	if g := <-got; g != want {
		t.Errorf("the reader got %d bytes, want %d", len(g), len(want))
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO is no longer one: %v", err)
	}
	noTemps(t, dir)
}

// TestWriteOwnDescriptor writes to /dev/fd/N and /proc/self/fd/N: the data
// must go down the open descriptor (a pipe here), which stays open.
func TestWriteOwnDescriptor(t *testing.T) {
	for _, dir := range []string{"/dev/fd/", "/proc/self/fd/"} {
		if _, err := os.Stat(dir); err != nil {
			t.Skip(err)
		}
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		path := dir + strconv.Itoa(int(w.Fd()))
		if err := Check(path); err != nil {
			t.Fatalf("Check(%s): %v", path, err)
		}
		write(t, path, "first ")
		if _, err := w.WriteString("second"); err != nil {
			t.Fatalf("%s: the descriptor was closed: %v", path, err)
		}
		w.Close()
		b, _ := io.ReadAll(r)
		r.Close()
		if string(b) != "first second" {
			t.Errorf("%s: the pipe got %q", path, b)
		}
	}
}

func TestWriteDashIsStdout(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	err = WriteFile("-", []byte("to stdout"))
	os.Stdout = old
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(r); string(b) != "to stdout" {
		t.Errorf("stdout got %q", b)
	}
	if err := Check("-"); err != nil {
		t.Error(err)
	}
}

// deadPID returns the pid of a process that has exited and been reaped.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	if alive(pid) {
		t.Skip("pid reused at once")
	}
	return pid
}

func TestWriteRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	write(t, path, "old")
	dead := deadPID(t)
	touch := func(name string, age time.Duration) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
		return name
	}
	gone := []string{
		touch(fmt.Sprintf(".m.json.descent-tmp-%d-abc", dead), 0),                    // killed writer
		touch(fmt.Sprintf(".m.json.descent-tmp-%d-old", os.Getppid()), 2*StaleAfter), // alive, but days old
	}
	kept := []string{
		touch(fmt.Sprintf(".m.json.descent-tmp-%d-xyz", os.Getpid()), 0),          // a concurrent writer here
		touch(fmt.Sprintf(".m.json.descent-tmp-%d-xyz", os.Getppid()), time.Hour), // a live writer elsewhere
		touch(fmt.Sprintf(".other.json.descent-tmp-%d-abc", dead), 0),             // another target's
		touch(fmt.Sprintf(".m.json.tmp-%d-abc", dead), 0),                         // not ours
		touch("m.json.bak", 0),
	}
	write(t, path, "new")
	for _, n := range gone {
		if _, err := os.Lstat(filepath.Join(dir, n)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("stale %s not removed (%v)", n, err)
		}
	}
	for _, n := range kept {
		if _, err := os.Lstat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s removed: %v", n, err)
		}
	}
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range []struct {
		name  string
		write func(w io.Writer) error
	}{
		{"error after some data", func(w io.Writer) error {
			w.Write(bytes.Repeat([]byte("n"), 1<<20))
			return boom
		}},
		{"error before any data", func(io.Writer) error { return boom }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "m.json")
			write(t, path, "old")
			if err := Write(path, c.write); !errors.Is(err, boom) {
				t.Errorf("err = %v, want boom", err)
			}
			if got := read(t, path); got != "old" {
				t.Errorf("old file now holds %d bytes", len(got))
			}
			noTemps(t, dir)
		})
	}
	t.Run("panic", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "m.json")
		write(t, path, "old")
		func() {
			defer func() {
				if r := recover(); r != "oops" {
					t.Errorf("recovered %v, want the panic to pass through", r)
				}
			}()
			Write(path, func(w io.Writer) error {
				w.Write([]byte("partial"))
				panic("oops")
			})
		}()
		if got := read(t, path); got != "old" {
			t.Errorf("old file now holds %q", got)
		}
		noTemps(t, dir)
	})
}

func TestWriteAndCheckErrors(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "file")
	write(t, file, "x")
	symlink(t, filepath.Join(dir, "nope", "x.json"), filepath.Join(dir, "dangling"))
	symlink(t, sub, filepath.Join(dir, "tosub"))
	cases := []struct{ path, want string }{
		{"", "empty path"},
		{filepath.Join(dir, "nope", "x.json"), "directory " + filepath.Join(dir, "nope") + " does not exist"},
		{filepath.Join(file, "x.json"), file + " is not a directory"},
		{sub, "is a directory"},
		{filepath.Join(dir, "tosub"), "symlink target " + sub + ": is a directory"},
		{filepath.Join(dir, "dangling"), "symlink target " + filepath.Join(dir, "nope", "x.json") + ": directory " + filepath.Join(dir, "nope") + " does not exist"},
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		rofile := filepath.Join(dir, "ro.json")
		write(t, rofile, "x")
		if err := os.Chmod(rofile, 0o444); err != nil {
			t.Fatal(err)
		}
		cases = append(cases,
			struct{ path, want string }{filepath.Join(ro, "x.json"), "directory " + ro + " is not writable: permission denied"},
			struct{ path, want string }{rofile, "file is not writable: permission denied"})
	}
	for _, c := range cases {
		if err := Check(c.path); err == nil || err.Error() != c.want {
			t.Errorf("Check(%q) = %v\nwant %s", c.path, err, c.want)
		}
		if err := WriteFile(c.path, []byte("y")); err == nil || err.Error() != c.want {
			t.Errorf("WriteFile(%q) = %v\nwant %s", c.path, err, c.want)
		}
	}
	if got := read(t, file); got != "x" {
		t.Errorf("file changed to %q", got)
	}
	noTemps(t, dir, sub)
	// Check leaves nothing behind and accepts a writable new path.
	if err := Check(filepath.Join(sub, "new.json")); err != nil {
		t.Error(err)
	}
	if _, err := os.Lstat(filepath.Join(sub, "new.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Check created the file: %v", err)
	}
	noTemps(t, sub)
}

func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	const writers, rounds = 8, 20
	version := func(w, r int) string {
		return strings.Repeat(fmt.Sprintf("%d/%d;", w, r), 5000)
	}
	valid := map[string]bool{}
	for w := range writers {
		for r := range rounds {
			valid[version(w, r)] = true
		}
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	bad := make(chan string, 1)
	go func() { // a reader never sees a partial file
		for {
			select {
			case <-stop:
				return
			default:
			}
			if b, err := os.ReadFile(path); err == nil && !valid[string(b)] {
				select {
				case bad <- fmt.Sprintf("%d bytes", len(b)):
				default:
				}
			}
		}
	}()
	for w := range writers {
		wg.Go(func() {
			for r := range rounds {
				if err := WriteFile(path, []byte(version(w, r))); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	select {
	case b := <-bad:
		t.Errorf("a reader saw a partial file of %s", b)
	default:
	}
	if !valid[read(t, path)] {
		t.Error("the final file is not one writer's version")
	}
	noTemps(t, dir)
}

// TestWriteAndCheckErrorsUnprivileged reruns TestWriteAndCheckErrors as
// user nobody when the tests run as root, for whom every file is writable,
// so that the read-only cases are checked too.
func TestWriteAndCheckErrorsUnprivileged(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("not root: TestWriteAndCheckErrors covers the read-only cases itself")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("no setpriv to drop privileges with")
	}
	dir, err := os.MkdirTemp("", "atomicfile-nobody")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "atomicfile.test")
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", bin, "-test.run=^TestWriteAndCheckErrors$", "-test.v")
	cmd.Dir = os.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestWriteAndCheckErrors") {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
}
