package data

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"time"
)

// openContext opens path for reading. A FIFO is opened in a goroutine,
// because open(2) blocks until a writer comes; when ctx is done first, the
// open is unblocked by briefly opening the write end, and the error says
// the read was interrupted.
func openContext(ctx context.Context, path string) (*os.File, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("data: %s: %w", path, &interruptedError{context.Cause(ctx)})
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
		return f, nil
	}
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			return nil, fmt.Errorf("data: %w", o.err)
		}
		return o.f, nil
	case <-ctx.Done():
	}
	// Our reader may not be in open(2) yet, when a non-blocking writer
	// would find no reader (ENXIO): retry for up to a second.
	for range 100 {
		if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		select {
		case o := <-ch:
			if o.f != nil {
				o.f.Close()
			}
			return nil, fmt.Errorf("data: %s: %w", path, &interruptedError{context.Cause(ctx)})
		case <-time.After(10 * time.Millisecond):
		}
	}
	go func() { // give up waiting; close whatever the open brings
		if o := <-ch; o.f != nil {
			o.f.Close()
		}
	}()
	return nil, fmt.Errorf("data: %s: %w", path, &interruptedError{context.Cause(ctx)})
}
