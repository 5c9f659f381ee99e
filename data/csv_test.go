package data

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCSVErrors(t *testing.T) {
	tests := []struct {
		name, in, target, want string
	}{
		{"empty file", "", "", `data: x.csv: empty file`},
		{"only blank lines", "\n\n\n", "", `data: x.csv: empty file`},
		{"missing header", "1,2,3\n4,5,6\n", "", `data: x.csv:1: missing header row (first row is numeric: "1,2,3")`},
		{"missing header after blank line", "\n1.5,-2,1e3\n", "", `data: x.csv:2: missing header row (first row is numeric: "1.5,-2,1e3")`},
		{"ragged short row", "x1,x2,y\n1,2,3\n4,5,6\n7,8\n", "", `data: x.csv:4: row has 2 columns, header has 3`},
		{"ragged long row", "x1,x2,y\n1,2,3,4\n", "", `data: x.csv:2: row has 4 columns, header has 3`},
		{"non-numeric cell", "x1,x2,y\n1,2,3\n1,2,3\n1,2,3\n1,abc,3\n", "", `data: x.csv:5:2: non-numeric cell "abc" in column "x2"`},
		{"NaN cell", "x1,x2,y\n1,2,3\n1,2,3\n1,2,3\n1,2,3\nNaN,2,3\n", "", `data: x.csv:6:1: non-finite value "NaN" in column "x1"`},
		{"Inf cell", "x1,x2,y\n1,2,-Inf\n", "", `data: x.csv:2:3: non-finite value "-Inf" in column "y"`},
		{"overflow cell", "x1,x2,y\n1,1e400,3\n", "", `data: x.csv:2:2: non-finite value "1e400" in column "x2"`},
		{"empty cell", "x1,x2,y\n1,,3\n", "", `data: x.csv:2:2: empty cell in column "x2"`},
		{"blank cell", "x1,x2,y\n1,2,  \n", "", `data: x.csv:2:3: empty cell in column "y"`},
		{"unknown target", "x1,x2,y\n1,2,3\n", "price", `data: x.csv: unknown target column "price" (columns: x1, x2, y)`},
		{"no data rows", "x1,x2,y\n", "", `data: x.csv: no data rows after the header`},
		{"no data rows, blank lines", "x1,x2,y\n\n\n", "", `data: x.csv: no data rows after the header`},
		{"duplicate header", "x1,x2,x1,y\n1,2,3,4\n", "", `data: x.csv:1:3: duplicate column name "x1" (also column 1)`},
		{"duplicate after trimming", "x1, x1 ,y\n1,2,3\n", "", `data: x.csv:1:2: duplicate column name "x1" (also column 1)`},
		{"empty header name", "x1,,y\n1,2,3\n", "", `data: x.csv:1:2: empty column name in header`},
		{"one column", "y\n1\n", "", `data: x.csv:1: header has 1 column, need at least 2 (features and a target)`},
		{"bare quote", "x,y\n1,2\n3,4\"\n", "", `data: x.csv:3: bare " in non-quoted-field (byte 4 of the line)`},
		{"unterminated quote", "x,y\n1,\"2\n", "", `data: x.csv:2: extraneous or missing " in quoted-field (byte 6 of the line)`},
		{"line after multi-line field", "x,y\n\"1\n\",2\n3,z\n", "", `data: x.csv:4:2: non-numeric cell "z" in column "y"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ParseCSV(strings.NewReader(tt.in), "x.csv", CSVOptions{Target: tt.target})
			require.Error(t, err)
			assert.Nil(t, ds)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestParseCSVReaderError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := ParseCSV(iotest.ErrReader(boom), "x.csv", CSVOptions{})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, "data: x.csv: disk on fire", err.Error())
}

func TestReadCSVMissingFile(t *testing.T) {
	_, err := ReadCSV("testdata/nope.csv", CSVOptions{})
	require.Error(t, err)
	assert.Equal(t, "data: open testdata/nope.csv: no such file or directory", err.Error())
}

func TestParseCSV(t *testing.T) {
	tests := []struct {
		name, in, target string
		want             Dataset
		lines            []int
	}{
		{
			name:  "default target is last",
			in:    "a,b,y\n1,2,3\n4,5,6\n",
			want:  Dataset{Name: "x", Features: []string{"a", "b"}, Target: "y", X: []float64{1, 2, 4, 5}, Y: []float64{3, 6}, N: 2, D: 2},
			lines: []int{2, 3},
		},
		{
			name: "target by name in the middle",
			in:   "a,y,b\n1,2,3\n4,5,6\n", target: "y",
			want:  Dataset{Name: "x", Features: []string{"a", "b"}, Target: "y", X: []float64{1, 3, 4, 6}, Y: []float64{2, 5}, N: 2, D: 2},
			lines: []int{2, 3},
		},
		{
			name: "target by name first",
			in:   "y,a\n1,2\n", target: "y",
			want:  Dataset{Name: "x", Features: []string{"a"}, Target: "y", X: []float64{2}, Y: []float64{1}, N: 1, D: 1},
			lines: []int{2},
		},
		{
			name:  "BOM, spaces, CRLF, quotes, blank lines, exponents",
			in:    "\uFEFF a , b \r\n\r\n 1 ,\"-2.5\"\r\n\r\n1e-3,+4\r\n",
			want:  Dataset{Name: "x", Features: []string{"a"}, Target: "b", X: []float64{1, 0.001}, Y: []float64{-2.5, 4}, N: 2, D: 1},
			lines: []int{3, 5},
		},
		{
			name:  "partly numeric header is a header",
			in:    "x,2019\n1,2\n",
			want:  Dataset{Name: "x", Features: []string{"x"}, Target: "2019", X: []float64{1}, Y: []float64{2}, N: 1, D: 1},
			lines: []int{2},
		},
		{
			name:  "underflow reads as zero",
			in:    "x,y\n1e-400,1\n",
			want:  Dataset{Name: "x", Features: []string{"x"}, Target: "y", X: []float64{0}, Y: []float64{1}, N: 1, D: 1},
			lines: []int{2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ParseCSV(strings.NewReader(tt.in), "dir/x.csv", CSVOptions{Target: tt.target})
			require.NoError(t, err)
			assert.Equal(t, tt.lines, ds.lines)
			assert.Equal(t, "dir/x.csv", ds.src)
			ds.lines, ds.src = nil, ""
			assert.Equal(t, &tt.want, ds)
		})
	}
}

func TestReadCSV(t *testing.T) {
	ds, err := ReadCSV("testdata/houses.csv", CSVOptions{Target: "price"})
	require.NoError(t, err)
	assert.Equal(t, "houses", ds.Name)
	assert.Equal(t, []string{"rooms", "area", "age"}, ds.Features)
	assert.Equal(t, []float64{3, 70.5, 12, 4, 95, 5, 2, 48.25, 30}, ds.X)
	assert.Equal(t, []float64{210000, 280000, 150000}, ds.Y)
	assert.Equal(t, 3, ds.N)
	assert.Equal(t, 3, ds.D)

	_, err = ReadCSV("testdata/houses.csv", CSVOptions{Target: "Price"})
	assert.EqualError(t, err, `data: testdata/houses.csv: unknown target column "Price" (columns: rooms, area, price, age)`)
}
