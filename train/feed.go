package train

import "github.com/descent-ml/descent/data"

// feed serves the loop its training rows batch by batch: for each batch,
// the rows of it that this process holds (every row in a one-process run),
// in pieces that fit the engine, and the number of rows the whole batch
// has over all processes.
type feed interface {
	// epoch starts epoch e (0-based) at its batch b and returns the
	// number of batches in the epoch.
	epoch(e, b int) (int, error)
	// next calls f on each piece of this process's rows of the next batch,
	// never with 0 rows and not at all when this process holds none of
	// it, and returns the rows of the whole batch.
	next(f func(X, Y []float64, m int) error) (int, error)
	// close releases what the feed holds open (a streamed file).
	close() error
}

// objectiveFeed is the feed of an objective of the parameters alone: one
// step per epoch, with no rows.
type objectiveFeed struct{}

func (objectiveFeed) epoch(int, int) (int, error) { return 1, nil }

func (objectiveFeed) next(f func(X, Y []float64, m int) error) (int, error) {
	return 0, f(nil, nil, 0)
}

func (objectiveFeed) close() error { return nil }

// memFeed serves rows held in memory: d's rows [d.Lo, d.Lo+d.N) of the
// d.rows() that the seeded permutation of data.Batcher indexes. A batch's
// rows come in its order, as one piece. direct hands X and Y over as they
// are: a full batch in row order.
type memFeed struct {
	d       Data
	direct  bool
	batcher *data.Batcher
	batches [][]int
	b       int
	xb, yb  []float64
}

func newMemFeed(d Data, cfg Config, full, shuffle, direct bool) (*memFeed, error) {
	batcher, err := data.NewBatcher(d.rows(), cfg.BatchSize, shuffle, cfg.Seed)
	if err != nil {
		return nil, err
	}
	f := &memFeed{d: d, direct: direct, batcher: batcher}
	if !direct {
		b := max(cfg.BatchSize, 1)
		if full {
			b = d.rows()
		}
		b = min(b, d.N) // a rank holds at most its own rows of a batch
		f.xb, f.yb = make([]float64, b*d.D), make([]float64, b*d.T)
	}
	return f, nil
}

func (f *memFeed) epoch(e, b int) (int, error) {
	f.batches, f.b = f.batcher.EpochAt(e), b
	return len(f.batches), nil
}

func (f *memFeed) next(fn func(X, Y []float64, m int) error) (int, error) {
	idx := f.batches[f.b]
	f.b++
	d := &f.d
	if f.direct {
		if d.N == 0 {
			return d.rows(), nil
		}
		return d.rows(), fn(d.X, d.Y, d.N)
	}
	m := 0
	for _, i := range idx {
		if i -= d.Lo; i < 0 || i >= d.N {
			continue // another rank's row
		}
		copy(f.xb[m*d.D:(m+1)*d.D], d.X[i*d.D:(i+1)*d.D])
		copy(f.yb[m*d.T:(m+1)*d.T], d.Y[i*d.T:(i+1)*d.T])
		m++
	}
	if m == 0 {
		return len(idx), nil
	}
	return len(idx), fn(f.xb[:m*d.D], f.yb[:m*d.T], m)
}

func (f *memFeed) close() error { return nil }
