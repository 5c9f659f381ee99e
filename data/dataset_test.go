package data

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// grid is a 4×2 dataset whose entries encode their position: X[i,j] = 10i+j,
// Y[i] = 100i.
func grid() *Dataset {
	return &Dataset{Name: "grid", Features: []string{"a", "b"}, Target: "y",
		X: []float64{0, 1, 10, 11, 20, 21, 30, 31}, Y: []float64{0, 100, 200, 300}, N: 4, D: 2}
}

func TestRow(t *testing.T) {
	d := grid()
	r := d.Row(2)
	assert.Equal(t, []float64{20, 21}, r)
	assert.Equal(t, 2, cap(r), "capacity is clipped")
	r[0] = -1
	assert.Equal(t, -1.0, d.X[4], "Row aliases X")
	_ = append(r, 99)
	assert.Equal(t, 30.0, d.X[6], "appending to a row must not touch the next")
	assert.Panics(t, func() { d.Row(4) })
	assert.Panics(t, func() { d.Row(-1) })
}

func TestSubset(t *testing.T) {
	d, err := ParseCSV(strings.NewReader("a,b,y\n0,1,0\n10,11,100\n\n20,21,200\n30,31,300\n"), "g.csv", CSVOptions{})
	require.NoError(t, err)
	s := d.Subset([]int{3, 0, 3})
	assert.Equal(t, []float64{30, 31, 0, 1, 30, 31}, s.X)
	assert.Equal(t, []float64{300, 0, 300}, s.Y)
	assert.Equal(t, 3, s.N)
	assert.Equal(t, 2, s.D)
	assert.Equal(t, []int{6, 2, 6}, s.lines, "file lines follow the rows")
	assert.Equal(t, d.Features, s.Features)
	s.X[0], s.Y[0] = -1, -1
	assert.Equal(t, 30.0, d.X[6], "Subset copies X")
	assert.Equal(t, 300.0, d.Y[3], "Subset copies Y")

	empty := d.Subset(nil)
	assert.Equal(t, 0, empty.N)
	assert.Empty(t, empty.X)
	assert.Panics(t, func() { d.Subset([]int{4}) })
}

func TestGather(t *testing.T) {
	d := grid()
	X, Y := make([]float64, 6), make([]float64, 3)
	for i := range X {
		X[i] = -7
	}
	d.Gather([]int{1, 3}, X, Y)
	assert.Equal(t, []float64{10, 11, 30, 31, -7, -7}, X, "only len(idx)·D values are written")
	assert.Equal(t, []float64{100, 300, 0}, Y)

	d.Gather([]int{2}, X, nil)
	assert.Equal(t, []float64{20, 21}, X[:2])

	allocs := testing.AllocsPerRun(100, func() { d.Gather([]int{0, 1, 2}, X, Y) })
	assert.Zero(t, allocs)

	assert.Panics(t, func() { d.Gather([]int{0, 1, 2, 3}, X, Y) }, "X too short")
	assert.Panics(t, func() { d.Gather([]int{0, 1, 2}, X, Y[:2]) }, "Y too short")
	assert.Panics(t, func() { d.Gather([]int{9}, X, Y) }, "index out of range")
}
