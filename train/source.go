package train

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
)

// Source is a set of rows read in passes instead of held in memory, such
// as a file that data.Stream reads. In a data-parallel run each process's
// Source reads only that process's rows.
type Source interface {
	// Pass opens a pass over this process's rows: in epoch e's order when
	// shuffle is set, which must be a pure function of a seed and e so that
	// a resumed run sees the same order, and in file order otherwise.
	Pass(e int, shuffle bool) (Reader, error)
}

// Reader reads the rows of one pass.
type Reader interface {
	// Read fills X with up to len(X)/D rows and Y with their len(Y)/T
	// targets (both room for the same number of rows) and returns how many
	// it read; at the end of the pass it returns 0 and io.EOF.
	Read(X, Y []float64) (int, error)
	// Close releases the pass.
	Close() error
}

// PieceBytes bounds the rows of a streamed set that go through the engine
// at once (16 MiB of float64 rows and targets); a larger batch is summed
// over several pieces before its step.
const PieceBytes = 16 << 20

// pieceBytes is PieceBytes, smaller in tests.
var pieceBytes = PieceBytes

// pieceRows is how many rows of D values and T targets fit in PieceBytes.
func pieceRows(d, t int) int { return max(1, pieceBytes/8/(d+t)) }

// streamFeed serves a streamed training set. Batch b of an epoch takes,
// from each rank q, the rows [share(q,b), share(q,b+1)) of q's pass in
// that epoch's order, where share(q,b) = min(n_q, ⌊b·B·n_q/N⌋) spreads
// the global batch of B rows over the ranks in proportion to their rows
// n_q (N = Σ n_q). With one process this is B consecutive rows of the
// pass. A batch larger than pieceRows reaches the engine in pieces.
type streamFeed struct {
	d       Data
	counts  []int // every rank's rows, by rank
	rank    int
	batch   int // rows per batch; the whole set for a full batch
	shuffle bool
	piece   int
	rd      Reader
	b, at   int // the next batch, and rows of this pass read so far
	xb, yb  []float64
}

func newStreamFeed(d Data, counts []int, rank, batch int, shuffle bool) *streamFeed {
	if batch == 0 {
		batch = d.rows()
	}
	f := &streamFeed{d: d, counts: counts, rank: rank, batch: batch, shuffle: shuffle}
	f.piece = min(batch, pieceRows(d.D, d.T))
	f.xb, f.yb = make([]float64, f.piece*d.D), make([]float64, f.piece*d.T)
	return f
}

// pieces is the most pieces a batch of this process's rows comes in.
func (f *streamFeed) pieces() int { return (f.batch + f.piece - 1) / f.piece }

// share is rank q's first row of batch b: min(n_q, ⌊b·B·n_q/N⌋), in
// 128-bit arithmetic so that no product overflows.
func (f *streamFeed) share(q, b int) int {
	n, total := f.counts[q], f.d.rows()
	hi, lo := bits.Mul64(uint64(b), uint64(f.batch))
	if hi != 0 {
		return n
	}
	hi, lo = bits.Mul64(lo, uint64(n))
	if hi >= uint64(total) {
		return n
	}
	s, _ := bits.Div64(hi, lo, uint64(total))
	return int(min(s, uint64(n)))
}

func (f *streamFeed) epoch(e, b int) (int, error) {
	if err := f.close(); err != nil {
		return 0, err
	}
	rd, err := f.d.Source.Pass(e, f.shuffle)
	if err != nil {
		return 0, err
	}
	f.rd, f.at, f.b = rd, 0, b
	if err := f.read(f.share(f.rank, b), nil); err != nil { // a resumed epoch: skip its done batches
		return 0, err
	}
	return batchesPer(f.d.rows(), f.batch), nil
}

func (f *streamFeed) next(fn func(X, Y []float64, m int) error) (int, error) {
	b := f.b
	f.b++
	global := 0
	for q := range f.counts {
		global += f.share(q, b+1) - f.share(q, b)
	}
	return global, f.read(f.share(f.rank, b+1)-f.at, fn)
}

// read reads want rows of the pass in pieces, handing each to fn (nil:
// skip them).
func (f *streamFeed) read(want int, fn func(X, Y []float64, m int) error) error {
	for want > 0 {
		k := min(want, f.piece)
		m, err := readFull(f.rd, f.xb[:k*f.d.D], f.yb[:k*f.d.T], f.d.D)
		f.at += m
		if err != nil {
			return fmt.Errorf("train: the stream ended after %d of this process's %d rows: %w (was the file changed during training?)", f.at, f.d.N, err)
		}
		if fn != nil {
			if err := fn(f.xb[:k*f.d.D], f.yb[:k*f.d.T], k); err != nil {
				return err
			}
		}
		want -= k
	}
	return nil
}

func (f *streamFeed) close() error {
	if f.rd == nil {
		return nil
	}
	err := f.rd.Close()
	f.rd = nil
	return err
}

// readFull reads exactly len(X)/d rows, or fails.
func readFull(rd Reader, X, Y []float64, d int) (int, error) {
	want := len(X) / d
	t := len(Y) / max(want, 1)
	got := 0
	for got < want {
		m, err := rd.Read(X[got*d:], Y[got*t:])
		got += m
		if got < want && err != nil {
			if errors.Is(err, io.EOF) {
				return got, io.ErrUnexpectedEOF
			}
			return got, err
		}
		if m == 0 && err == nil {
			return got, io.ErrNoProgress
		}
	}
	return got, nil
}
