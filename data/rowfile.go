package data

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/descent-ml/descent/internal/lex"
)

// A row file is Descent's binary format for a table of numbers, which
// `descent convert` writes from CSV so that training reads rows at the
// speed of the disk instead of parsing text. All integers are
// little-endian:
//
//	offset  size  field
//	0       8     magic "DSCNROWS"
//	8       4     version, 1
//	12      4     value size in bytes: 4 (float32) or 8 (float64)
//	16      4     columns C, in [1, MaxRowFileColumns]
//	20      4     L, the bytes of the names that follow, at most MaxRowFileNames
//	24      8     rows R
//	32      L     C column names, each a 2-byte length then that many bytes
//	              of UTF-8: non-empty, distinct
//	32+L    4     CRC-32 (IEEE) of bytes [0, 32+L)
//	…             zeros up to the next multiple of 8: the data's offset
//	data    R·C·size  the values, row after row, every one finite
//
// A reader checks every field, the checksum, and that the file holds
// exactly R·C values after the header, before it reads a value.
const (
	rowMagic   = "DSCNROWS"
	rowVersion = 1
	// MaxRowFileColumns bounds the columns of a row file.
	MaxRowFileColumns = 1 << 20
	// MaxRowFileNames bounds the bytes of a row file's column names.
	MaxRowFileNames = 16 << 20
	rowFixed        = 32
)

// RowFile is an open row file: its columns and rows, read on demand.
type RowFile struct {
	// Name is the file's path as given, for messages.
	Name string
	// Columns names the C columns.
	Columns []string
	// Rows is the number of rows R.
	Rows int64
	// ValueBytes is 4 (float32) or 8 (float64).
	ValueBytes int

	r      io.ReaderAt
	closer io.Closer
	dataAt int64
	buf    []byte
}

// IsRowFile reports whether the file at path starts with a row file's
// magic bytes.
func IsRowFile(path string) bool {
	// Only a regular file is opened: opening a FIFO or a device could
	// block (a FIFO waits for its writer) before any context is watched.
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [8]byte
	_, err = io.ReadFull(f, b[:])
	return err == nil && string(b[:]) == rowMagic
}

// OpenRowFile opens and checks the row file at path.
func OpenRowFile(path string) (*RowFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("data: %w", err)
	}
	rf, err := ReadRowFileHeader(f, st.Size(), path)
	if err != nil {
		f.Close()
		return nil, err
	}
	rf.closer = f
	return rf, nil
}

// ReadRowFileHeader reads and checks the header of a row file of size
// bytes read through r; name is used in messages.
func ReadRowFileHeader(r io.ReaderAt, size int64, name string) (*RowFile, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("data: %s: not a usable row file: "+format, append([]any{name}, args...)...)
	}
	var fixed [rowFixed]byte
	if size < rowFixed {
		return nil, bad("%d bytes, shorter than the %d-byte header", size, rowFixed)
	}
	if _, err := r.ReadAt(fixed[:], 0); err != nil {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	le := binary.LittleEndian
	version, vsize := le.Uint32(fixed[8:]), le.Uint32(fixed[12:])
	cols, namesLen, rows := le.Uint32(fixed[16:]), le.Uint32(fixed[20:]), le.Uint64(fixed[24:])
	switch {
	case string(fixed[:8]) != rowMagic:
		return nil, bad("the magic bytes are %q, want %q", fixed[:8], rowMagic)
	case version != rowVersion:
		return nil, bad("version %d, this reader reads version %d", version, rowVersion)
	case vsize != 4 && vsize != 8:
		return nil, bad("values of %d bytes, want 4 (float32) or 8 (float64)", vsize)
	case cols < 1 || cols > MaxRowFileColumns:
		return nil, bad("%d columns, want 1 to %d", cols, MaxRowFileColumns)
	case namesLen > MaxRowFileNames || int64(namesLen) > size-rowFixed-4:
		return nil, bad("%d bytes of column names in a file of %d bytes (at most %d)", namesLen, size, MaxRowFileNames)
	}
	head := make([]byte, rowFixed+int(namesLen)+4)
	if _, err := r.ReadAt(head, 0); err != nil {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	body := head[:rowFixed+int(namesLen)]
	if got, want := crc32.ChecksumIEEE(body), le.Uint32(head[len(body):]); got != want {
		return nil, bad("header checksum %08x, the header's bytes sum to %08x", want, got)
	}
	names, err := parseRowNames(body[rowFixed:], int(cols))
	if err != nil {
		return nil, bad("%v", err)
	}
	dataAt := (int64(len(head)) + 7) &^ 7
	rowBytes := int64(cols) * int64(vsize)
	if rows > uint64(math.MaxInt64/rowBytes) || int64(rows)*rowBytes != size-dataAt {
		return nil, bad("the header promises %d rows of %d columns (%d bytes from byte %d), but the file has %d bytes", rows, cols, rows*uint64(rowBytes), dataAt, size)
	}
	pad := make([]byte, dataAt-int64(len(head)))
	if _, err := r.ReadAt(pad, int64(len(head))); err != nil {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	if bytes.Count(pad, []byte{0}) != len(pad) {
		return nil, bad("the padding after the header is not zero")
	}
	return &RowFile{Name: name, Columns: names, Rows: int64(rows), ValueBytes: int(vsize), r: r, dataAt: dataAt}, nil
}

// parseRowNames reads cols length-prefixed names that fill b exactly.
func parseRowNames(b []byte, cols int) ([]string, error) {
	names := make([]string, 0, min(cols, len(b)/3+1))
	seen := map[string]int{}
	for j := range cols {
		if len(b) < 2 {
			return nil, fmt.Errorf("the names end after %d of %d columns", j, cols)
		}
		n := int(binary.LittleEndian.Uint16(b))
		if n == 0 || n > len(b)-2 {
			return nil, fmt.Errorf("column %d's name has %d bytes, %d are left", j+1, n, len(b)-2)
		}
		s := string(b[2 : 2+n])
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("column %d's name is not UTF-8", j+1)
		}
		if k, dup := seen[s]; dup {
			return nil, fmt.Errorf("column %d's name %s is also column %d's", j+1, lex.Quote(s), k+1)
		}
		seen[s] = j
		names = append(names, s)
		b = b[2+n:]
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%d bytes follow the last column's name", len(b))
	}
	return names, nil
}

// ReadRows reads n rows from row first into dst (n·C values, row-major).
// A non-finite value is an error that names its row (0-based) and column.
func (rf *RowFile) ReadRows(dst []float64, first int64, n int) error {
	c := len(rf.Columns)
	if first < 0 || n < 0 || first > rf.Rows-int64(n) || len(dst) < n*c {
		return fmt.Errorf("data: %s: rows [%d,%d) of %d into %d values: out of range", rf.Name, first, first+int64(n), rf.Rows, len(dst))
	}
	want := n * c * rf.ValueBytes
	if cap(rf.buf) < want {
		rf.buf = make([]byte, want)
	}
	b := rf.buf[:want]
	if _, err := rf.r.ReadAt(b, rf.dataAt+first*int64(c*rf.ValueBytes)); err != nil {
		return fmt.Errorf("data: %s: %w", rf.Name, err)
	}
	decodeValues(dst[:n*c], b, rf.ValueBytes)
	for i, v := range dst[:n*c] {
		if v-v != 0 {
			return fmt.Errorf("data: %s: row %d, column %s: value %v is not finite", rf.Name, first+int64(i/c), lex.Quote(rf.Columns[i%c]), v)
		}
	}
	return nil
}

// decodeValues decodes little-endian float32 or float64 values.
func decodeValues(dst []float64, b []byte, size int) {
	le := binary.LittleEndian
	if size == 4 {
		for i := range dst {
			dst[i] = float64(math.Float32frombits(le.Uint32(b[4*i:])))
		}
		return
	}
	for i := range dst {
		dst[i] = math.Float64frombits(le.Uint64(b[8*i:]))
	}
}

// Close closes the file OpenRowFile opened.
func (rf *RowFile) Close() error {
	if rf.closer == nil {
		return nil
	}
	return rf.closer.Close()
}

// RowWriter writes a row file: to a temporary file beside the target,
// renamed into place by Close, so that a reader never sees half a file.
type RowWriter struct {
	path   string
	f      *os.File
	w      *bufio.Writer
	cols   int
	size   int
	rows   uint64
	header []byte
	enc    []byte
	err    error
}

// CreateRowFile starts a row file at path with the given column names and
// values of valueBytes bytes (4: float32, 8: float64).
func CreateRowFile(path string, columns []string, valueBytes int) (*RowWriter, error) {
	if valueBytes != 4 && valueBytes != 8 {
		return nil, fmt.Errorf("data: row file values must be 4 or 8 bytes, got %d", valueBytes)
	}
	if len(columns) < 1 || len(columns) > MaxRowFileColumns {
		return nil, fmt.Errorf("data: a row file needs 1 to %d columns, got %d", MaxRowFileColumns, len(columns))
	}
	var names []byte
	for _, c := range columns {
		if len(c) == 0 || len(c) > math.MaxUint16 {
			return nil, fmt.Errorf("data: row file column names must have 1 to %d bytes, got %s", math.MaxUint16, lex.Quote(c))
		}
		names = binary.LittleEndian.AppendUint16(names, uint16(len(c)))
		names = append(names, c...)
	}
	if _, err := parseRowNames(names, len(columns)); err != nil {
		return nil, fmt.Errorf("data: %s: %v", path, err)
	}
	if len(names) > MaxRowFileNames {
		return nil, fmt.Errorf("data: a row file's column names may hold %d bytes, these hold %d", MaxRowFileNames, len(names))
	}
	h := make([]byte, rowFixed, rowFixed+len(names)+12)
	copy(h, rowMagic)
	le := binary.LittleEndian
	le.PutUint32(h[8:], rowVersion)
	le.PutUint32(h[12:], uint32(valueBytes))
	le.PutUint32(h[16:], uint32(len(columns)))
	le.PutUint32(h[20:], uint32(len(names)))
	h = append(h, names...)
	h = append(h, 0, 0, 0, 0) // the checksum, written by Close
	for len(h)%8 != 0 {
		h = append(h, 0)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("data: writing %s: %w", path, err)
	}
	w := &RowWriter{path: path, f: f, w: bufio.NewWriterSize(f, 1<<20), cols: len(columns), size: valueBytes, header: h,
		enc: make([]byte, len(columns)*valueBytes)}
	if _, err := w.w.Write(h); err != nil {
		w.Abort()
		return nil, fmt.Errorf("data: writing %s: %w", path, err)
	}
	return w, nil
}

// Write appends one row of C finite values.
func (w *RowWriter) Write(row []float64) error {
	if w.err != nil {
		return w.err
	}
	if len(row) != w.cols {
		return fmt.Errorf("data: a row of %s needs %d values, got %d", w.path, w.cols, len(row))
	}
	le := binary.LittleEndian
	for j, v := range row {
		if v-v != 0 {
			return fmt.Errorf("data: row %d of %s: value %v is not finite", w.rows, w.path, v)
		}
		if w.size == 4 {
			f := float32(v)
			if math.IsInf(float64(f), 0) {
				return fmt.Errorf("data: row %d of %s: value %v overflows float32", w.rows, w.path, v)
			}
			le.PutUint32(w.enc[4*j:], math.Float32bits(f))
		} else {
			le.PutUint64(w.enc[8*j:], math.Float64bits(v))
		}
	}
	if _, err := w.w.Write(w.enc); err != nil {
		w.err = fmt.Errorf("data: writing %s: %w", w.path, err)
		return w.err
	}
	w.rows++
	return nil
}

// Rows is the number of rows written so far.
func (w *RowWriter) Rows() int64 { return int64(w.rows) }

// Close writes the row count and checksum into the header, syncs the
// file and renames it into place.
func (w *RowWriter) Close() error {
	if w.err != nil {
		w.Abort()
		return w.err
	}
	fail := func(err error) error {
		w.Abort()
		return fmt.Errorf("data: writing %s: %w", w.path, err)
	}
	if err := w.w.Flush(); err != nil {
		return fail(err)
	}
	h := w.header
	binary.LittleEndian.PutUint64(h[24:], w.rows)
	n := rowFixed + int(binary.LittleEndian.Uint32(h[20:]))
	binary.LittleEndian.PutUint32(h[n:], crc32.ChecksumIEEE(h[:n]))
	if _, err := w.f.WriteAt(h, 0); err != nil {
		return fail(err)
	}
	if err := w.f.Chmod(0o644); err != nil { // CreateTemp made it 0600
		return fail(err)
	}
	if err := w.f.Sync(); err != nil {
		return fail(err)
	}
	if err := w.f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(w.f.Name(), w.path); err != nil {
		os.Remove(w.f.Name())
		return fmt.Errorf("data: writing %s: %w", w.path, err)
	}
	return nil
}

// Abort drops the file being written.
func (w *RowWriter) Abort() {
	w.f.Close()
	os.Remove(w.f.Name())
}
