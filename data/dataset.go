package data

import "fmt"

// Dataset is a design matrix and a target, row-major.
//
// X holds N rows of D features (row i is X[i*D:(i+1)*D]) and Y the N target
// values. Datasets from ParseCSV, ReadCSV and Builtin also remember the file
// line of each row, so that later errors (Classes) can name it; Subset and
// Split keep those lines.
type Dataset struct {
	Name     string
	Features []string  // feature column names, len D
	Target   string    // target column name
	X        []float64 // N×D row-major
	Y        []float64 // N
	N, D     int
	// Shape is the per-row input shape, such as [1 28 28] for images
	// (C, H, W); its product is D. Nil means a flat row of D features.
	Shape []int

	src   string // file name used in error positions; "" when built by hand
	lines []int  // file line of each row (len N), or nil
}

// Row returns row i of X as a slice of length D that aliases X (capacity
// clipped, so appending to it cannot overwrite row i+1). It panics if i is
// not in [0, N).
func (d *Dataset) Row(i int) []float64 {
	if i < 0 || i >= d.N {
		panic(fmt.Sprintf("data: row index %d out of range [0, %d)", i, d.N))
	}
	return d.X[i*d.D : (i+1)*d.D : (i+1)*d.D]
}

// Subset returns a new dataset holding copies of the rows idx, in that
// order (an index may repeat). The result shares no memory with d except
// the Features slice, which is treated as read-only. It panics if an index
// is not in [0, N).
func (d *Dataset) Subset(idx []int) *Dataset {
	s := &Dataset{
		Name: d.Name, Features: d.Features, Target: d.Target, src: d.src,
		X: make([]float64, len(idx)*d.D), Y: make([]float64, len(idx)),
		N: len(idx), D: d.D, Shape: d.Shape,
	}
	d.Gather(idx, s.X, s.Y)
	if d.lines != nil {
		s.lines = make([]int, len(idx))
		for k, i := range idx {
			s.lines[k] = d.lines[i]
		}
	}
	return s
}

// Gather copies the rows idx into the caller's buffers: row idx[k] of X
// goes to X[k*D:(k+1)*D] and its target to Y[k]. It allocates nothing, so
// a training loop can feed batch after batch through the same two buffers.
// Y may be nil to copy only features. It panics if a buffer is shorter than
// len(idx)·D (X) or len(idx) (Y), or if an index is not in [0, N).
func (d *Dataset) Gather(idx []int, X, Y []float64) {
	if len(X) < len(idx)*d.D {
		panic(fmt.Sprintf("data: Gather of %d rows × %d features needs len(X) >= %d, got %d", len(idx), d.D, len(idx)*d.D, len(X)))
	}
	if Y != nil && len(Y) < len(idx) {
		panic(fmt.Sprintf("data: Gather of %d rows needs len(Y) >= %d, got %d", len(idx), len(idx), len(Y)))
	}
	for k, i := range idx {
		copy(X[k*d.D:(k+1)*d.D], d.Row(i))
		if Y != nil {
			Y[k] = d.Y[i]
		}
	}
}

// where names row i for an error message: "file.csv:LINE" when the line is
// known, "NAME: row i" (0-based, as in Row) otherwise.
func (d *Dataset) where(i int) string {
	if d.lines != nil && d.src != "" {
		return fmt.Sprintf("%s:%d", d.src, d.lines[i])
	}
	return fmt.Sprintf("%s: row %d", d.label(), i)
}
