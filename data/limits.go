package data

import (
	"bytes"
	"context"
	"fmt"
	"io"
)

// The bounds ParseCSV puts on what it reads, so that no input (a stray
// binary file, --data /dev/zero, an endless pipe) can exhaust memory.
// CSVOptions.MaxRecordBytes and MaxCells override them.
const (
	// DefaultMaxRecordBytes bounds one CSV record (a line, or the lines a
	// quoted field spans), its line break excluded: 1 MiB, room for about
	// 50 000 columns of full-precision floats.
	DefaultMaxRecordBytes = 1 << 20
	// DefaultMaxCells bounds the values of one file, header excluded:
	// 2^27, 1 GiB of float64.
	DefaultMaxCells = 1 << 27
)

// recordError reports a record longer than the limit.
type recordError struct {
	line, start, max int
}

func (e *recordError) Error() string {
	what := "line"
	if e.start != e.line {
		what = fmt.Sprintf("record from line %d", e.start)
	}
	return fmt.Sprintf("%d: %s longer than %d bytes (the limit for one CSV record, CSVOptions.MaxRecordBytes; is this a CSV file?)", e.line, what, e.max)
}

// interruptedError reports a read stopped by its context.
type interruptedError struct{ err error }

func (e *interruptedError) Error() string { return "reading interrupted: " + e.err.Error() }
func (e *interruptedError) Unwrap() error { return e.err }

// limitReader passes r through, failing once a record passes max bytes or
// ctx is done. It follows CSV quoting just enough to know where a record
// ends: a line break outside double quotes. (An escaped quote "" toggles
// twice; a stray quote is a syntax error that encoding/csv reports first.)
type limitReader struct {
	r      io.Reader
	ctx    context.Context
	max    int
	line   int  // 1-based line of the next byte
	start  int  // line where the current record started
	size   int  // bytes of the current record so far
	quoted bool // inside a quoted field
	err    error
}

func newLimitReader(ctx context.Context, r io.Reader, max int) *limitReader {
	return &limitReader{r: r, ctx: ctx, max: max, line: 1, start: 1}
}

// Read implements io.Reader.
func (l *limitReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if err := l.ctx.Err(); err != nil {
		l.err = &interruptedError{context.Cause(l.ctx)}
		return 0, l.err
	}
	n, err := l.r.Read(p)
	if err != nil && err != io.EOF && l.ctx.Err() != nil {
		// A read unblocked by closing the file on cancel.
		l.err = &interruptedError{context.Cause(l.ctx)}
		return 0, l.err
	}
	if i, ok := l.scan(p[:n]); !ok {
		l.err = &recordError{line: l.line, start: l.start, max: l.max}
		return i, l.err
	}
	return n, err
}

// scan follows p's records; on passing the limit it returns the number of
// bytes before the one that passed it, and false. An unquoted line is
// taken whole (bytes.IndexByte); quoted text goes byte by byte.
func (l *limitReader) scan(p []byte) (int, bool) {
	i := 0
	for i < len(p) {
		if !l.quoted {
			line, nl := p[i:], bytes.IndexByte(p[i:], '\n')
			if nl >= 0 {
				line = line[:nl]
			}
			if bytes.IndexByte(line, '"') < 0 && l.size+len(line) <= l.max {
				if nl < 0 {
					l.size += len(line)
					return len(p), true
				}
				l.line++
				l.size, l.start = 0, l.line
				i += nl + 1
				continue
			}
		}
		switch p[i] {
		case '"':
			l.quoted = !l.quoted
		case '\n':
			l.line++
			if !l.quoted {
				l.size, l.start = 0, l.line
				i++
				continue
			}
		}
		if l.size++; l.size > l.max {
			return i, false
		}
		i++
	}
	return len(p), true
}
