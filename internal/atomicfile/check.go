package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Check reports whether path can be written by Write, before a long run
// whose results would otherwise be lost at the end: "-" and this process's
// descriptors (/dev/stdout) pass; a character device or FIFO must be
// writable; otherwise the path, after following symbolic links, must not
// be a directory, an existing file must be writable, and its directory must
// exist and accept new files (a probe temporary file is created and
// removed). Errors read well after "--out PATH: ", e.g.
//
//	directory /nope does not exist
//	symlink target /data/m.json: directory /data is not writable: permission denied
//	is a directory
func Check(path string) error {
	if path == "-" {
		return nil
	}
	if path == "" {
		return errors.New("empty path")
	}
	d, err := resolve(path)
	if err != nil || d.fd >= 0 {
		return err
	}
	if d.info != nil {
		if err := kind(d); err != nil {
			return err
		}
		if err := writable(d.path); err != nil {
			return fmt.Errorf("%sfile is not writable: %w", d.prefix(), err)
		}
		if !d.info.Mode().IsRegular() {
			return nil
		}
	}
	dir, base := filepath.Split(d.path)
	if dir == "" {
		dir = "."
	}
	if err := checkDir(d, dir); err != nil {
		return err
	}
	f, err := createTemp(dir, base, 0o600)
	if err != nil {
		return fmt.Errorf("%sdirectory %s is not writable: %w", d.prefix(), filepath.Clean(dir), cause(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// checkDir reports a missing directory, or one that is not a directory.
func checkDir(d dest, dir string) error {
	dir = filepath.Clean(dir) // "file/" would say ENOTDIR for a file
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("%sdirectory %s does not exist", d.prefix(), dir)
	case err != nil:
		return fmt.Errorf("%scannot access directory %s: %w", d.prefix(), dir, cause(err))
	case !fi.IsDir():
		return fmt.Errorf("%s%s is not a directory", d.prefix(), dir)
	}
	return nil
}
