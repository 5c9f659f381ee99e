package data

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ReadCSVPart reads part k (0-based) of parts of a CSV file's rows, for
// one process of a data-parallel run: the bytes after the header are cut
// into parts ranges of equal size, and part k holds the rows whose line
// starts in range k. The parts together hold every row once, in file
// order, part after part, and each process reads only its own range (and
// the header). A part may hold no rows. Values and errors are ReadCSV's
// (file:line:column; a later part counts the lines before it only to
// report an error), with one restriction: every row must lie on one line,
// so a quoted field may not hold a line break. The rows of part 0 remember
// their file lines, as ReadCSV's do; those of later parts do not.
// opt.MaxRecordBytes bounds a line and opt.MaxCells the values of the part.
func ReadCSVPart(path string, opt CSVOptions, k, parts int) (*Dataset, error) {
	if parts < 1 || k < 0 || k >= parts {
		return nil, fmt.Errorf("data: part %d of %d: the part must be in [0,%d)", k, parts, parts)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	size := st.Size()
	h, err := readCSVHeader(f, size, path, opt)
	if err != nil {
		return nil, err
	}
	body := size - h.dataAt
	lo := h.dataAt + int64(k)*(body/int64(parts)) + min(int64(k), body%int64(parts))
	hi := lo + body/int64(parts)
	if int64(k) < body%int64(parts) {
		hi++
	}
	lines, err := newCSVLines(h, f, size, lo, hi)
	if err != nil {
		return nil, err
	}
	lines.max = cmp.Or(opt.MaxRecordBytes, DefaultMaxRecordBytes)
	maxCells := cmp.Or(opt.MaxCells, DefaultMaxCells)
	base := filepath.Base(path)
	ds := &Dataset{Name: strings.TrimSuffix(base, filepath.Ext(base)), Features: h.features, D: len(h.features)}
	if h.target >= 0 {
		ds.Target = h.cols[h.target]
	}
	first := lines.lo <= h.dataAt
	if first {
		ds.src = path
	}
	x := make([]float64, ds.D)
	for {
		y, ok, err := lines.next(x)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if (ds.N+1)*len(h.cols) > maxCells {
			return nil, fmt.Errorf("data: %s:%d: more than %d values (the limit for one CSV file, CSVOptions.MaxCells)", path, lines.absLine(lines.line), maxCells)
		}
		ds.X = append(ds.X, x...)
		if h.target >= 0 {
			ds.Y = append(ds.Y, y)
		}
		if first {
			ds.lines = append(ds.lines, lines.absLine(lines.line))
		}
		ds.N++
	}
	if ds.N == 0 && parts == 1 {
		return nil, fmt.Errorf("data: %s: no data rows after the header", path)
	}
	return ds, nil
}
