package data

import (
	"fmt"
	"strings"
)

// Select returns a copy of the dataset with only the named feature columns,
// in the order given; other columns are dropped. A missing name is an
// error that lists the columns there are.
func (d *Dataset) Select(names []string) (*Dataset, error) {
	idx := make([]int, len(names))
	for i, n := range names {
		idx[i] = indexOf(d.Features, n)
		if idx[i] < 0 {
			return nil, fmt.Errorf("data: %s has no column %q (columns: %s)", d.label(), n, strings.Join(d.Features, ", "))
		}
	}
	out := *d
	out.Features = append([]string(nil), names...)
	out.D = len(names)
	out.X = make([]float64, d.N*len(names))
	for r := 0; r < d.N; r++ {
		for j, c := range idx {
			out.X[r*len(names)+j] = d.X[r*d.D+c]
		}
	}
	out.Y = append([]float64(nil), d.Y...)
	out.lines = append([]int(nil), d.lines...)
	return &out, nil
}
