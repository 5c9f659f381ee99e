package data

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/descent-ml/descent/internal/lex"
)

// Rows selects the rows of a streamed file that a pass reads.
type Rows int

const (
	// AllRows reads every row.
	AllRows Rows = iota
	// TrainRows reads the rows that are not held out for validation.
	TrainRows
	// ValRows reads the rows held out for validation.
	ValRows
)

// Stream defaults.
const (
	// DefaultChunkBytes is the size of a chunk, the unit of a streamed
	// file's shuffled order and of parallel decoding.
	DefaultChunkBytes = 2 << 20
	// DefaultBufferBytes is the size of the shuffle buffer.
	DefaultBufferBytes = 64 << 20
)

// StreamOptions configure OpenStream. The zero value streams the whole
// file, the last column being the target, in 2 MiB chunks through a 64 MiB
// shuffle buffer, with no validation rows.
type StreamOptions struct {
	// Target names the target column; "" is the last one.
	Target string
	// Features, when set, are the feature columns to read, by name and in
	// this order (a model file's); nil reads every other column in file
	// order.
	Features []string
	// Part and Parts make the stream one process's share of the file, as
	// ReadCSVPart and ReadRowFilePart cut it: part Part of Parts byte
	// ranges (CSV) or row ranges (row file), read by this process alone.
	// Parts 0 means 1.
	Part, Parts int
	// ChunkBytes is the size of a chunk; 0 is DefaultChunkBytes.
	ChunkBytes int64
	// BufferBytes bounds the shuffle buffer; 0 is DefaultBufferBytes.
	BufferBytes int64
	// Seed seeds each epoch's order and the validation hold-out.
	Seed uint64
	// ValFrac holds out each row for validation with this probability,
	// decided by a hash of the seed and the row's place in the file (its
	// byte offset in a CSV file, its index in a row file), so that the
	// hold-out is the same whichever process reads the row; in [0, 1).
	ValFrac float64
	// Workers decode chunks in parallel; 0 is GOMAXPROCS, at most 4.
	Workers int
}

// Stream reads a CSV file or a row file in passes, without holding more
// of it than a few chunks and the shuffle buffer: for training on data
// larger than memory.
//
// A pass in file order reads the chunks one after another. A shuffled
// pass, for epoch e, permutes the chunks (a PCG generator seeded by the
// seed and e) and sends their rows through a shuffle buffer of B rows
// that emits a uniformly drawn row for each row it takes in, the way
// tf.data's shuffle does. A row can thus move anywhere within its
// neighbourhood of about B rows and its chunk anywhere in the file; an
// exact uniform permutation of a file larger than memory would need to
// hold an index of every row, or to read rows at random, and is not
// attempted. The order is a pure function of the seed, the epoch, the
// file, this process's part and the chunk and buffer sizes, so a resumed
// run reads the same order.
type Stream struct {
	// Name is the file's base name without its extension.
	Name string
	// Path is the file's path as given, Format "csv" or "rows".
	Path, Format string
	// Features name the feature columns read, Target the target column.
	Features []string
	Target   string
	// D is the number of features.
	D int

	opt     StreamOptions
	f       *os.File
	size    int64
	csv     *csvHeader
	rf      *RowFile
	cols    int   // the file's columns
	feat    []int // each feature's file column
	target  int
	chunks  []chunk
	valCut  uint64
	bufRows int
	workers int
	rows    int // this part's rows, once a Scan has counted them; -1 before

	mu       sync.Mutex
	spare    []float64     // a closed pass's shuffle buffer, for the next
	blocks   chan *block   // decoded blocks to reuse
	decoders chan *decoder // decoders to reuse
}

// chunk is a byte range of a CSV file or a row range of a row file.
type chunk struct{ lo, hi int64 }

// OpenStream opens the file at path for streaming: a row file (by its
// magic bytes) or CSV, whose header is read and checked as ReadCSV checks
// it. Values are checked as they are read.
func OpenStream(path string, opt StreamOptions) (*Stream, error) {
	if opt.Parts == 0 {
		opt.Parts = 1
	}
	switch {
	case opt.Parts < 0 || opt.Part < 0 || opt.Part >= opt.Parts:
		return nil, fmt.Errorf("data: part %d of %d: the part must be in [0,%d)", opt.Part, opt.Parts, opt.Parts)
	case opt.ChunkBytes < 0 || opt.BufferBytes < 0 || opt.Workers < 0:
		return nil, fmt.Errorf("data: stream chunk bytes, buffer bytes and workers must be >= 0, got %d, %d and %d", opt.ChunkBytes, opt.BufferBytes, opt.Workers)
	case !(opt.ValFrac >= 0 && opt.ValFrac < 1):
		return nil, fmt.Errorf("data: validation fraction must be in [0,1), got %v", opt.ValFrac)
	}
	if opt.ChunkBytes == 0 {
		opt.ChunkBytes = DefaultChunkBytes
	}
	if opt.BufferBytes == 0 {
		opt.BufferBytes = DefaultBufferBytes
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("data: %w", err)
	}
	base := filepath.Base(path)
	s := &Stream{Name: strings.TrimSuffix(base, filepath.Ext(base)), Path: path, opt: opt, f: f, size: st.Size(), rows: -1}
	if err := s.open(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// open reads the header and lays out this part's chunks.
func (s *Stream) open() error {
	opt := s.opt
	var cols []string
	if IsRowFile(s.Path) {
		rf, err := ReadRowFileHeader(s.f, s.size, s.Path)
		if err != nil {
			return err
		}
		s.rf, s.Format, cols = rf, "rows", rf.Columns
		if s.target, _, err = pickTarget(s.Path, cols, CSVOptions{Target: opt.Target}); err != nil {
			return err
		}
		lo, hi := partOf(rf.Rows, opt.Part, opt.Parts)
		per := max(1, opt.ChunkBytes/int64(len(cols)*rf.ValueBytes))
		for a := lo; a < hi; a += per {
			s.chunks = append(s.chunks, chunk{a, min(a+per, hi)})
		}
	} else {
		h, err := readCSVHeader(s.f, s.size, s.Path, CSVOptions{Target: opt.Target})
		if err != nil {
			return err
		}
		s.csv, s.Format, cols, s.target = h, "csv", h.cols, h.target
		lo, hi := partOf(s.size-h.dataAt, opt.Part, opt.Parts)
		lo, hi = lo+h.dataAt, hi+h.dataAt
		for a := lo; a < hi; a += opt.ChunkBytes {
			s.chunks = append(s.chunks, chunk{a, min(a+opt.ChunkBytes, hi)})
		}
	}
	s.cols, s.Target = len(cols), cols[s.target]
	if opt.Features == nil {
		for j, c := range cols {
			if j != s.target {
				s.feat, s.Features = append(s.feat, j), append(s.Features, c)
			}
		}
	} else {
		for _, n := range opt.Features {
			j := slices.Index(cols, n)
			if j < 0 || j == s.target {
				return fmt.Errorf("data: %s has no feature column %s (columns: %s)", s.Path, lex.Quote(n), nameList(cols))
			}
			s.feat = append(s.feat, j)
		}
		s.Features = append([]string(nil), opt.Features...)
	}
	s.D = len(s.feat)
	if s.D == 0 {
		return fmt.Errorf("data: %s: no feature columns besides the target %s", s.Path, lex.Quote(s.Target))
	}
	s.valCut = uint64(opt.ValFrac * (1 << 64))
	s.bufRows = int(max(1, opt.BufferBytes/int64(8*(s.D+1))))
	s.workers = opt.Workers
	if s.workers == 0 {
		s.workers = min(runtime.GOMAXPROCS(0), 4)
	}
	s.blocks = make(chan *block, 2*s.workers+2)
	s.decoders = make(chan *decoder, s.workers)
	return nil
}

// Size is the file's size in bytes.
func (s *Stream) Size() int64 { return s.size }

// BufferRows is the number of rows the shuffle buffer holds.
func (s *Stream) BufferRows() int { return s.bufRows }

// Close closes the file.
func (s *Stream) Close() error { return s.f.Close() }

// held reports whether the row at place id is held out for validation:
// whether a SplitMix64 hash of the seed and id falls below ValFrac·2⁶⁴.
func (s *Stream) held(id int64) bool {
	if s.valCut == 0 {
		return false
	}
	z := s.opt.Seed ^ 0x5eed5917d1ce ^ uint64(id)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z^z>>31 < s.valCut
}

// block is the decoded rows of one chunk that a pass reads.
type block struct {
	x, y []float64 // n rows of D features, n targets
	id   []int64   // each row's place: byte offset or row index
	val  []bool    // each row's hold-out, for AllRows
	n    int
	err  error
}

func (b *block) reset() {
	b.x, b.y, b.id, b.val, b.n, b.err = b.x[:0], b.y[:0], b.id[:0], b.val[:0], 0, nil
}

// decoder decodes chunks; each worker has its own.
type decoder struct {
	s     *Stream
	lines *csvLines
	raw   []byte
	vals  []float64
}

func (s *Stream) newDecoder() *decoder {
	d := &decoder{s: s}
	if s.csv != nil {
		d.lines = &csvLines{h: s.csv, r: s.f, vals: make([]float64, s.cols)}
	}
	return d
}

// decode reads chunk c's rows that which selects into b.
func (d *decoder) decode(c chunk, which Rows, b *block) error {
	s := d.s
	b.reset()
	keep := func(vals []float64, id int64) {
		held := s.held(id)
		if which == TrainRows && held || which == ValRows && !held {
			return
		}
		for _, j := range s.feat {
			b.x = append(b.x, vals[j])
		}
		b.y = append(b.y, vals[s.target])
		b.id = append(b.id, id)
		b.val = append(b.val, held)
		b.n++
	}
	if s.csv != nil {
		if err := d.lines.reset(s.size, c.lo, c.hi); err != nil {
			return err
		}
		for {
			vals, at, ok, err := d.lines.record()
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			keep(vals, at)
		}
	}
	rf := s.rf
	n := int(c.hi - c.lo)
	rowBytes := s.cols * rf.ValueBytes
	if cap(d.raw) < n*rowBytes {
		d.raw = make([]byte, n*rowBytes)
		d.vals = make([]float64, s.cols)
	}
	raw := d.raw[:n*rowBytes]
	if _, err := rf.r.ReadAt(raw, rf.dataAt+c.lo*int64(rowBytes)); err != nil {
		return fmt.Errorf("data: %s: %w", s.Path, err)
	}
	for i := range n {
		decodeValues(d.vals, raw[i*rowBytes:(i+1)*rowBytes], rf.ValueBytes)
		for j, v := range d.vals {
			if v-v != 0 {
				return fmt.Errorf("data: %s: row %d, column %s: value %v is not finite", s.Path, c.lo+int64(i), lex.Quote(rf.Columns[j]), v)
			}
		}
		keep(d.vals, c.lo+int64(i))
	}
	return nil
}

// where names a row by its place for a message: file:line for CSV, the
// row for a row file.
func (s *Stream) where(id int64) string {
	if s.csv == nil {
		return fmt.Sprintf("%s: row %d", s.Path, id)
	}
	n, err := countLines(s.f, id)
	if err != nil {
		return s.Path
	}
	return fmt.Sprintf("%s:%d", s.Path, n+1)
}

// Pass reads one pass over a stream's rows: its Read hands out rows in
// the pass's order. Chunks are decoded ahead by Workers goroutines and
// handed over in order, so that at most a few chunks are held at once.
type Pass struct {
	s       *Stream
	ordered chan chan *block
	done    chan struct{}
	wg      sync.WaitGroup
	cur     *block
	at      int
	eof     bool
	shuf    *shuffler
	closed  bool
}

// Pass opens a pass over the rows which selects: in epoch e's shuffled
// order when shuffle is set, in file order otherwise.
func (s *Stream) Pass(e int, shuffle bool, which Rows) *Pass {
	order := make([]int, len(s.chunks))
	for i := range order {
		order[i] = i
	}
	var shuf *shuffler
	if shuffle {
		rng := rand.New(rand.NewPCG(s.opt.Seed, 0x5712ea3c^uint64(e)*0x9e3779b97f4a7c15))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		n := s.bufRows
		if s.rows >= 0 {
			n = min(n, s.rows) // the buffer never holds more than the part's rows
		}
		n = max(n, 1)
		s.mu.Lock()
		buf := s.spare
		s.spare = nil
		s.mu.Unlock()
		if cap(buf) < n*(s.D+1) {
			buf = make([]float64, 0, n*(s.D+1))
		}
		shuf = &shuffler{rng: rng, d: s.D, rows: buf[:0], cap: n}
	}
	return s.start(order, which, shuf)
}

// start runs the decoding pipeline over the chunks in order.
func (s *Stream) start(order []int, which Rows, shuf *shuffler) *Pass {
	w := max(1, s.workers)
	p := &Pass{s: s, ordered: make(chan chan *block, w), done: make(chan struct{}), shuf: shuf}
	type job struct {
		c  chunk
		to chan *block
	}
	jobs := make(chan job)
	p.wg.Add(w + 1)
	go func() {
		defer p.wg.Done()
		defer close(jobs)
		defer close(p.ordered)
		for _, i := range order {
			to := make(chan *block, 1)
			select {
			case p.ordered <- to:
			case <-p.done:
				return
			}
			select {
			case jobs <- job{s.chunks[i], to}:
			case <-p.done:
				to <- nil // no block will come: Close must not wait for one
				return
			}
		}
	}()
	for range w {
		go func() {
			defer p.wg.Done()
			var d *decoder
			select {
			case d = <-s.decoders:
			default:
				d = s.newDecoder()
			}
			defer func() {
				select {
				case s.decoders <- d:
				default:
				}
			}()
			for j := range jobs {
				var b *block
				select {
				case b = <-s.blocks:
				default:
					b = &block{}
				}
				b.err = d.decode(j.c, which, b)
				j.to <- b
			}
		}()
	}
	return p
}

// recycle keeps a block for reuse, if there is room.
func (s *Stream) recycle(b *block) {
	select {
	case s.blocks <- b:
	default:
	}
}

// block returns the next decoded block, or nil at the end of the pass.
func (p *Pass) block() (*block, error) {
	if p.cur != nil {
		p.s.recycle(p.cur)
		p.cur = nil
	}
	to, ok := <-p.ordered
	if !ok {
		return nil, nil
	}
	b := <-to
	if b.err != nil {
		return nil, b.err
	}
	p.cur, p.at = b, 0
	return b, nil
}

// next returns the next row of the pass in chunk order (its features and
// target, valid until the next call), and false at its end.
func (p *Pass) next() ([]float64, float64, bool, error) {
	for p.cur == nil || p.at == p.cur.n {
		if p.eof {
			return nil, 0, false, nil
		}
		b, err := p.block()
		if err != nil {
			return nil, 0, false, err
		}
		if b == nil {
			p.eof = true
			return nil, 0, false, nil
		}
	}
	d, i := p.s.D, p.at
	p.at++
	return p.cur.x[i*d : (i+1)*d], p.cur.y[i], true, nil
}

// Read fills X with up to len(y) rows of D features and y with their
// targets, and returns how many it read; at the end of the pass it
// returns 0 and io.EOF.
func (p *Pass) Read(X, y []float64) (int, error) {
	d := p.s.D
	want := min(len(y), len(X)/max(d, 1))
	got := 0
	for got < want {
		if p.shuf == nil {
			x, t, ok, err := p.next()
			if err != nil {
				return got, err
			}
			if !ok {
				break
			}
			copy(X[got*d:], x)
			y[got] = t
			got++
			continue
		}
		if !p.eof {
			x, t, ok, err := p.next()
			if err != nil {
				return got, err
			}
			if ok {
				if p.shuf.put(x, t, X[got*d:(got+1)*d], &y[got]) {
					got++
				}
				continue
			}
		}
		if !p.shuf.drain(X[got*d:(got+1)*d], &y[got]) {
			break
		}
		got++
	}
	if got == 0 && want > 0 {
		return 0, io.EOF
	}
	return got, nil
}

// Close stops the pass's decoding.
func (p *Pass) Close() error {
	if !p.closed {
		p.closed = true
		close(p.done)
		for to := range p.ordered { // the blocks decoded ahead
			if b := <-to; b != nil {
				p.s.recycle(b)
			}
		}
		p.wg.Wait()
		if p.cur != nil {
			p.s.recycle(p.cur)
			p.cur = nil
		}
		if p.shuf != nil {
			p.s.mu.Lock()
			p.s.spare = p.shuf.rows
			p.s.mu.Unlock()
			p.shuf = nil
		}
	}
	return nil
}

// shuffler is a shuffle buffer of up to cap rows of d features and a
// target each.
type shuffler struct {
	rng  *rand.Rand
	d    int
	cap  int
	rows []float64
}

// put takes in a row; once the buffer is full it emits a uniformly drawn
// row into x and y first, in whose place the new row goes, and reports
// that it did.
func (s *shuffler) put(in []float64, t float64, x []float64, y *float64) bool {
	w := s.d + 1
	if n := len(s.rows) / w; n < s.cap {
		s.rows = append(append(s.rows, in...), t)
		return false
	}
	j := s.rng.IntN(s.cap)
	row := s.rows[j*w : (j+1)*w]
	copy(x, row[:s.d])
	*y = row[s.d]
	copy(row, in)
	row[s.d] = t
	return true
}

// drain emits a uniformly drawn row of those left, and reports false when
// none is.
func (s *shuffler) drain(x []float64, y *float64) bool {
	w := s.d + 1
	n := len(s.rows) / w
	if n == 0 {
		return false
	}
	j := s.rng.IntN(n)
	row := s.rows[j*w : (j+1)*w]
	copy(x, row[:s.d])
	*y = row[s.d]
	copy(row, s.rows[(n-1)*w:n*w])
	s.rows = s.rows[:(n-1)*w]
	return true
}

// Scan is what a first pass over a stream learns: row counts, the
// standardization statistics of the training rows, and whether the target
// holds class labels. Counts and statistics cover every process's rows.
type Scan struct {
	// Rows, Train and Val count this process's rows: all of them, the
	// training rows and those held out.
	Rows, Train, Val int
	// Total, TrainTotal and ValTotal count every process's.
	Total, TrainTotal, ValTotal int
	// Stats and TargetStats are FitStats of the training rows' features
	// and target, over every process's rows (to rounding: one pass, see
	// moments).
	Stats, TargetStats Stats
	// LabelErr is Classes' error for this process's first row whose
	// target is not a class label (nil when none is).
	LabelErr error
	// LabelsOK says every target on every process is an integer in
	// [0, MaxClasses); Classes is then the largest plus one, and
	// ClassRows counts each class's rows over every process.
	LabelsOK  bool
	Classes   int
	ClassRows []float64
}

// Scan reads every row of this process's part once, in file order,
// checking every value, and reduces what it learns over the processes of
// r (nil: one process). Every process calls it.
func (s *Stream) Scan(r Reducer) (*Scan, error) {
	p := s.start(identity(len(s.chunks)), AllRows, nil)
	defer p.Close()
	fm, tm := newMoments(s.D), newMoments(1)
	sc := &Scan{}
	top := -1.0
	var counts []float64
	var train []float64
	var ty []float64
	for {
		b, err := p.block()
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		train, ty = train[:0], ty[:0]
		for i := range b.n {
			y := b.y[i]
			if sc.LabelErr == nil {
				switch {
				case y != math.Trunc(y) || y < 0:
					sc.LabelErr = fmt.Errorf("data: %s: class label in column %s must be an integer 0, 1, 2, …, got %v", s.where(b.id[i]), lex.Quote(s.Target), y)
				case y >= MaxClasses:
					sc.LabelErr = fmt.Errorf("data: %s: class label in column %s must be below %d, got %v", s.where(b.id[i]), lex.Quote(s.Target), MaxClasses, y)
				default:
					top = math.Max(top, y)
					for len(counts) <= int(y) {
						counts = append(counts, 0)
					}
					counts[int(y)]++
				}
			}
			if b.val[i] {
				sc.Val++
				continue
			}
			sc.Train++
			train = append(train, b.x[i*s.D:(i+1)*s.D]...)
			ty = append(ty, y)
		}
		sc.Rows += b.n
		fm.add(train, len(ty), s.D, 0)
		tm.add(ty, len(ty), 1, 0)
	}
	bad := 0.0
	if sc.LabelErr != nil {
		bad = 1
	}
	all, err := Gather(r, []float64{float64(sc.Rows), float64(sc.Train), float64(sc.Val), bad, top})
	if err != nil {
		return nil, err
	}
	bad, top = 0, -1
	for q := 0; q < len(all); q += 5 {
		sc.Total += int(all[q])
		sc.TrainTotal += int(all[q+1])
		sc.ValTotal += int(all[q+2])
		bad += all[q+3]
		top = math.Max(top, all[q+4])
	}
	s.rows = sc.Rows
	sc.LabelsOK = bad == 0 && sc.Total > 0
	if sc.LabelsOK {
		sc.Classes = int(top) + 1
		sc.ClassRows = make([]float64, sc.Classes)
		copy(sc.ClassRows, counts)
		if r != nil && r.Size() > 1 {
			if err := r.AllreduceSum64(sc.ClassRows); err != nil {
				return nil, err
			}
		}
	}
	if sc.Stats, err = fm.stats(r); err != nil {
		return nil, err
	}
	if sc.TargetStats, err = tm.stats(r); err != nil {
		return nil, err
	}
	return sc, nil
}

func identity(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}
