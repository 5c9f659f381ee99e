package data

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClasses(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want int
		err  string
	}{
		{"binary", "x,y\n1,0\n2,1\n3,1\n", 2, ""},
		{"absent middle class", "x,y\n1,0\n2,2\n", 3, ""},
		{"single class", "x,y\n1,0\n", 1, ""},
		{"float-written integers", "x,y\n1,1.0\n2,3e0\n", 4, ""},
		{"non-integer", "x,label\n1,0\n2,1\n\n3,1.5\n", 0, `data: c.csv:5: class label in column "label" must be an integer 0, 1, 2, …, got 1.5`},
		{"negative", "x,label\n1,-1\n", 0, `data: c.csv:2: class label in column "label" must be an integer 0, 1, 2, …, got -1`},
		{"too large", "x,label\n1,70000\n", 0, `data: c.csv:2: class label in column "label" must be below 65536, got 70000`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseCSV(strings.NewReader(tt.csv), "c.csv", CSVOptions{})
			require.NoError(t, err)
			k, err := d.Classes()
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, k)
		})
	}
}

func TestClassesByHand(t *testing.T) {
	tests := []struct {
		name string
		d    Dataset
		err  string
	}{
		{"NaN, no file", Dataset{Name: "h", Target: "t", Y: []float64{0, math.NaN()}, X: []float64{0, 0}, N: 2, D: 1},
			`data: h: row 1: class label in column "t" must be an integer 0, 1, 2, …, got NaN`},
		{"Inf, no name", Dataset{Target: "t", Y: []float64{math.Inf(1)}, X: []float64{0}, N: 1, D: 1},
			`data: dataset: row 0: class label in column "t" must be an integer 0, 1, 2, …, got +Inf`},
		{"no rows", Dataset{Name: "h", D: 1}, `data: h: no rows to count classes in`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.d.Classes()
			assert.EqualError(t, err, tt.err)
		})
	}
}

func TestClassesAfterSplitNamesFileLine(t *testing.T) {
	d, err := ParseCSV(strings.NewReader("x,y\n1,0\n2,0\n3,0\n4,0.5\n"), "s.csv", CSVOptions{})
	require.NoError(t, err)
	s := d.Subset([]int{3})
	_, err = s.Classes()
	assert.EqualError(t, err, `data: s.csv:5: class label in column "y" must be an integer 0, 1, 2, …, got 0.5`)
}

// TestClassesBoundsOneHot: a stray large label in a small file would need a
// huge one-hot target; the bound is on N·k, not only on k (issue 8, item 2).
func TestClassesBoundsOneHot(t *testing.T) {
	var b strings.Builder
	b.WriteString("x,label\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "%d,%d\n", i, i%3)
	}
	b.WriteString("7,40000\n1,2\n")
	d, err := ParseCSV(strings.NewReader(b.String()), "big.csv", CSVOptions{})
	require.NoError(t, err)
	k, err := d.Classes()
	assert.EqualError(t, err, `data: big.csv:1002: class label 40000 in column "label" would need a one-hot target of 1002 rows × 40001 classes = 40081002 values, more than 16777216 (MaxOneHotValues)`)
	assert.Zero(t, k)
	// Just under the bound is fine.
	d = &Dataset{Name: "h", Target: "t", N: 256, D: 1, X: make([]float64, 256), Y: make([]float64, 256)}
	d.Y[0] = MaxOneHotValues/256 - 1
	k, err = d.Classes()
	require.NoError(t, err)
	assert.Equal(t, MaxOneHotValues/256, k)
}
