package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// StaleAfter is the age past which a temporary file is removed even when
// its owning process seems to be alive (its pid may have been reused).
const StaleAfter = 24 * time.Hour

// maxBase bounds the part of the target's name copied into a temporary
// file's name, so that the name stays within NAME_MAX.
const maxBase = 128

// tempMarker separates the target's name from the owner's pid.
const tempMarker = ".descent-tmp-"

// tempPrefix is the name every temporary file for target base starts with:
// ".<base>.descent-tmp-".
func tempPrefix(base string) string {
	if len(base) > maxBase {
		base = base[:maxBase]
	}
	return "." + base + tempMarker
}

// IsTemp reports whether name (a base name) is one of this package's
// temporary files.
func IsTemp(name string) bool {
	_, ok := tempOwner(name)
	return ok
}

// tempOwner returns the pid in a temporary file's name
// ".<base>.descent-tmp-<pid>-<random>".
func tempOwner(name string) (int, bool) {
	i := strings.LastIndex(name, tempMarker)
	if !strings.HasPrefix(name, ".") || i < 1 {
		return 0, false
	}
	pid, rnd, ok := strings.Cut(name[i+len(tempMarker):], "-")
	n, err := strconv.Atoi(pid)
	if !ok || err != nil || n <= 0 || rnd == "" {
		return 0, false
	}
	return n, true
}

// createTemp creates a new temporary file for target base in dir with
// permission bits perm (the umask applies).
func createTemp(dir, base string, perm os.FileMode) (*os.File, error) {
	prefix := filepath.Join(dir, tempPrefix(base)) + strconv.Itoa(os.Getpid()) + "-"
	for range 100 {
		name := prefix + strconv.FormatUint(rand.Uint64(), 36)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("cannot find an unused temporary name in %s", dir)
}

// removeStale removes the temporary files for target base in dir that a
// killed process left behind: those whose owner is no longer running, and
// any older than StaleAfter. A concurrent writer's file is left alone.
// Errors are ignored: this is housekeeping.
func removeStale(dir, base string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix, self := tempPrefix(base), os.Getpid()
	for _, e := range ents {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || !e.Type().IsRegular() {
			continue
		}
		pid, ok := tempOwner(name)
		if !ok || strings.Contains(name[len(prefix):], tempMarker) {
			continue
		}
		stale := pid != self && !alive(pid)
		if !stale {
			if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > StaleAfter {
				stale = true
			}
		}
		if stale {
			os.Remove(filepath.Join(dir, name))
		}
	}
}
