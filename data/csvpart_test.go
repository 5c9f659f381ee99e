package data

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// joinParts reads every part of a CSV file and concatenates them.
func joinParts(t testing.TB, path string, opt CSVOptions, parts int) (*Dataset, error) {
	var all *Dataset
	for k := range parts {
		ds, err := ReadCSVPart(path, opt, k, parts)
		if err != nil {
			return nil, err
		}
		if all == nil {
			all = ds
			continue
		}
		require.Equal(t, all.Features, ds.Features)
		all.X = append(all.X, ds.X...)
		all.Y = append(all.Y, ds.Y...)
		all.N += ds.N
	}
	return all, nil
}

// TestReadCSVPartJoinsToReadCSV: for files with blank lines, CRLF line
// ends, quoted cells, spaces, a byte-order mark and no final newline, the
// parts of 1 to 7 processes hold every row once, in file order, with the
// values ReadCSV reads; bad files give ReadCSV's message whichever part
// the bad row falls in, with the file line.
func TestReadCSVPartJoinsToReadCSV(t *testing.T) {
	var long strings.Builder
	long.WriteString("a,b,y\n")
	for i := range 300 {
		fmt.Fprintf(&long, "%d, %g ,%d\n", i, float64(i)/7, i%3)
		if i%50 == 0 {
			long.WriteString("\n")
		}
	}
	files := map[string]string{
		"plain":      "x,y\n1,2\n3,4\n5,6\n",
		"crlf":       "x,y\r\n1,2\r\n\r\n3,4\r\n5,6",
		"quoted":     "\uFEFFx,\"y\"\n\"1\",2\n3,\" 4\"\n",
		"one row":    "x,y\n1,2",
		"long":       long.String(),
		"target mid": "a,y,b\n1,2,3\n4,5,6\n",
	}
	dir := t.TempDir()
	for name, body := range files {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".csv")
		require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
		opt := CSVOptions{}
		if name == "target mid" {
			opt.Target = "y"
		}
		want, err := ReadCSV(path, opt)
		require.NoError(t, err, name)
		for parts := 1; parts <= 7; parts++ {
			got, err := joinParts(t, path, opt, parts)
			require.NoError(t, err, "%s in %d parts", name, parts)
			assert.Equal(t, want.N, got.N, "%s in %d parts", name, parts)
			assert.Equal(t, want.X, got.X, "%s in %d parts", name, parts)
			assert.Equal(t, want.Y, got.Y, "%s in %d parts", name, parts)
			assert.Equal(t, want.Features, got.Features)
			assert.Equal(t, want.Target, got.Target)
		}
		one, err := ReadCSVPart(path, opt, 0, 1)
		require.NoError(t, err)
		assert.Equal(t, want.lines, one.lines, "part 0 keeps the file lines")
	}

	bad := map[string]struct{ body, want string }{
		"bad cell":      {long.String() + "7,abc,1\n", `:308:2: non-numeric cell "abc" in column "b"`},
		"ragged":        {long.String() + "7,1\n", `:308: row has 2 columns, header has 3`},
		"nan":           {"x,y\n1,2\n\n3,NaN\n", `:4:2: non-finite value "NaN" in column "y"`},
		"quote newline": {"x,y\n1,\"2\n3\"\n4,5\n", `:2: a quoted field does not end on its line`},
		"empty":         {"", `: empty file`},
		"numeric head":  {"1,2\n3,4\n", `:1: missing header row`},
	}
	for name, c := range bad {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".csv")
		require.NoError(t, os.WriteFile(path, []byte(c.body), 0o644))
		for parts := 1; parts <= 4; parts++ {
			_, err := joinParts(t, path, CSVOptions{}, parts)
			require.Error(t, err, "%s in %d parts", name, parts)
			assert.Contains(t, err.Error(), path+c.want, "%s in %d parts", name, parts)
		}
	}
	path := filepath.Join(dir, "plain.csv")
	_, err := ReadCSVPart(path, CSVOptions{}, 2, 2)
	assert.EqualError(t, err, "data: part 2 of 2: the part must be in [0,2)")
	none, err := ReadCSVPart(path, CSVOptions{}, 9, 10)
	require.NoError(t, err)
	assert.Equal(t, 0, none.N, "a part may hold no rows")
}

// FuzzReadCSVPart: on any input, reading in parts never panics, and when
// ReadCSV reads the file and no quoted field spans lines, the parts of 1
// to 4 processes join to ReadCSV's rows.
func FuzzReadCSVPart(f *testing.F) {
	f.Add("x,y\n1,2\n3,4\n", uint8(2))
	f.Add("x,y\r\n1,2\r\n\r\n3,4", uint8(3))
	f.Add("\"x\",y\n\"1\",2\n", uint8(1))
	f.Add("a,b\n1,\"2\n3\"\n", uint8(2))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body string, p uint8) {
		parts := int(p%4) + 1
		path := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		want, werr := ReadCSV(path, CSVOptions{})
		got, gerr := joinParts(t, path, CSVOptions{}, parts)
		if werr != nil || gerr != nil {
			if werr == nil && !strings.Contains(gerr.Error(), "quoted field does not end") && !strings.Contains(gerr.Error(), "row has") {
				t.Fatalf("ReadCSV reads it, the parts fail: %v", gerr)
			}
			return
		}
		if got.N != want.N || fmt.Sprint(got.X) != fmt.Sprint(want.X) || fmt.Sprint(got.Y) != fmt.Sprint(want.Y) {
			t.Fatalf("%d parts read %d rows %v %v, ReadCSV %d rows %v %v", parts, got.N, got.X, got.Y, want.N, want.X, want.Y)
		}
	})
}

// TestSplitPartJoinsToSplit: the parts' training and validation rows,
// joined in part order, are Split's, and each part knows where its rows
// lie in them.
func TestSplitPartJoinsToSplit(t *testing.T) {
	ds, err := Builtin("iris")
	require.NoError(t, err)
	wantTr, wantVa, err := Split(ds, 0.3, 7)
	require.NoError(t, err)
	for _, cuts := range [][]int{{0, ds.N}, {0, 50, ds.N}, {0, 0, 33, 140, ds.N}} {
		var tr, va []float64
		for k := range len(cuts) - 1 {
			part := ds.Subset(rowsIn(cuts[k], cuts[k+1]))
			ptr, pva, trAt, vaAt, err := SplitPart(part, Part{Lo: cuts[k], Total: ds.N}, 0.3, 7)
			require.NoError(t, err)
			assert.Equal(t, len(tr)/ds.D, trAt.Lo)
			assert.Equal(t, len(va)/ds.D, vaAt.Lo)
			assert.Equal(t, wantTr.N, trAt.Total)
			assert.Equal(t, wantVa.N, vaAt.Total)
			tr, va = append(tr, ptr.X...), append(va, pva.X...)
		}
		assert.Equal(t, wantTr.X, tr, "cuts %v", cuts)
		assert.Equal(t, wantVa.X, va, "cuts %v", cuts)
	}
	_, _, _, _, err = SplitPart(ds, Part{Lo: 10, Total: ds.N}, 0.3, 7)
	assert.EqualError(t, err, "data: part of rows [10,160) does not lie in the 150 rows of the whole")
	_, _, _, _, err = SplitPart(ds, Part{Total: ds.N}, 1e-4, 7)
	assert.EqualError(t, err, "data: validation fraction 0.0001 of 150 rows leaves no validation rows")
}

func rowsIn(lo, hi int) []int {
	idx := make([]int, hi-lo)
	for i := range idx {
		idx[i] = lo + i
	}
	return idx
}
