//go:build unix

package atomicfile

import (
	"fmt"
	"os"
	"syscall"
)

// alive reports whether process pid may still be running: signal 0 is
// delivered, or refused for lack of permission.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}

// writable reports whether this process may write to path (access(2)).
func writable(path string) error {
	return syscall.Access(path, 2) // W_OK
}

// chown gives f the owner and group of old where this process may (only
// root may give a file away; a member may change its group). Failure is
// not an error: the file is then owned by whoever writes it, as with an
// editor's save.
func chown(f *os.File, old os.FileInfo) {
	if st, ok := old.Sys().(*syscall.Stat_t); ok {
		_ = f.Chown(int(st.Uid), int(st.Gid))
	}
}

// dup returns a new *os.File on a duplicate of this process's descriptor
// fd (same open file, offset and flags), for the caller to close.
func dup(fd int, name string) (*os.File, error) {
	nfd, err := syscall.Dup(fd)
	if err != nil {
		return nil, fmt.Errorf("%s: descriptor %d is not open: %w", name, fd, err)
	}
	return os.NewFile(uintptr(nfd), name), nil
}
