package data

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unsafe"

	"github.com/descent-ml/descent/internal/lex"
)

// MaxLineBytes bounds one line of a CSV file read by rows (ReadCSVPart,
// Stream): 16 MiB.
const MaxLineBytes = 16 << 20

// csvHeader is a CSV file's header, read the way ParseCSV reads it.
type csvHeader struct {
	name     string
	cols     []string
	features []string
	target   int   // the target's column, -1 for none
	dataAt   int64 // the byte where the first line after the header starts
	line     int   // the file line of that byte
}

// readCSVHeader reads and checks the header of the CSV file r of size
// bytes, with ParseCSV's rules and messages.
func readCSVHeader(r io.ReaderAt, size int64, name string, opt CSVOptions) (*csvHeader, error) {
	cr := csv.NewReader(io.NewSectionReader(r, 0, size))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("data: %s: empty file", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	cols, err := parseHeader(name, cr, header, opt.NoTarget)
	if err != nil {
		return nil, err
	}
	target, features, err := pickTarget(name, cols, opt)
	if err != nil {
		return nil, err
	}
	h := &csvHeader{name: name, cols: cols, target: target, features: features, dataAt: cr.InputOffset()}
	head := make([]byte, h.dataAt)
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	h.line = 1 + bytes.Count(head, []byte{'\n'})
	return h, nil
}

// csvLines reads the data rows of a CSV file that start in a byte range
// [lo, hi) of it: a line belongs to the range its first byte lies in, so
// consecutive ranges share out the lines exactly. Each line must hold one
// whole record (a quoted field may not span lines). Values parse as
// ParseCSV parses them, and errors name file:line:column likewise; the
// line is counted from the range's start and, for a range after the first,
// made absolute by counting the newlines before it only when an error is
// reported.
type csvLines struct {
	h      *csvHeader
	r      io.ReaderAt
	br     *bufio.Reader
	lo, at int64 // the range's first line, and the next line's start
	hi     int64
	line   int // lines read since lo
	max    int // bytes a line may hold; 0 is MaxLineBytes
	long   []byte
	fields [][]byte
	vals   []float64
}

// newCSVLines starts reading the lines of h's file that start in [lo, hi),
// lo and hi within [h.dataAt, size].
func newCSVLines(h *csvHeader, r io.ReaderAt, size, lo, hi int64) (*csvLines, error) {
	c := &csvLines{h: h, r: r, vals: make([]float64, len(h.cols))}
	return c, c.reset(size, lo, hi)
}

// reset starts reading the lines that start in [lo, hi), reusing the
// reader's buffers.
func (c *csvLines) reset(size, lo, hi int64) error {
	h, r := c.h, c.r
	c.hi, c.line = hi, 0
	start := lo
	if lo > h.dataAt { // the line that straddles lo belongs to the range before
		var b [1]byte
		if _, err := r.ReadAt(b[:], lo-1); err != nil {
			return fmt.Errorf("data: %s: %w", h.name, err)
		}
		if b[0] != '\n' {
			start = lo - 1
		}
	}
	sec := io.NewSectionReader(r, start, size-start)
	if c.br == nil {
		c.br = bufio.NewReaderSize(sec, 1<<20)
	} else {
		c.br.Reset(sec)
	}
	c.at = start
	if start < lo {
		if err := c.skipLine(); err != nil {
			return err
		}
	}
	c.lo = c.at
	return nil
}

// skipLine moves past the rest of the current line.
func (c *csvLines) skipLine() error {
	for {
		b, err := c.br.ReadSlice('\n')
		c.at += int64(len(b))
		if err == nil || err == io.EOF {
			return nil
		}
		if err != bufio.ErrBufferFull {
			return fmt.Errorf("data: %s: %w", c.h.name, err)
		}
	}
}

// readLine returns the next line of the range without its line break, and
// false at the range's end. The slice is valid until the next call.
func (c *csvLines) readLine() ([]byte, bool, error) {
	if c.at >= c.hi {
		return nil, false, nil
	}
	b, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		c.long = append(c.long[:0], b...)
		for err == bufio.ErrBufferFull {
			if limit := cmp.Or(c.max, MaxLineBytes); len(c.long) > limit {
				return nil, false, fmt.Errorf("data: %s:%d: line longer than %d bytes", c.h.name, c.absLine(c.line+1), limit)
			}
			b, err = c.br.ReadSlice('\n')
			c.long = append(c.long, b...)
		}
		b = c.long
	}
	if err != nil && err != io.EOF {
		return nil, false, fmt.Errorf("data: %s: %w", c.h.name, err)
	}
	if len(b) == 0 {
		return nil, false, nil // end of file
	}
	c.at += int64(len(b))
	c.line++
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'}), true, nil
}

// absLine is the file line of the range's line k (1-based).
func (c *csvLines) absLine(k int) int {
	if c.lo <= c.h.dataAt {
		return c.h.line + k - 1
	}
	n, err := countLines(c.r, c.lo)
	if err != nil {
		return 0
	}
	return n + k
}

// countLines counts the line breaks in the first n bytes of r.
func countLines(r io.ReaderAt, n int64) (int, error) {
	buf := make([]byte, 1<<20)
	lines := 0
	for off := int64(0); off < n; {
		k := int(min(int64(len(buf)), n-off))
		m, err := r.ReadAt(buf[:k], off)
		lines += bytes.Count(buf[:m], []byte{'\n'})
		off += int64(m)
		if err != nil && off < n {
			return 0, err
		}
	}
	return lines, nil
}

// next parses the next data row into x (the features, in file order
// without the target) and returns its target; ok is false at the range's
// end. Blank lines are skipped.
func (c *csvLines) next(x []float64) (y float64, ok bool, err error) {
	vals, _, ok, err := c.record()
	if !ok || err != nil {
		return 0, false, err
	}
	k := 0
	for j, v := range vals {
		if j == c.h.target {
			y = v
		} else {
			x[k] = v
			k++
		}
	}
	return y, true, nil
}

// record parses the next data row and returns every column's value (valid
// until the next call) and the byte where the row's line starts; ok is
// false at the range's end. Blank lines are skipped.
func (c *csvLines) record() (vals []float64, at int64, ok bool, err error) {
	for {
		at = c.at
		b, ok, err := c.readLine()
		if !ok || err != nil {
			return nil, 0, false, err
		}
		if len(b) == 0 {
			continue
		}
		if err := c.parse(b); err != nil {
			return nil, 0, false, err
		}
		return c.vals, at, true, nil
	}
}

// parse splits one line into c.vals.
func (c *csvLines) parse(b []byte) error {
	h := c.h
	if bytes.IndexByte(b, '"') >= 0 {
		return c.parseQuoted(b)
	}
	c.fields = c.fields[:0]
	for {
		i := bytes.IndexByte(b, ',')
		if i < 0 {
			c.fields = append(c.fields, b)
			break
		}
		c.fields = append(c.fields, b[:i])
		b = b[i+1:]
	}
	if len(c.fields) != len(h.cols) {
		return fmt.Errorf("data: %s:%d: row has %d columns, header has %d", h.name, c.absLine(c.line), len(c.fields), len(h.cols))
	}
	for j, f := range c.fields {
		v, err := parseCellBytes(f)
		if err != nil {
			return fmt.Errorf("data: %s:%d:%d: %v in column %s", h.name, c.absLine(c.line), j+1, err, lex.Quote(h.cols[j]))
		}
		c.vals[j] = v
	}
	return nil
}

// parseQuoted parses a line with quotes through encoding/csv.
func (c *csvLines) parseQuoted(b []byte) error {
	h := c.h
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote) {
			return fmt.Errorf("data: %s:%d: a quoted field does not end on its line; reading by rows (--stream, or several processes) needs one row per line", h.name, c.absLine(c.line))
		}
		return fmt.Errorf("data: %s:%d: %v", h.name, c.absLine(c.line), err)
	}
	if len(rec) != len(h.cols) {
		return fmt.Errorf("data: %s:%d: row has %d columns, header has %d", h.name, c.absLine(c.line), len(rec), len(h.cols))
	}
	for j, cell := range rec {
		v, err := parseCell(cell)
		if err != nil {
			return fmt.Errorf("data: %s:%d:%d: %v in column %s", h.name, c.absLine(c.line), j+1, err, lex.Quote(h.cols[j]))
		}
		c.vals[j] = v
	}
	return nil
}

// parseCellBytes is parseCell on bytes, without copying them.
func parseCellBytes(cell []byte) (float64, error) {
	b := bytes.TrimSpace(cell)
	if len(b) == 0 {
		return parseCell(string(cell))
	}
	v, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 64)
	if err != nil || v-v != 0 { // an error, NaN or ±Inf: parseCell says which
		return parseCell(string(cell))
	}
	return v, nil
}
