//go:build unix

package modelfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteFileFollowsLinksAndKeepsModes: a link's target is
// replaced and the link kept; an existing file keeps its mode; a new one
// gets 0666 minus the umask (issue 8, item 5).
func TestWriteFileFollowsLinksAndKeepsModes(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "model.json")
	if err := os.WriteFile(target, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("model.json", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file (%v)", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("the link's target holds %q, want \"new\"", b)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
		t.Errorf("the target's mode became %04o, want 0640", fi.Mode().Perm())
	}
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	fresh := filepath.Join(dir, "fresh.json")
	if err := WriteFile(fresh, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o644 {
		t.Errorf("a new file has mode %04o, want 0644 (0666 minus the umask 022)", fi.Mode().Perm())
	}
	err := WriteFile(filepath.Join(dir, "nope", "x.json"), []byte("x"))
	want := "modelfile: writing " + filepath.Join(dir, "nope", "x.json") + ": directory " + filepath.Join(dir, "nope") + " does not exist"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), "tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}
