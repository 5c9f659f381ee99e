//go:build unix

package data

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readCanceled runs ReadCSVContext on path, cancels it after 100 ms and
// checks that it returns an "interrupted" error within 5 s.
func readCanceled(t *testing.T, path string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ReadCSVContext(ctx, path, CSVOptions{})
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, "data: "+path+": reading interrupted: context canceled", err.Error())
	case <-time.After(5 * time.Second):
		t.Fatal("ReadCSVContext did not return within 5 s of the cancel")
	}
}

func mkfifo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pipe.csv")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	return path
}

// TestReadCSVContextFIFONoWriter: a FIFO nobody writes to blocks in open(2);
// Ctrl-C (a canceled context) must still end the read (issue 8, item 8).
func TestReadCSVContextFIFONoWriter(t *testing.T) {
	readCanceled(t, mkfifo(t))
}

// TestReadCSVContextFIFOStalledWriter: a writer that sends half a file and
// stalls leaves the reader blocked in read(2); cancel must end it.
func TestReadCSVContextFIFOStalledWriter(t *testing.T) {
	path := mkfifo(t)
	opened := make(chan *os.File, 1)
	go func() {
		w, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			opened <- nil
			return
		}
		io.WriteString(w, "x,y\n1,2\n3,")
		opened <- w
	}()
	readCanceled(t, path)
	if w := <-opened; w != nil {
		w.Close()
	}
}

// endless is an endless CSV: a header, then the row "1,2" forever.
type endless struct{ header bool }

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	if !e.header {
		n = copy(p, "x,y\n")
		e.header = true
	}
	for n+4 <= len(p) {
		n += copy(p[n:], "1,2\n")
	}
	return n, nil
}

// TestParseCSVContextStopsParsing: a long parse stops soon after cancel.
func TestParseCSVContextStopsParsing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := ParseCSVContext(ctx, &endless{}, "big.csv", CSVOptions{})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.EqualError(t, err, "data: big.csv: reading interrupted: context deadline exceeded")
}

// TestReadCSVContextAlreadyCanceled reads nothing.
func TestReadCSVContextAlreadyCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ReadCSVContext(ctx, "testdata/houses.csv", CSVOptions{})
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	ds, err := ReadCSVContext(context.Background(), "testdata/houses.csv", CSVOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, ds.N)
}
