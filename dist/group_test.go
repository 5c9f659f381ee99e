package dist

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// onRanks runs f(rank's Comm) on one goroutine per rank of a new group of
// n and returns each rank's error.
func onRanks(t *testing.T, n int, f func(c Comm) error) []error {
	t.Helper()
	comms, err := NewGroup(n)
	if err != nil {
		t.Fatal(err)
	}
	return onComms(comms, f)
}

// onComms runs f on one goroutine per Comm and returns each one's error;
// a goroutine that Abort ends reports errAborted.
func onComms(comms []Comm, f func(c Comm) error) []error {
	errs := make([]error, len(comms))
	var wg sync.WaitGroup
	for r, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[r] = errAborted
			errs[r] = f(c)
		}()
	}
	wg.Wait()
	return errs
}

var errAborted = fmt.Errorf("goroutine ended by Abort")

func TestNewGroupSize(t *testing.T) {
	for _, n := range []int{0, -1, maxGroup + 1} {
		if _, err := NewGroup(n); err == nil || err.Error() != fmt.Sprintf("dist: group size must be in [1,4096], got %d", n) {
			t.Errorf("NewGroup(%d): %v", n, err)
		}
	}
}

// value is rank r's non-integer element i.
func value(r, i int) float64 { return math.Sin(float64(100*r+i)) / float64(i+1) }

func TestGroupSums(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			const m = 257
			errs := onRanks(t, n, func(c Comm) error {
				if c.Size() != n {
					return fmt.Errorf("size %d", c.Size())
				}
				for step := range 3 { // buffers and scratch are reused across calls
					b64 := make([]float64, m)
					b32 := make([]float32, m)
					for i := range b64 {
						b64[i] = value(c.Rank(), i+step)
						b32[i] = float32(value(c.Rank(), i+step))
					}
					if err := c.AllreduceSum64(b64); err != nil {
						return err
					}
					if err := c.AllreduceSum32(b32); err != nil {
						return err
					}
					for i := range b64 {
						want64, want32 := value(0, i+step), float32(value(0, i+step))
						for r := 1; r < n; r++ {
							want64 += value(r, i+step)
							want32 += float32(value(r, i+step))
						}
						if b64[i] != want64 || b32[i] != want32 {
							return fmt.Errorf("step %d element %d: %v, %v; want the rank-order sums %v, %v", step, i, b64[i], b32[i], want64, want32)
						}
					}
				}
				return nil
			})
			for r, err := range errs {
				if err != nil {
					t.Errorf("rank %d: %v", r, err)
				}
			}
		})
	}
}

func TestGroupBcast(t *testing.T) {
	const n = 3
	errs := onRanks(t, n, func(c Comm) error {
		for root := range n {
			b64, b32 := make([]float64, 10), make([]float32, 10)
			for i := range b64 {
				b64[i], b32[i] = float64(c.Rank()), float32(c.Rank())
			}
			if err := c.Bcast64(b64, root); err != nil {
				return err
			}
			if err := c.Bcast32(b32, root); err != nil {
				return err
			}
			for i := range b64 {
				if b64[i] != float64(root) || b32[i] != float32(root) {
					return fmt.Errorf("root %d: element %d is %v, %v", root, i, b64[i], b32[i])
				}
			}
		}
		return nil
	})
	for r, err := range errs {
		if err != nil {
			t.Errorf("rank %d: %v", r, err)
		}
	}
}

func TestGroupBarrier(t *testing.T) {
	const n = 4
	var arrived atomic.Int32
	errs := onRanks(t, n, func(c Comm) error {
		for round := range 5 {
			arrived.Add(1)
			if err := c.Barrier(); err != nil {
				return err
			}
			if got := arrived.Load(); got < int32(n*(round+1)) {
				return fmt.Errorf("round %d: released with %d arrivals", round, got)
			}
			if err := c.Barrier(); err != nil { // nobody starts the next round early
				return err
			}
		}
		return nil
	})
	for r, err := range errs {
		if err != nil {
			t.Errorf("rank %d: %v", r, err)
		}
	}
}

// TestGroupMismatch: calls that MPI would hang or corrupt on fail on every
// rank with an error naming the difference.
func TestGroupMismatch(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(c Comm) error
		want string
	}{
		{"length", func(c Comm) error { return c.AllreduceSum64(make([]float64, 3+c.Rank())) },
			"dist: collectives do not match: rank 0 called AllreduceSum64 on 3 values (root 0), rank 1 called AllreduceSum64 on 4 values (root 0)"},
		{"collective", func(c Comm) error {
			if c.Rank() == 0 {
				return c.Barrier()
			}
			return c.AllreduceSum32(nil)
		}, "rank 0 called Barrier on 0 values (root 0), rank 1 called AllreduceSum32 on 0 values (root 0)"},
		{"root", func(c Comm) error { return c.Bcast64(make([]float64, 2), c.Rank()) }, "(root 1)"},
		{"root out of range", func(c Comm) error { return c.Bcast32(make([]float32, 2), 2) }, "dist: Bcast32 root must be in [0,2), got 2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for r, err := range onRanks(t, 2, c.f) {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("rank %d: %v, want an error containing %q", r, err, c.want)
				}
			}
		})
	}
}

func TestGroupAbort(t *testing.T) {
	const n = 3
	errs := onRanks(t, n, func(c Comm) error {
		if c.Rank() == 1 {
			c.Abort(7, "dist: injected")
			return fmt.Errorf("Abort returned")
		}
		if err := c.AllreduceSum64(make([]float64, 4)); err == nil {
			return fmt.Errorf("AllreduceSum64 succeeded in an aborted world")
		} else if err.Error() != "dist: rank 1 aborted with code 7: dist: injected" {
			return err
		}
		return c.Barrier() // later calls fail too
	})
	for r, err := range errs {
		want := "dist: rank 1 aborted with code 7: dist: injected"
		if r == 1 {
			want = errAborted.Error()
		}
		if err == nil || err.Error() != want {
			t.Errorf("rank %d: %v, want %q", r, err, want)
		}
	}
}
