package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/descent-ml/descent/dist"
)

// collectives runs every check of a healthy world and returns the first
// failure.
func collectives(c dist.Comm) error {
	l, err := dist.Detect()
	if err != nil {
		return err
	}
	if !dist.Linked {
		return fmt.Errorf("built without -tags mpi")
	}
	if c.Rank() != l.Rank || c.Size() != l.Size {
		return fmt.Errorf("MPI says rank %d of %d, the launcher %v", c.Rank(), c.Size(), l)
	}
	w, err := dist.WithTimeout(c, 20*time.Second)
	if err != nil {
		return err
	}
	for _, check := range []struct {
		name string
		f    func(dist.Comm) error
	}{
		{"integer sums float64, 1 KB", func(c dist.Comm) error { return sum64(c, 128) }},
		{"integer sums float64, 2 MB", func(c dist.Comm) error { return sum64(c, 1<<18) }},
		{"integer sums float32, 256 KB", func(c dist.Comm) error { return sum32(c, 1<<16) }},
		{"bitwise equal sums", func(c dist.Comm) error { return agree(c, 10000) }},
		{"broadcasts", bcast},
		{"barrier", barrier},
		{"bad root, empty buffers", edges},
		{"Go's signal handlers", signals},
		{"watchdog, healthy", func(dist.Comm) error { return sum64(w, 1000) }},
	} {
		if err := check.f(c); err != nil {
			return fmt.Errorf("%s: %v", check.name, err)
		}
	}
	return nil
}

// sum64 checks AllreduceSum64 on n integers buf_r[i] = r·k + i, whose sum
// k·s(s−1)/2 + s·i is exact.
func sum64(c dist.Comm, n int) error {
	const k = 1_000_003
	r, s := float64(c.Rank()), float64(c.Size())
	buf := make([]float64, n)
	for i := range buf {
		buf[i] = r*k + float64(i)
	}
	if err := c.AllreduceSum64(buf); err != nil {
		return err
	}
	for i, v := range buf {
		if want := k*s*(s-1)/2 + s*float64(i); v != want {
			return fmt.Errorf("element %d of %d is %v, want %v", i, n, v, want)
		}
	}
	return nil
}

// sum32 checks AllreduceSum32 on n integers buf_r[i] = 1000·r + i mod 1000,
// small enough to sum exactly in float32.
func sum32(c dist.Comm, n int) error {
	r, s := float32(c.Rank()), float32(c.Size())
	buf := make([]float32, n)
	for i := range buf {
		buf[i] = 1000*r + float32(i%1000)
	}
	if err := c.AllreduceSum32(buf); err != nil {
		return err
	}
	for i, v := range buf {
		if want := 1000*s*(s-1)/2 + s*float32(i%1000); v != want {
			return fmt.Errorf("element %d of %d is %v, want %v", i, n, v, want)
		}
	}
	return nil
}

// term is rank r's i-th non-integer addend.
func term(r, i int) float64 { return math.Sin(float64(r*7919+i))*1e3 + 1/float64(i+1) }

// agree checks that a sum of non-integers is bitwise the same on every
// rank (rank 0's result, broadcast, equals each rank's own) and within
// 1e-12 relative of the serial sum.
func agree(c dist.Comm, n int) error {
	buf := make([]float64, n)
	for i := range buf {
		buf[i] = term(c.Rank(), i)
	}
	if err := c.AllreduceSum64(buf); err != nil {
		return err
	}
	root := append([]float64(nil), buf...)
	if err := c.Bcast64(root, 0); err != nil {
		return err
	}
	for i, v := range buf {
		if math.Float64bits(v) != math.Float64bits(root[i]) {
			return fmt.Errorf("element %d is %v here and %v on rank 0", i, v, root[i])
		}
		serial := 0.0
		for r := range c.Size() {
			serial += term(r, i)
		}
		if math.Abs(v-serial) > 1e-12*math.Abs(serial) {
			return fmt.Errorf("element %d is %v, the serial sum %v", i, v, serial)
		}
	}
	return nil
}

// bcast broadcasts from every root in turn, float64 and float32.
func bcast(c dist.Comm) error {
	for root := range c.Size() {
		b64 := make([]float64, 1000)
		b32 := make([]float32, 1000)
		for i := range b64 {
			b64[i], b32[i] = -1, -1
			if c.Rank() == root {
				b64[i], b32[i] = float64(root*10000+i), float32(root*10000+i)
			}
		}
		if err := c.Bcast64(b64, root); err != nil {
			return err
		}
		if err := c.Bcast32(b32, root); err != nil {
			return err
		}
		for i := range b64 {
			want := float64(root*10000 + i)
			if b64[i] != want || b32[i] != float32(want) {
				return fmt.Errorf("root %d: element %d is %v (float64), %v (float32), want %v", root, i, b64[i], b32[i], want)
			}
		}
	}
	return nil
}

// barrier checks that a barrier holds every rank until the last arrives:
// rank r arrives r·20 ms late, and every rank must leave after the last
// one's arrival. The ranks share one host and so one clock; each rank's
// times, in microseconds since 1970 (exact in float64), are gathered by
// summing vectors that are zero except at the rank's own index.
func barrier(c dist.Comm) error {
	if err := c.Barrier(); err != nil {
		return err
	}
	time.Sleep(time.Duration(c.Rank()) * 20 * time.Millisecond)
	s := c.Size()
	times := make([]float64, 2*s) // arrivals, then departures
	times[c.Rank()] = float64(time.Now().UnixMicro())
	if err := c.Barrier(); err != nil {
		return err
	}
	times[s+c.Rank()] = float64(time.Now().UnixMicro())
	if err := c.AllreduceSum64(times); err != nil {
		return err
	}
	last := slices.Max(times[:s])
	for r, left := range times[s:] {
		if left < last {
			return fmt.Errorf("rank %d left the barrier at %.0f µs, before the last arrival at %.0f µs", r, left, last)
		}
	}
	return nil
}

// edges checks the calls that do no communication: a root outside the
// world is an error on every rank, and empty buffers are no-ops.
func edges(c dist.Comm) error {
	err := c.Bcast64(make([]float64, 3), c.Size())
	if err == nil || !strings.Contains(err.Error(), "root must be in") {
		return fmt.Errorf("Bcast64 with root %d: got %v, want a root error", c.Size(), err)
	}
	if err := c.Bcast32(nil, -1); err == nil {
		return fmt.Errorf("Bcast32 with root -1: no error")
	}
	return errors.Join(c.AllreduceSum64(nil), c.AllreduceSum32(nil), c.Bcast64(nil, 0), c.Bcast32([]float32{}, 0))
}

// signals checks that MPI left Go's signal handlers in place: a nil
// pointer dereference still becomes a recoverable panic, not an MPI
// backtrace and abort.
func signals(dist.Comm) (err error) {
	defer func() {
		if recover() == nil {
			err = fmt.Errorf("nil dereference did not panic")
		}
	}()
	var p *int
	_ = *p
	return nil
}
