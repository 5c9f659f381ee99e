package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// maxLinks bounds a chain of symbolic links, as the kernel's ELOOP does.
const maxLinks = 40

// dest is where a path leads.
type dest struct {
	path string      // the final target, after following symbolic links
	info os.FileInfo // its Lstat; nil when it does not exist yet
	fd   int         // >= 0: an open descriptor of this process (/dev/stdout, /dev/fd/N)
	via  bool        // path was reached through a symbolic link
}

// prefix is "symlink target T: " when d was reached through a link, so that
// an error names the file it is about.
func (d dest) prefix() string {
	if d.via {
		return "symlink target " + d.path + ": "
	}
	return ""
}

// resolve follows path through any chain of symbolic links to the file a
// write would reach. A link into /proc/self/fd or /dev/fd (such as
// /dev/stdout) stops at the descriptor, which is written as it is open.
func resolve(path string) (dest, error) {
	d := dest{path: path, fd: -1}
	for range maxLinks {
		if fd, ok := ownFD(d.path); ok {
			d.fd = fd
			return d, nil
		}
		fi, err := os.Lstat(d.path)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return d, nil // the directory check reports a missing directory
		}
		if err != nil {
			return d, fmt.Errorf("%scannot access %s: %w", d.prefix(), d.path, cause(err))
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			d.info = fi
			return d, nil
		}
		link, err := os.Readlink(d.path)
		if err != nil {
			return d, fmt.Errorf("%scannot read symbolic link %s: %w", d.prefix(), d.path, cause(err))
		}
		if !filepath.IsAbs(link) {
			// Relative to the link's real directory: "a/../b" must not be
			// shortened lexically when a is itself a link.
			dir := filepath.Dir(d.path)
			if real, err := filepath.EvalSymlinks(dir); err == nil {
				dir = real
			}
			link = filepath.Join(dir, link)
		}
		d.path, d.via = link, true
	}
	return d, fmt.Errorf("%s: too many levels of symbolic links", path)
}

// ownFD reports whether path names one of this process's open descriptors:
// /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N, /proc/<our pid>/fd/N.
func ownFD(path string) (int, bool) {
	switch path {
	case "/dev/stdout":
		return 1, true
	case "/dev/stderr":
		return 2, true
	}
	var rest string
	ok := false
	for _, dir := range []string{"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", "/proc/" + strconv.Itoa(os.Getpid()) + "/fd/"} {
		if rest, ok = strings.CutPrefix(path, dir); ok {
			break
		}
	}
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 || rest != strconv.Itoa(n) {
		return 0, false
	}
	return n, true
}

// cause strips the operation and path from an *fs.PathError, which the
// messages here give themselves.
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
