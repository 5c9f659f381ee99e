package data

import (
	"fmt"

	"github.com/descent-ml/descent/internal/lex"
)

// Select returns a copy of the dataset with only the named feature columns,
// in the order given; other columns are dropped. A missing name is an
// error that lists the columns there are. Names are looked up through a
// map, so the cost is linear in the columns and names.
func (d *Dataset) Select(names []string) (*Dataset, error) {
	pos := make(map[string]int, len(d.Features))
	for j := len(d.Features) - 1; j >= 0; j-- { // the first of equal names wins
		pos[d.Features[j]] = j
	}
	idx := make([]int, len(names))
	same := len(names) == d.D
	for i, n := range names {
		j, ok := pos[n]
		if !ok {
			return nil, fmt.Errorf("data: %s has no column %s (columns: %s)", d.label(), lex.Quote(n), nameList(d.Features))
		}
		idx[i] = j
		same = same && j == i
	}
	if len(names) > 0 && d.N > DefaultMaxCells/len(names) {
		return nil, fmt.Errorf("data: %s: selecting %d columns of %d rows needs more than %d values", d.label(), len(names), d.N, DefaultMaxCells)
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
