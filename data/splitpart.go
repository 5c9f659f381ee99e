package data

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Part places one process's share of a dataset: its rows are rows
// [Lo, Lo+N) of the Total rows of the whole, in the whole's order.
type Part struct {
	Lo, Total int
}

// SplitPart is Split for one process's part of a dataset: d holds rows
// [at.Lo, at.Lo+d.N) of at.Total. Every process draws the same
// permutation of at.Total rows with the seed, so the parts' training rows
// together are exactly the training rows Split picks from the whole
// dataset, and likewise the validation rows. It returns this part's
// training and validation rows, in their original order, and where they
// lie in the whole training and validation sets, which are Split's. It
// holds a permutation of all at.Total rows for a moment (9 bytes a row),
// as Split does.
func SplitPart(d *Dataset, at Part, valFrac float64, seed int64) (train, val *Dataset, trainAt, valAt Part, err error) {
	n := at.Total
	switch {
	case n <= 0:
		return nil, nil, Part{}, Part{}, fmt.Errorf("data: cannot split a dataset with no rows")
	case at.Lo < 0 || d.N < 0 || at.Lo > n-d.N:
		return nil, nil, Part{}, Part{}, fmt.Errorf("data: part of rows [%d,%d) does not lie in the %d rows of the whole", at.Lo, at.Lo+d.N, n)
	case !(valFrac >= 0 && valFrac < 1):
		return nil, nil, Part{}, Part{}, fmt.Errorf("data: validation fraction must be in [0,1), got %v", valFrac)
	}
	nVal := int(math.Round(valFrac * float64(n)))
	switch {
	case valFrac > 0 && nVal == 0:
		return nil, nil, Part{}, Part{}, fmt.Errorf("data: validation fraction %v of %d rows leaves no validation rows", valFrac, n)
	case nVal >= n:
		return nil, nil, Part{}, Part{}, fmt.Errorf("data: validation fraction %v of %d rows leaves no training rows", valFrac, n)
	}
	perm := rand.New(rand.NewPCG(uint64(seed), splitStream)).Perm(n)
	isVal := make([]bool, n)
	for _, i := range perm[:nVal] {
		isVal[i] = true
	}
	perm = nil
	before := 0 // validation rows before this part
	for _, v := range isVal[:at.Lo] {
		if v {
			before++
		}
	}
	var ti, vi []int
	for i := range d.N {
		if isVal[at.Lo+i] {
			vi = append(vi, i)
		} else {
			ti = append(ti, i)
		}
	}
	return d.Subset(ti), d.Subset(vi), Part{Lo: at.Lo - before, Total: n - nVal}, Part{Lo: before, Total: nVal}, nil
}
