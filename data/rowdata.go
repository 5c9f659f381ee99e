package data

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/descent-ml/descent/internal/lex"
)

// ReadRowFile reads a whole row file (see RowFile) into a dataset. The
// target is the column opt.Target names, or the last one, as in ReadCSV;
// the others are the features, in file order. Errors name the row (0-based,
// the header not counted) and the column.
func ReadRowFile(path string, opt CSVOptions) (*Dataset, error) {
	return ReadRowFilePart(path, opt, 0, 1)
}

// ReadRowFilePart reads part k (0-based) of parts of a row file's rows,
// for one process of a data-parallel run: rows [k·R/parts, (k+1)·R/parts)
// of R, which only this process reads.
func ReadRowFilePart(path string, opt CSVOptions, k, parts int) (*Dataset, error) {
	if parts < 1 || k < 0 || k >= parts {
		return nil, fmt.Errorf("data: part %d of %d: the part must be in [0,%d)", k, parts, parts)
	}
	rf, err := OpenRowFile(path)
	if err != nil {
		return nil, err
	}
	defer rf.Close()
	target, features, err := pickTarget(path, rf.Columns, opt)
	if err != nil {
		return nil, err
	}
	lo, hi := partOf(rf.Rows, k, parts)
	base := filepath.Base(path)
	ds := &Dataset{Name: strings.TrimSuffix(base, filepath.Ext(base)), Features: features, D: len(features), N: int(hi - lo)}
	if target >= 0 {
		ds.Target = rf.Columns[target]
		ds.Y = make([]float64, ds.N)
	}
	ds.X = make([]float64, ds.N*ds.D)
	c := len(rf.Columns)
	const block = 4096
	buf := make([]float64, block*c)
	for at := lo; at < hi; at += block {
		n := int(min(block, hi-at))
		if err := rf.ReadRows(buf, at, n); err != nil {
			return nil, err
		}
		for i := range n {
			splitRow(ds.X[(int(at-lo)+i)*ds.D:], ds.Y, int(at-lo)+i, buf[i*c:(i+1)*c], target)
		}
	}
	if ds.N == 0 && parts == 1 {
		return nil, fmt.Errorf("data: %s: no data rows", path)
	}
	return ds, nil
}

// partOf is part k of parts of n items: [k·n/parts, (k+1)·n/parts).
func partOf(n int64, k, parts int) (lo, hi int64) {
	return n/int64(parts)*int64(k) + min(int64(k), n%int64(parts)), n/int64(parts)*int64(k+1) + min(int64(k+1), n%int64(parts))
}

// splitRow copies a file row's features into x and its target into y[i].
func splitRow(x, y []float64, i int, row []float64, target int) {
	k := 0
	for j, v := range row {
		if j == target {
			y[i] = v
			continue
		}
		x[k] = v
		k++
	}
}

// pickTarget finds the target column among cols as ReadCSV does: the one
// opt.Target names, the last one by default, or none with opt.NoTarget.
func pickTarget(name string, cols []string, opt CSVOptions) (int, []string, error) {
	target := len(cols) - 1
	switch {
	case opt.NoTarget:
		target = -1
	case opt.Target != "":
		if target = slices.Index(cols, opt.Target); target < 0 {
			return 0, nil, fmt.Errorf("data: %s: unknown target column %s (columns: %s)", name, lex.Quote(opt.Target), nameList(cols))
		}
	case len(cols) < 2:
		return 0, nil, fmt.Errorf("data: %s: %d column, need at least 2 (features and a target)", name, len(cols))
	}
	var features []string
	for j, c := range cols {
		if j != target {
			features = append(features, c)
		}
	}
	return target, features, nil
}
