package dist_test

import (
	"fmt"
	"sync"
	"time"

	"github.com/descent-ml/descent/dist"
)

// Init and Finalize bracket a program that `mpirun -np N` may start; run
// alone (or built without -tags mpi) it is rank 0 of 1.
func ExampleInit() {
	c, err := dist.Init()
	if err != nil {
		fmt.Println(err) // e.g. launched by mpirun but built without -tags mpi
		return
	}
	defer dist.Finalize()
	grad := []float64{0.5, -1, 2}
	if err := c.AllreduceSum64(grad); err != nil {
		c.Abort(1, err.Error()) // prints "rank R: …" and stops every rank
	}
	if c.Rank() == 0 { // only rank 0 prints
		fmt.Printf("rank %d of %d: %v\n", c.Rank(), c.Size(), grad)
	}
	// Output: rank 0 of 1: [0.5 -1 2]
}

// Detect tells, before MPI starts, whether a launcher started the process.
func ExampleDetect() {
	l, err := dist.Detect()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Launched(), l)
	// Output: false rank 0 of 1 (not launched by MPI)
}

// WithTimeout guards every collective: one that hangs for longer than the
// limit aborts the world with exit status dist.ExitTimeout.
func ExampleWithTimeout() {
	c, err := dist.WithTimeout(dist.Local{}, 5*time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}
	buf := []float32{1, 2}
	fmt.Println(c.AllreduceSum32(buf), buf)
	_, err = dist.WithTimeout(dist.Local{}, 0)
	fmt.Println(err)
	// Output:
	// <nil> [1 2]
	// dist: timeout must be > 0, got 0s
}

// Local is the one-rank world: sums and broadcasts leave buffers as they are.
func ExampleLocal() {
	var c dist.Comm = dist.Local{}
	buf := []float64{3, 4}
	fmt.Println(c.Rank(), c.Size(), c.AllreduceSum64(buf), c.Bcast64(buf, 0), buf)
	fmt.Println(c.Bcast64(buf, 1))
	// Output:
	// 0 1 <nil> <nil> [3 4]
	// dist: Bcast64 root must be in [0,1), got 1
}

// NewGroup runs Horovod's pattern with two in-process ranks: rank 0's
// initial weight is broadcast; each rank sums the gradient and loss of
// ½(w·x − y)² over its own rows and counts them; one allreduce adds the
// sums and counts; each rank divides and takes the same SGD step. Both
// ranks end where one process ends on all five rows, near the least-squares
// w* = Σxy/Σx² = 109.7/55 = 1.994545.
func ExampleNewGroup() {
	x := []float64{1, 2, 3, 4, 5}
	y := []float64{2, 4.1, 5.9, 8.2, 9.8}
	shards := [][]int{{0, 1, 2}, {3, 4}} // the rows each rank holds
	const lr, steps = 0.02, 50

	// step takes one full-batch step over rows on every rank of c.
	step := func(c dist.Comm, w float64, rows []int) (float64, float64, error) {
		var g, loss float64
		for _, i := range rows {
			r := w*x[i] - y[i]
			g += r * x[i]
			loss += r * r / 2
		}
		sums := []float64{g, loss, float64(len(rows))}
		if err := c.AllreduceSum64(sums); err != nil {
			return 0, 0, err
		}
		return w - lr*sums[0]/sums[2], sums[1] / sums[2], nil
	}

	// One process, all rows.
	w1 := 0.0
	for range steps {
		w1, _, _ = step(dist.Local{}, w1, []int{0, 1, 2, 3, 4})
	}

	comms, err := dist.NewGroup(2)
	if err != nil {
		fmt.Println(err)
		return
	}
	final := make([]float64, 2)
	var wg sync.WaitGroup
	for r, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := []float64{float64(r) * 100}        // a rank-dependent start…
			if err := c.Bcast64(w, 0); err != nil { // …replaced by rank 0's
				c.Abort(1, err.Error())
			}
			var loss float64
			var err error
			for range steps {
				if w[0], loss, err = step(c, w[0], shards[r]); err != nil {
					c.Abort(1, err.Error())
				}
			}
			final[r] = w[0]
			if r == 0 {
				fmt.Printf("data-parallel on %d ranks: w = %.6f, loss %.6f\n", c.Size(), w[0], loss)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("one process:            w = %.6f\n", w1)
	fmt.Println("ranks agree:", final[0] == final[1])
	// Output:
	// data-parallel on 2 ranks: w = 1.994537, loss 0.009836
	// one process:            w = 1.994537
	// ranks agree: true
}
