package data

import (
	"fmt"
	"strings"
)

// Select returns a copy of the dataset with only the named feature columns,
// in the order given; other columns are dropped. A missing name is an
// error that lists the columns there are.
func (d *Dataset) Select(names []string) (*Dataset, error) {
	pos := make(map[string]int, len(d.Features))
	for i, f := range d.Features {
		if _, dup := pos[f]; !dup {
			pos[f] = i
		}
	}
	idx := make([]int, len(names))
	same := len(names) == d.D
	for i, n := range names {
		c, ok := pos[n]
		if !ok {
			cols := d.Features
			more := ""
			if len(cols) > 20 {
				cols, more = cols[:20], fmt.Sprintf(", … (%d in all)", len(d.Features))
			}
			return nil, fmt.Errorf("data: %s has no column %q (columns: %s%s)", d.label(), n, strings.Join(cols, ", "), more)
		}
		idx[i] = c
		same = same && c == i
	}
	out := *d
	if !same {
		out.Shape = nil // a reordered or partial row is flat
	}
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
