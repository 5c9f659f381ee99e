//go:build unix

package plot

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSaveFollowsSymlinkAndKeepsMode: saving to a link replaces the link's
// target, not the link; the target keeps its mode; a new file gets 0666
// minus the umask (issue 8, item 5).
func TestSaveFollowsSymlinkAndKeepsMode(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	target := filepath.Join(other, "real.png")
	if err := os.WriteFile(target, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.png")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := Save(simplePlot(t), link, 100, 100); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by a file (%v)", err)
	}
	checkPNG(t, target)
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
		t.Errorf("the target's mode became %04o, want 0640", fi.Mode().Perm())
	}
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	fresh := filepath.Join(dir, "fresh.svg")
	if err := Save(simplePlot(t), fresh, 100, 100); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o640 {
		t.Errorf("a new file has mode %04o, want 0640 (0666 minus the umask 027)", fi.Mode().Perm())
	}
	assertNoTempFiles(t, dir)
	assertNoTempFiles(t, other)
}
