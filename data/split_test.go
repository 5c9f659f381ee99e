package data

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// indexed returns an n-row dataset whose Y is the row index and whose single
// feature is −index, so rows can be traced through a split.
func indexed(n int) *Dataset {
	d := &Dataset{Name: "idx", Features: []string{"f"}, Target: "i", X: make([]float64, n), Y: make([]float64, n), N: n, D: 1}
	for i := range n {
		d.X[i], d.Y[i] = -float64(i), float64(i)
	}
	return d
}

func TestSplitPartitions(t *testing.T) {
	tests := []struct {
		n       int
		frac    float64
		wantVal int
	}{
		{150, 0.2, 30},
		{10, 0.25, 3}, // round(2.5) = 3
		{7, 0.5, 4},   // round(3.5) = 4
		{5, 0, 0},
		{2, 0.5, 1},
	}
	for _, tt := range tests {
		d := indexed(tt.n)
		tr, va, err := Split(d, tt.frac, 42)
		require.NoError(t, err)
		assert.Equal(t, tt.wantVal, va.N, "n=%d frac=%v", tt.n, tt.frac)
		assert.Equal(t, tt.n-tt.wantVal, tr.N)
		all := append(slices.Clone(tr.Y), va.Y...)
		slices.Sort(all)
		assert.Equal(t, d.Y, all, "train and val partition the rows")
		for _, s := range []*Dataset{tr, va} {
			assert.True(t, slices.IsSorted(s.Y), "rows keep their original order")
			for i := range s.N {
				assert.Equal(t, -s.Y[i], s.X[i], "feature and target stay paired")
			}
		}
	}
}

func TestSplitSeeds(t *testing.T) {
	d := indexed(100)
	_, v1, err := Split(d, 0.3, 7)
	require.NoError(t, err)
	_, v2, err := Split(d, 0.3, 7)
	require.NoError(t, err)
	_, v3, err := Split(d, 0.3, 8)
	require.NoError(t, err)
	assert.Equal(t, v1.Y, v2.Y, "same seed, same rows")
	assert.NotEqual(t, v1.Y, v3.Y, "different seeds, different rows")
	assert.NotEqual(t, d.Y[:30], v1.Y, "the split is shuffled, not a head")
}

func TestSplitCopies(t *testing.T) {
	d := indexed(10)
	tr, va, err := Split(d, 0.5, 1)
	require.NoError(t, err)
	for i := range tr.X {
		tr.X[i] = 99
	}
	for i := range va.X {
		va.X[i] = 99
	}
	assert.Equal(t, indexed(10), d)
}

func TestSplitErrors(t *testing.T) {
	tests := []struct {
		name string
		d    *Dataset
		frac float64
		want string
	}{
		{"nil", nil, 0.2, "data: cannot split a dataset with no rows"},
		{"empty", indexed(0), 0.2, "data: cannot split a dataset with no rows"},
		{"negative", indexed(10), -0.1, "data: validation fraction must be in [0,1), got -0.1"},
		{"one", indexed(10), 1, "data: validation fraction must be in [0,1), got 1"},
		{"NaN", indexed(10), math.NaN(), "data: validation fraction must be in [0,1), got NaN"},
		{"no val rows", indexed(10), 0.01, "data: validation fraction 0.01 of 10 rows leaves no validation rows"},
		{"no train rows", indexed(2), 0.9, "data: validation fraction 0.9 of 2 rows leaves no training rows"},
		{"single row", indexed(1), 0.5, "data: validation fraction 0.5 of 1 rows leaves no training rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, va, err := Split(tt.d, tt.frac, 1)
			assert.EqualError(t, err, tt.want)
			assert.Nil(t, tr)
			assert.Nil(t, va)
		})
	}
}
