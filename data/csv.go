package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// CSVOptions configures ReadCSV and ParseCSV. The zero value reads the last
// column as the target.
type CSVOptions struct {
	// Target is the name of the target column; "" means the last column.
	Target string
	// NoTarget reads every column as a feature and leaves Y empty, for
	// data to predict on.
	NoTarget bool
}

// ReadCSV reads the CSV file at path; see ParseCSV for the format. Errors
// name the path as given. The dataset's Name is the file's base name
// without its extension.
func ReadCSV(path string, opt CSVOptions) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	return ParseCSV(f, path, opt)
}

// ParseCSV reads a dataset from CSV text. name is used in error positions
// (name:line:column, both 1-based, the column counted in fields); the
// dataset's Name is name's base without its extension.
//
// The first record is a header of distinct, non-empty column names; a first
// record that is entirely numeric is reported as a missing header. Every
// later record must have as many fields as the header, and every cell must
// parse as a finite float64 (strconv.ParseFloat; surrounding spaces are
// ignored; NaN, ±Inf and overflowing values such as 1e400 are errors). Blank
// lines are skipped and a UTF-8 byte-order mark is dropped. The column named
// opt.Target (default: the last one) becomes Y; the others, in file order,
// become X. Example errors:
//
//	data: x.csv: empty file
//	data: x.csv:1: missing header row (first row is numeric: "1,2,3")
//	data: x.csv:4: row has 2 columns, header has 3
//	data: x.csv:5:2: non-numeric cell "abc" in column "x2"
//	data: x.csv:6:1: non-finite value "NaN" in column "x1"
//	data: x.csv: unknown target column "price" (columns: x1, x2, y)
func ParseCSV(r io.Reader, name string, opt CSVOptions) (*Dataset, error) {
	cr := csv.NewReader(r)
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
	target := len(cols) - 1
	if opt.NoTarget {
		target = -1
	} else if opt.Target != "" {
		target = indexOf(cols, opt.Target)
		if target < 0 {
			return nil, fmt.Errorf("data: %s: unknown target column %q (columns: %s)", name, opt.Target, strings.Join(cols, ", "))
		}
	}

	base := filepath.Base(name)
	ds := &Dataset{Name: strings.TrimSuffix(base, filepath.Ext(base)), D: len(cols) - 1, src: name}
	if target >= 0 {
		ds.Target = cols[target]
	} else {
		ds.D = len(cols)
	}
	ds.Features = make([]string, 0, ds.D)
	for j, c := range cols {
		if j != target {
			ds.Features = append(ds.Features, c)
		}
	}
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
		for j, cell := range rec {
			v, err := parseCell(cell)
			if err != nil {
				l, _ := cr.FieldPos(j)
				return nil, fmt.Errorf("data: %s:%d:%d: %v in column %q", name, l, j+1, err, cols[j])
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
func parseHeader(name string, cr *csv.Reader, header []string, noTarget bool) ([]string, error) {
	cols := make([]string, len(header))
	numeric := true
	for j, h := range header {
		if j == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		cols[j] = strings.TrimSpace(h)
		if _, err := strconv.ParseFloat(cols[j], 64); err != nil {
			numeric = false
		}
	}
	line, _ := cr.FieldPos(0)
	if numeric {
		return nil, fmt.Errorf("data: %s:%d: missing header row (first row is numeric: %q)", name, line, strings.Join(header, ","))
	}
	if len(cols) < 2 && !noTarget {
		return nil, fmt.Errorf("data: %s:%d: header has %d column, need at least 2 (features and a target)", name, line, len(cols))
	}
	for j, c := range cols {
		l, _ := cr.FieldPos(j)
		if c == "" {
			return nil, fmt.Errorf("data: %s:%d:%d: empty column name in header", name, l, j+1)
		}
		if k := indexOf(cols[:j], c); k >= 0 {
			return nil, fmt.Errorf("data: %s:%d:%d: duplicate column name %q (also column %d)", name, l, j+1, c, k+1)
		}
	}
	return cols, nil
}

// parseCell parses one cell; its error reads well before "in column …".
func parseCell(cell string) (float64, error) {
	s := strings.TrimSpace(cell)
	if s == "" {
		return 0, errors.New("empty cell")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("non-numeric cell %q", cell)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("non-finite value %q", cell)
	}
	return v, nil
}

// csvError turns an encoding/csv syntax error into name:line:column form.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("data: %s:%d: %v (byte %d of the line)", name, pe.Line, pe.Err, pe.Column)
	}
	return fmt.Errorf("data: %s: %w", name, err)
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
