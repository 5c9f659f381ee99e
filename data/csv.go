package data

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/descent-ml/descent/internal/lex"
)

// CSVOptions configures ReadCSV and ParseCSV. The zero value reads the last
// column as the target, within the default bounds.
type CSVOptions struct {
	// Target is the name of the target column; "" means the last column.
	Target string
	// NoTarget reads every column as a feature and leaves Y empty, for
	// data to predict on.
	NoTarget bool
	// MaxRecordBytes bounds one record (a line, or the lines a quoted
	// field spans); 0 means DefaultMaxRecordBytes.
	MaxRecordBytes int
	// MaxCells bounds the number of values read, header excluded; 0 means
	// DefaultMaxCells.
	MaxCells int
}

// ReadCSV reads the CSV file at path; see ParseCSV for the format. Errors
// name the path as given. The dataset's Name is the file's base name
// without its extension. It is ReadCSVContext without a context.
func ReadCSV(path string, opt CSVOptions) (*Dataset, error) {
	return ReadCSVContext(context.Background(), path, opt)
}

// ReadCSVContext is ReadCSV that stops when ctx is done (Ctrl-C): while
// opening a FIFO that has no writer yet, while blocked reading one, or
// while parsing a large file. The error then says so and wraps ctx's
// cause, e.g.
//
//	data: in.csv: reading interrupted: context canceled
func ReadCSVContext(ctx context.Context, path string, opt CSVOptions) (*Dataset, error) {
	f, err := openContext(ctx, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Closing the file unblocks a read from a FIFO or a terminal.
	stop := context.AfterFunc(ctx, func() { f.Close() })
	defer stop()
	return ParseCSVContext(ctx, f, path, opt)
}

// ParseCSV reads a dataset from CSV text. name is used in error positions
// (name:line:column, both 1-based, the column counted in fields); the
// dataset's Name is name's base without its extension. It is
// ParseCSVContext without a context.
//
// The first record is a header of distinct, non-empty column names; a first
// record that is entirely numeric is reported as a missing header. Every
// later record must have as many fields as the header, and every cell must
// be a finite number in plain decimal or scientific notation ("1", "-2.5",
// ".5", "1e-3"; surrounding spaces are ignored). Underscores, hexadecimal
// floats ("0x1p3"), NaN, Inf and values that overflow a float64, such as
// 1e400, are errors; values too small for a float64 read as 0. Blank lines
// are skipped and a UTF-8 byte-order mark is dropped. The column named
// opt.Target (default: the last one) becomes Y; the others, in file order,
// become X.
//
// A record longer than opt.MaxRecordBytes (DefaultMaxRecordBytes) or a file
// of more than opt.MaxCells values (DefaultMaxCells) is an error, so that
// memory grows only with real data. Error messages quote at most 40 bytes
// of any cell or name. Example errors:
//
//	data: x.csv: empty file
//	data: x.csv:1: missing header row (first row is numeric: "1,2,3")
//	data: x.csv:4: row has 2 columns, header has 3
//	data: x.csv:5:2: non-numeric cell "abc" in column "x2"
//	data: x.csv:6:1: non-finite value "NaN" in column "x1"
//	data: x.csv: unknown target column "price" (columns: x1, x2, y)
//	data: /dev/zero:1: line longer than 1048576 bytes (the limit for one CSV record, CSVOptions.MaxRecordBytes; is this a CSV file?)
func ParseCSV(r io.Reader, name string, opt CSVOptions) (*Dataset, error) {
	return ParseCSVContext(context.Background(), r, name, opt)
}

// ParseCSVContext is ParseCSV that stops reading when ctx is done, with an
// error that says so and wraps ctx's cause. It cannot unblock a Read that
// r itself blocks in; ReadCSVContext can, for files.
func ParseCSVContext(ctx context.Context, r io.Reader, name string, opt CSVOptions) (*Dataset, error) {
	maxRecord, maxCells := opt.MaxRecordBytes, opt.MaxCells
	if maxRecord <= 0 {
		maxRecord = DefaultMaxRecordBytes
	}
	if maxCells <= 0 {
		maxCells = DefaultMaxCells
	}
	cr := csv.NewReader(newLimitReader(ctx, r, maxRecord))
	cr.FieldsPerRecord = -1 // ragged rows get our own message
	cr.ReuseRecord = true

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

	base := filepath.Base(name)
	ds := &Dataset{Name: strings.TrimSuffix(base, filepath.Ext(base)), Features: features, D: len(features), src: name}
	if target >= 0 {
		ds.Target = cols[target]
	}
	cells := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols) {
			return nil, fmt.Errorf("data: %s:%d: row has %d columns, header has %d", name, line, len(rec), len(cols))
		}
		if cells += len(rec); cells > maxCells {
			return nil, fmt.Errorf("data: %s:%d: more than %d values (the limit for one CSV file, CSVOptions.MaxCells)", name, line, maxCells)
		}
		for j, cell := range rec {
			v, err := parseCell(cell)
			if err != nil {
				l, _ := cr.FieldPos(j)
				return nil, fmt.Errorf("data: %s:%d:%d: %v in column %s", name, l, j+1, err, lex.Quote(cols[j]))
			}
			if j == target {
				ds.Y = append(ds.Y, v)
			} else {
				ds.X = append(ds.X, v)
			}
		}
		ds.lines = append(ds.lines, line)
		ds.N++
	}
	if ds.N == 0 {
		return nil, fmt.Errorf("data: %s: no data rows after the header", name)
	}
	return ds, nil
}

// parseHeader validates the header record and returns a copy of its names.
// Duplicates are found through a map, in linear time.
func parseHeader(name string, cr *csv.Reader, header []string, noTarget bool) ([]string, error) {
	cols := make([]string, len(header))
	numeric := true
	for j, h := range header {
		if j == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		cols[j] = strings.TrimSpace(h)
		if _, err := lex.Float(cols[j]); err != nil && !errors.Is(err, lex.ErrNonFinite) {
			numeric = false
		}
	}
	line, _ := cr.FieldPos(0)
	if numeric {
		return nil, fmt.Errorf("data: %s:%d: missing header row (first row is numeric: %s)", name, line, lex.Quote(strings.Join(header, ",")))
	}
	if len(cols) < 2 && !noTarget {
		return nil, fmt.Errorf("data: %s:%d: header has %d column, need at least 2 (features and a target)", name, line, len(cols))
	}
	seen := make(map[string]int, len(cols))
	for j, c := range cols {
		if c == "" {
			l, _ := cr.FieldPos(j)
			return nil, fmt.Errorf("data: %s:%d:%d: empty column name in header", name, l, j+1)
		}
		if k, dup := seen[c]; dup {
			l, _ := cr.FieldPos(j)
			return nil, fmt.Errorf("data: %s:%d:%d: duplicate column name %s (also column %d)", name, l, j+1, lex.Quote(c), k+1)
		}
		seen[c] = j
	}
	return cols, nil
}

// maxListed is the number of names nameList shows.
const maxListed = 10

// nameList lists column names for a message: at most maxListed of them,
// each cut to lex.QuoteMax bytes (quoted when it holds a line break or
// another character that needs escaping), then the count.
func nameList(names []string) string {
	shown := make([]string, 0, min(len(names), maxListed)+1)
	for _, n := range names[:min(len(names), maxListed)] {
		shown = append(shown, lex.Name(n))
	}
	if len(names) > maxListed {
		return strings.Join(shown, ", ") + fmt.Sprintf(", …; %d in all", len(names))
	}
	return strings.Join(shown, ", ")
}

// parseCell parses one cell; its error reads well before "in column …".
func parseCell(cell string) (float64, error) {
	s := strings.TrimSpace(cell)
	if s == "" {
		return 0, errors.New("empty cell")
	}
	v, err := lex.Float(s)
	switch {
	case errors.Is(err, lex.ErrNonFinite):
		return 0, fmt.Errorf("non-finite value %s", lex.Quote(cell))
	case err != nil:
		return 0, fmt.Errorf("non-numeric cell %s", lex.Quote(cell))
	}
	return v, nil
}

// csvError turns an encoding/csv syntax error, a record over the limit or
// an interrupted read into name:line[:column] form.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	var re *recordError
	var ie *interruptedError
	switch {
	case errors.As(err, &ie):
		return fmt.Errorf("data: %s: %w", name, ie)
	case errors.As(err, &re):
		return fmt.Errorf("data: %s:%v", name, re)
	case errors.As(err, &pe):
		return fmt.Errorf("data: %s:%d: %v (byte %d of the line)", name, pe.Line, pe.Err, pe.Column)
	}
	return fmt.Errorf("data: %s: %w", name, err)
}
