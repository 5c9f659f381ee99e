package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// bufSize is the buffer between write and the file.
const bufSize = 64 << 10

// WriteFile writes b to path by the package's rules; see Write.
func WriteFile(path string, b []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// Write streams what write writes to path, by the package's rules: a
// regular file (new or existing, reached directly or through symbolic
// links) is replaced atomically through a synced temporary file in its own
// directory, keeping an existing file's permission bits; "-", a character
// device, a FIFO and a descriptor of this process (/dev/stdout, /dev/fd/N)
// are written directly. The writer given to write is buffered. If write
// returns an error, or anything fails, the temporary file is removed, the
// old file is left untouched, and the error is returned.
func Write(path string, write func(w io.Writer) error) error {
	if path == "-" {
		return direct(os.Stdout, write)
	}
	if path == "" {
		return errors.New("empty path")
	}
	d, err := resolve(path)
	if err != nil {
		return err
	}
	if d.fd >= 0 {
		return writeFD(d, write)
	}
	if d.info != nil {
		if err := kind(d); err != nil {
			return err
		}
		if !d.info.Mode().IsRegular() { // a character device or a FIFO
			f, err := os.OpenFile(d.path, os.O_WRONLY, 0)
			if err != nil {
				return fmt.Errorf("%s%w", d.prefix(), cause(err))
			}
			err = direct(f, write)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			return err
		}
	}
	return replace(d, write)
}

// kind refuses what cannot be written: a directory, a block device, a
// socket. Character devices, FIFOs and regular files pass.
func kind(d dest) error {
	m := d.info.Mode()
	switch {
	case m.IsDir():
		return fmt.Errorf("%sis a directory", d.prefix())
	case m.IsRegular(), m&os.ModeNamedPipe != 0, m&os.ModeCharDevice != 0:
		return nil
	case m&os.ModeDevice != 0:
		return fmt.Errorf("%sis a block device; refusing to write a file onto it", d.prefix())
	case m&os.ModeSocket != 0:
		return fmt.Errorf("%sis a socket, not a file", d.prefix())
	}
	return fmt.Errorf("%sis not a regular file, device or FIFO (mode %v)", d.prefix(), m)
}

// direct writes through a buffer straight to w.
func direct(w io.Writer, write func(io.Writer) error) error {
	bw := bufio.NewWriterSize(w, bufSize)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// writeFD writes directly to a descriptor of this process, through a
// duplicate so that it stays open, at its own offset and flags.
func writeFD(d dest, write func(io.Writer) error) error {
	switch d.fd {
	case 1:
		return direct(os.Stdout, write)
	case 2:
		return direct(os.Stderr, write)
	}
	f, err := dup(d.fd, d.path)
	if err != nil {
		return err
	}
	err = direct(f, write)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// replace writes a temporary file beside d.path and renames it over d.path.
func replace(d dest, write func(io.Writer) error) error {
	dir, base := filepath.Split(d.path)
	if dir == "" {
		dir = "."
	}
	if err := checkDir(d, dir); err != nil {
		return err
	}
	if d.info != nil {
		if err := writable(d.path); err != nil {
			return fmt.Errorf("%sfile is not writable: %w", d.prefix(), err)
		}
	}
	removeStale(dir, base)
	perm := os.FileMode(0o666) // the umask applies, as for a new file from a shell
	if d.info != nil {
		perm = 0o600 // private until it gets the old file's mode
	}
	f, err := createTemp(dir, base, perm)
	if err != nil {
		return fmt.Errorf("%sdirectory %s is not writable: %w", d.prefix(), filepath.Clean(dir), cause(err))
	}
	tmp, renamed := f.Name(), false
	defer func() { // also when write panics
		if !renamed {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if d.info != nil {
		if err = keepOwner(f, d.info); err != nil {
			return fmt.Errorf("%s%w", d.prefix(), err)
		}
	}
	bw := bufio.NewWriterSize(f, bufSize)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("%swriting %s: %w", d.prefix(), tmp, cause(err))
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("%ssyncing %s: %w", d.prefix(), tmp, cause(err))
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("%swriting %s: %w", d.prefix(), tmp, cause(err))
	}
	if err = os.Rename(tmp, d.path); err != nil {
		return fmt.Errorf("%scannot replace the file: %w", d.prefix(), cause(err))
	}
	renamed = true
	syncDir(dir)
	return nil
}

// keepOwner gives the temporary file the old file's permission bits and,
// where this process may, its owner and group.
func keepOwner(f *os.File, old os.FileInfo) error {
	chown(f, old) // first: a chown clears the set-id bits
	if err := f.Chmod(old.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)); err != nil {
		return fmt.Errorf("cannot set the mode of the temporary file: %w", cause(err))
	}
	return nil
}

// syncDir makes a rename in dir durable. A directory that cannot be
// synced (some file systems refuse) is not an error.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
