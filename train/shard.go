package train

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/graph"
)

// This file is the data-parallel side of the loop (Horovod's pattern, see
// package dist): each process holds some of the rows, sums the loss and the
// gradient over its rows of each batch, and one allreduce of
// [gradient sums…, loss sum, rows, stop] gives every process the batch's
// mean, so that every process takes the same step. A streamed set whose
// batch is larger than one piece takes the same path in one process: the
// sums then run over pieces.

// rows is the number of rows of the whole set, over all processes.
func (d *Data) rows() int {
	if d.Total == 0 {
		return d.N
	}
	return d.Total
}

// checkShard checks a set's place among the processes' sets.
func (d *Data) checkShard(what string, size int) error {
	switch {
	case d.Lo < 0 || d.Total < 0:
		return fmt.Errorf("train: the %s set's shard starts at row %d of %d; both must be >= 0", what, d.Lo, d.Total)
	case d.Total > 0 && (d.N > d.Total || d.Lo > d.Total-d.N):
		return fmt.Errorf("train: the %s set's shard holds rows [%d, %d), outside the %d rows of the whole set", what, d.Lo, d.Lo+d.N, d.Total)
	case size == 1 && d.Total > 0 && d.N != d.Total:
		return fmt.Errorf("train: the %s set holds %d of %d rows, but the run has one process (set Config.Comm for a data-parallel run)", what, d.N, d.Total)
	case d.Source != nil && (d.X != nil || d.Y != nil):
		return fmt.Errorf("train: the %s set is streamed (Source) and must not hold X or Y too", what)
	}
	return nil
}

// checkParallel refuses a model whose batches cannot be split: one that
// computes statistics across the rows of a batch (batch norm, dropout's
// masks) or holds buffers that training updates, or a loss that is not a
// mean over rows, because the split batch would change what it computes.
// Synchronizing batch statistics across ranks is not implemented.
func checkParallel(e *graph.Engine, why string) error {
	spec := e.Spec()
	switch {
	case !spec.HasData():
		return fmt.Errorf("train: an objective of the parameters alone has no rows to split %s", why)
	case e.Batchwise() || len(e.Buffers()) > 0:
		return fmt.Errorf("train: the model computes statistics over the rows of a batch (batch norm or dropout), which %s would split; train it in one process, in memory", why)
	case !spec.RowMean:
		return fmt.Errorf("train: the loss is not a mean over rows (it has a penalty term), so %s cannot sum it over rows; train it in one process, in memory", why)
	}
	return nil
}

// world is the run's communicator and the buffer it reduces.
type world struct {
	comm  dist.Comm // nil: one process
	names []string  // parameter names, in the order every rank packs them
	sum   []float64 // [gradient sums…, loss sum, rows, stop]
	grads int       // gradient values: sum's length less 3
}

func newWorld(comm dist.Comm, e *graph.Engine) *world {
	w := &world{comm: comm}
	for _, p := range e.Spec().Params {
		w.names = append(w.names, p.Name)
		w.grads += p.Size()
	}
	w.sum = make([]float64, w.grads+3)
	return w
}

// reduce sums buf over the processes.
func (w *world) reduce(buf []float64) error {
	if w.comm == nil {
		return nil
	}
	return w.comm.AllreduceSum64(buf)
}

// counts gathers every process's n into a slice indexed by rank.
func (w *world) counts(n int, comm dist.Comm) ([]int, error) {
	if comm == nil || comm.Size() == 1 {
		return []int{n}, nil
	}
	buf := make([]float64, comm.Size())
	buf[comm.Rank()] = float64(n)
	if err := comm.AllreduceSum64(buf); err != nil {
		return nil, err
	}
	out := make([]int, len(buf))
	for q, v := range buf {
		out[q] = int(v)
	}
	return out, nil
}

// rankOf is this process's rank: 0 without a communicator.
func rankOf(c dist.Comm) int {
	if c == nil {
		return 0
	}
	return c.Rank()
}

// broadcast gives every process rank 0's parameters (rule 2 of package
// dist), so that replicas start equal whatever their seeds did.
func (w *world) broadcast(e *graph.Engine) error {
	if w.comm == nil {
		return nil
	}
	// A float32 engine's parameters travel widened, exactly, and are
	// rounded back, exactly.
	buf := make([]float64, 0, w.grads)
	for _, n := range w.names {
		buf = append(buf, e.Params()[n]...)
	}
	if err := w.comm.Bcast64(buf, 0); err != nil {
		return err
	}
	set := make(map[string][]float64, len(w.names))
	for i, n := range w.names { // newWorld's order: Spec().Params
		k := e.Spec().Params[i].Size()
		set[n], buf = buf[:k], buf[k:]
	}
	return e.SetParams(set)
}

// sumStep runs the engine on each piece of this process's rows of the next
// batch, adds m·loss and m·gradient over the pieces, reduces the sums, the
// row counts and the stop flags over the processes, and leaves the batch's
// mean gradient in the engine's Grads. It returns the batch's mean loss,
// its rows, and whether some process asked to stop (then no step counts).
// The engine's step count advances by one on every process, whatever
// number of pieces each ran.
func (r *loop) sumStep(stop bool) (loss float64, rows int, stopped bool, err error) {
	w := r.w
	clear(w.sum)
	steps := r.e.Steps()
	rows, err = r.feed.next(func(X, Y []float64, m int) error {
		l, err := r.e.Step(X, Y, m)
		if err != nil {
			return err
		}
		k := float64(m)
		s := r.v.addGrads(w.names, w.sum, k)
		s[0] += k * l
		s[1] += k
		return nil
	})
	if err != nil {
		return 0, 0, false, err
	}
	if stop {
		w.sum[w.grads+2] = 1
	}
	if err := w.reduce(w.sum); err != nil {
		return 0, 0, false, err
	}
	if err := r.e.SetSteps(steps + 1); err != nil {
		return 0, 0, false, err
	}
	if w.sum[w.grads+2] > 0 {
		r.e.SetSteps(steps)
		return 0, rows, true, nil
	}
	n := w.sum[w.grads+1]
	if n != float64(rows) {
		return 0, 0, false, fmt.Errorf("train: the processes hold %v rows of a batch of %d; their shards overlap or miss rows", n, rows)
	}
	s := r.v.setGrads(w.names, w.sum, n)
	return s[0] / n, rows, false, nil
}

// eval is the loss of the current parameters on all of d's rows, over
// every process, in evaluation mode, and with acc their accuracy (NaN
// without): the engine's mean on d itself in a one-process run in memory,
// and otherwise Σ m·loss / Σ m over the pieces and processes, one pass
// over a streamed set giving both.
func (r *loop) eval(d *Data, acc bool) (loss, accuracy float64, err error) {
	accuracy = math.NaN()
	if !r.shared && d.Source == nil {
		if loss, err = r.e.Loss(d.X, d.Y, d.N); err != nil || !acc {
			return loss, accuracy, err
		}
		accuracy, err = accuracyOf(r.e, d)
		return loss, accuracy, err
	}
	var s [3]float64 // Σ m·loss, Σ m, correct
	var pred []float64
	err = d.Each(func(X, Y, labels []float64, m int) error {
		l, err := r.e.Loss(X, Y, m)
		if err != nil {
			return err
		}
		s[0] += float64(m) * l
		s[1] += float64(m)
		if !acc {
			return nil
		}
		if pred, err = r.e.Predict(X, m, grow(pred, m*r.e.Outputs())); err != nil {
			return err
		}
		for i, c := range Classify(pred, d.Classes) {
			if float64(c) == labels[i] {
				s[2]++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	if err := r.w.reduce(s[:]); err != nil {
		return 0, 0, err
	}
	if acc {
		accuracy = s[2] / s[1]
	}
	return s[0] / s[1], accuracy, nil
}

// Each calls f on pieces of this process's rows of d, with their class
// labels when d has some: all of X in one piece when d is in memory (none
// when it holds no rows), and pieces of a pass in file order, of at most
// PieceBytes, when it is streamed, whose labels come from the encoded
// targets (LabelsOf).
func (d *Data) Each(f func(X, Y, labels []float64, m int) error) error {
	if d.Source == nil {
		if d.N == 0 {
			return nil
		}
		return f(d.X, d.Y, d.Labels, d.N)
	}
	rd, err := d.Source.Pass(-1, false)
	if err != nil {
		return err
	}
	defer rd.Close()
	k := pieceRows(d.D, d.T)
	X, Y := make([]float64, k*d.D), make([]float64, k*d.T)
	var labels []float64
	seen := 0
	for {
		m, err := rd.Read(X, Y)
		if m > 0 {
			seen += m
			if d.Classes > 0 {
				labels = LabelsOf(grow(labels, m), Y[:m*d.T], d.T)
			}
			if err := f(X[:m*d.D], Y[:m*d.T], labels, m); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if m == 0 {
			return io.ErrNoProgress
		}
	}
	if seen != d.N {
		return fmt.Errorf("train: a pass read %d rows where this process has %d (was the file changed during training?)", seen, d.N)
	}
	return nil
}

// LabelsOf writes into labels the class of each of the len(labels)
// encoded target rows of Y (t values each): the target itself for one
// value (a 0/1 label for bce), the position of the largest value for a
// one-hot row.
func LabelsOf(labels, Y []float64, t int) []float64 {
	for i := range labels {
		if t == 1 {
			labels[i] = Y[i]
			continue
		}
		row, c := Y[i*t:i*t+t], 0
		for j, v := range row {
			if v > row[c] {
				c = j
			}
		}
		labels[i] = float64(c)
	}
	return labels
}

func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}
