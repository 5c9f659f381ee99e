package dist

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestWithTimeoutInput(t *testing.T) {
	for _, c := range []struct {
		comm Comm
		d    time.Duration
		want string
	}{
		{nil, time.Second, "dist: WithTimeout needs a Comm, got nil"},
		{Local{}, 0, "dist: timeout must be > 0, got 0s"},
		{Local{}, -time.Millisecond, "dist: timeout must be > 0, got -1ms"},
	} {
		if _, err := WithTimeout(c.comm, c.d); err == nil || err.Error() != c.want {
			t.Errorf("WithTimeout(%v, %v): %v, want %q", c.comm, c.d, err, c.want)
		}
	}
}

// TestWithTimeoutHealthy: calls that finish in time pass through, and
// leave no timer running.
func TestWithTimeoutHealthy(t *testing.T) {
	errs := onRanks(t, 2, func(c Comm) error {
		w, err := WithTimeout(c, time.Minute)
		if err != nil {
			return err
		}
		buf := []float64{float64(c.Rank() + 1)}
		b32 := []float32{1}
		if err := errors.Join(w.AllreduceSum64(buf), w.AllreduceSum32(b32), w.Bcast64(buf, 1), w.Bcast32(b32, 0), w.Barrier()); err != nil {
			return err
		}
		if buf[0] != 3 || b32[0] != 2 || w.Rank() != c.Rank() || w.Size() != 2 {
			return fmt.Errorf("got %v, %v", buf, b32)
		}
		if w.(*watchdog).timer.Stop() {
			return fmt.Errorf("the watchdog's timer still runs after the calls returned")
		}
		return nil
	})
	for r, err := range errs {
		if err != nil {
			t.Errorf("rank %d: %v", r, err)
		}
	}
}

// TestWithTimeoutHang: rank 1 never joins; rank 0's watchdog aborts the
// world with a message naming the call and the limit.
func TestWithTimeoutHang(t *testing.T) {
	comms, err := NewGroup(2)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	start := time.Now()
	errs := onComms(comms, func(c Comm) error {
		if c.Rank() == 1 {
			<-release // hung, until rank 0 has given up
			return c.Barrier()
		}
		defer close(release)
		w, err := WithTimeout(c, 30*time.Millisecond)
		if err != nil {
			return err
		}
		return w.AllreduceSum64(make([]float64, 5))
	})
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("the watchdog took %v", elapsed)
	}
	want := "dist: rank 0 aborted with code 124: dist: AllreduceSum64 of 5 values did not finish within 30ms: another rank is hung, dead, or in a different collective"
	for r, err := range errs {
		if err == nil || err.Error() != want {
			t.Errorf("rank %d: %v, want %q", r, err, want)
		}
	}
}

func TestWithTimeoutBarrierMessage(t *testing.T) {
	comms, err := NewGroup(2)
	if err != nil {
		t.Fatal(err)
	}
	w, err := WithTimeout(comms[0], 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Barrier(); err == nil || !strings.Contains(err.Error(), ": dist: Barrier did not finish within 10ms") {
		t.Errorf("got %v", err)
	}
}

// TestWithTimeoutAllocs: a guarded call reuses one timer.
func TestWithTimeoutAllocs(t *testing.T) {
	w, err := WithTimeout(Local{}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]float64, 8)
	if n := testing.AllocsPerRun(100, func() { _ = w.AllreduceSum64(buf) }); n != 0 {
		t.Errorf("%v allocations per guarded call", n)
	}
}

func BenchmarkWithTimeout(b *testing.B) {
	w, err := WithTimeout(Local{}, time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]float64, 8)
	b.ReportAllocs()
	for b.Loop() {
		if err := w.AllreduceSum64(buf); err != nil {
			b.Fatal(err)
		}
	}
}
