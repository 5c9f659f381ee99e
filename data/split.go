package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// splitStream is the second PCG seed word of Split, fixed so that Split's
// seed alone picks the rows.
const splitStream = 0x5eed5917

// Split shuffles the row indices with a PCG generator seeded by seed and
// puts round(valFrac·N) of them into val and the rest into train. Both are
// fresh copies (Subset) whose rows keep their original relative order, so
// the same seed always selects the same rows. valFrac must be in [0, 1);
// with 0, val has no rows. It is an error for a positive valFrac to leave
// either side empty.
func Split(d *Dataset, valFrac float64, seed int64) (train, val *Dataset, err error) {
	if d == nil || d.N == 0 {
		return nil, nil, fmt.Errorf("data: cannot split a dataset with no rows")
	}
	if !(valFrac >= 0 && valFrac < 1) {
		return nil, nil, fmt.Errorf("data: validation fraction must be in [0,1), got %v", valFrac)
	}
	nVal := int(math.Round(valFrac * float64(d.N)))
	switch {
	case valFrac > 0 && nVal == 0:
		return nil, nil, fmt.Errorf("data: validation fraction %v of %d rows leaves no validation rows", valFrac, d.N)
	case nVal >= d.N:
		return nil, nil, fmt.Errorf("data: validation fraction %v of %d rows leaves no training rows", valFrac, d.N)
	}
	perm := rand.New(rand.NewPCG(uint64(seed), splitStream)).Perm(d.N)
	vi, ti := perm[:nVal], perm[nVal:]
	slices.Sort(vi)
	slices.Sort(ti)
	return d.Subset(ti), d.Subset(vi), nil
}
