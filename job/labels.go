package job

import (
	"fmt"
	"math"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/internal/lex"
)

// labeler answers chooseLoss's questions about the target column: over
// the rows one process holds (localLabels), or over every process's rows
// together (sharedLabels). Every process of a data-parallel run asks the
// same questions in the same order, since the questions depend only on the
// job's flags and on earlier answers, which are global.
type labeler interface {
	// target names the target column.
	target() string
	// rows is the number of rows over all processes.
	rows() int
	// classes is data.Dataset.Classes over all rows: k = max label + 1,
	// or an error naming a row whose label is not a class.
	classes() (int, error)
	// labelClasses is labelClasses over all rows: whether the target holds
	// class labels 0..k−1, every one present, at least 2 rows per class.
	labelClasses() (int, bool, error)
}

// localLabels is the target of one dataset.
type localLabels struct{ ds *data.Dataset }

func (l localLabels) target() string        { return l.ds.Target }
func (l localLabels) rows() int             { return l.ds.N }
func (l localLabels) classes() (int, error) { return l.ds.Classes() }
func (l localLabels) labelClasses() (int, bool, error) {
	k, ok := labelClasses(l.ds)
	return k, ok, nil
}

// sharedLabels is the target of every process's part of a dataset: ds is
// this process's part, rows [at.Lo, at.Lo+ds.N) of at.Total.
type sharedLabels struct {
	ds *data.Dataset
	at data.Part
	r  data.Reducer
}

func (l sharedLabels) target() string { return l.ds.Target }
func (l sharedLabels) rows() int      { return l.at.Total }

// classes checks this part's labels, naming a bad one by its row in the
// whole file, and takes the largest k over the parts.
func (l sharedLabels) classes() (int, error) {
	k := 0
	for i, v := range l.ds.Y[:l.ds.N] {
		switch {
		case v != math.Trunc(v) || v < 0 || math.IsInf(v, 0):
			return 0, fmt.Errorf("data: %s: data row %d: class label in column %s must be an integer 0, 1, 2, …, got %v", l.ds.Name, l.at.Lo+i+1, lex.Quote(l.ds.Target), v)
		case v >= data.MaxClasses:
			return 0, fmt.Errorf("data: %s: data row %d: class label in column %s must be below %d, got %v", l.ds.Name, l.at.Lo+i+1, lex.Quote(l.ds.Target), data.MaxClasses, v)
		}
		k = max(k, int(v)+1)
	}
	all, err := data.Gather(l.r, []float64{float64(k)})
	if err != nil {
		return 0, err
	}
	for _, v := range all {
		k = max(k, int(v))
	}
	return k, nil
}

// labelClasses gathers whether every part's labels could be classes and
// their largest value, then counts each class's rows over the parts.
func (l sharedLabels) labelClasses() (int, bool, error) {
	ok, top := 1.0, -1.0
	for _, v := range l.ds.Y[:l.ds.N] {
		if v < 0 || v != math.Trunc(v) || v >= MaxLabelClasses {
			ok = 0
			break
		}
		top = math.Max(top, v)
	}
	all, err := data.Gather(l.r, []float64{ok, top})
	if err != nil {
		return 0, false, err
	}
	for q := 0; q < len(all); q += 2 {
		ok, top = math.Min(ok, all[q]), math.Max(top, all[q+1])
	}
	k := int(top) + 1
	if ok == 0 || k < 2 || l.at.Total < 2*k {
		return 0, false, nil
	}
	seen := make([]float64, k)
	for _, v := range l.ds.Y[:l.ds.N] {
		seen[int(v)] = 1
	}
	if err := l.r.AllreduceSum64(seen); err != nil {
		return 0, false, err
	}
	for _, s := range seen {
		if s == 0 {
			return 0, false, nil
		}
	}
	return k, true, nil
}
