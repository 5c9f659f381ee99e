package data

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeRows writes rows of len(cols) values to a row file in dir.
func writeRows(t testing.TB, dir string, cols []string, rows [][]float64, size int) string {
	path := filepath.Join(dir, fmt.Sprintf("t%d.rows", size))
	w, err := CreateRowFile(path, cols, size)
	require.NoError(t, err)
	for _, r := range rows {
		require.NoError(t, w.Write(r))
	}
	require.NoError(t, w.Close())
	return path
}

// TestRowFileRoundTrip: rows written in float64 read back bit for bit,
// in float32 rounded to float32; the whole file and its parts read like
// the same table as CSV; the header holds what the format says.
func TestRowFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	cols := []string{"a", "β", "target"}
	rows := make([][]float64, 257)
	var csv strings.Builder
	csv.WriteString("a,β,target\n")
	for i := range rows {
		rows[i] = []float64{rng.NormFloat64() * 1e3, float64(i), rng.Float64()}
		fmt.Fprintf(&csv, "%v,%v,%v\n", rows[i][0], rows[i][1], rows[i][2])
	}
	csvPath := filepath.Join(dir, "t.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte(csv.String()), 0o644))
	want, err := ReadCSV(csvPath, CSVOptions{})
	require.NoError(t, err)
	for _, size := range []int{8, 4} {
		path := writeRows(t, dir, cols, rows, size)
		assert.True(t, IsRowFile(path))
		assert.False(t, IsRowFile(csvPath))
		rf, err := OpenRowFile(path)
		require.NoError(t, err)
		assert.Equal(t, cols, rf.Columns)
		assert.Equal(t, int64(len(rows)), rf.Rows)
		assert.Equal(t, size, rf.ValueBytes)
		got := make([]float64, 3*len(rows))
		require.NoError(t, rf.ReadRows(got, 0, len(rows)))
		for i, r := range rows {
			for j, v := range r {
				if size == 4 {
					v = float64(float32(v))
				}
				assert.Equal(t, v, got[i*3+j])
			}
		}
		require.Error(t, rf.ReadRows(got, 250, 8))
		require.NoError(t, rf.Close())
		st, err := os.Stat(path)
		require.NoError(t, err)
		header := int64(32 + (2 + 1) + (2 + 2) + (2 + 6) + 4)
		assert.Equal(t, (header+7)/8*8+int64(len(rows)*3*size), st.Size())
		if size == 8 {
			ds, err := ReadRowFile(path, CSVOptions{})
			require.NoError(t, err)
			assert.Equal(t, want.X, ds.X)
			assert.Equal(t, want.Y, ds.Y)
			assert.Equal(t, want.Features, ds.Features)
			assert.Equal(t, "target", ds.Target)
			for parts := 2; parts <= 5; parts++ {
				var X, Y []float64
				for k := range parts {
					p, err := ReadRowFilePart(path, CSVOptions{Target: "a"}, k, parts)
					require.NoError(t, err)
					X, Y = append(X, p.X...), append(Y, p.Y...)
				}
				whole, err := ReadRowFile(path, CSVOptions{Target: "a"})
				require.NoError(t, err)
				assert.Equal(t, whole.X, X)
				assert.Equal(t, whole.Y, Y)
			}
		}
	}
}

// TestRowFileRefusals: every header field, the checksum, the length and
// the values are checked, each with its own message; the writer refuses
// what it could not write back.
func TestRowFileRefusals(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(writeRows(t, dir, []string{"x", "y"}, [][]float64{{1, 2}, {3, 4}}, 8))
	require.NoError(t, err)
	le := binary.LittleEndian
	resum := func(b []byte) []byte {
		n := 32 + int(le.Uint32(b[20:]))
		le.PutUint32(b[n:], crc32.ChecksumIEEE(b[:n]))
		return b
	}
	edit := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"short", good[:20], "20 bytes, shorter than the 32-byte header"},
		{"magic", edit(func(b []byte) []byte { b[0] = 'X'; return b }), `the magic bytes are "XSCNROWS"`},
		{"version", edit(func(b []byte) []byte { b[8] = 2; return resum(b) }), "version 2, this reader reads version 1"},
		{"value size", edit(func(b []byte) []byte { b[12] = 2; return resum(b) }), "values of 2 bytes"},
		{"no columns", edit(func(b []byte) []byte { le.PutUint32(b[16:], 0); return b }), "0 columns, want 1 to"},
		{"names too long", edit(func(b []byte) []byte { le.PutUint32(b[20:], 1<<30); return b }), "bytes of column names in a file of"},
		{"checksum", edit(func(b []byte) []byte { b[33] ^= 1; return b }), "header checksum"},
		{"rows", edit(func(b []byte) []byte { le.PutUint64(b[24:], 3); return resum(b) }), "promises 3 rows of 2 columns"},
		{"rows overflow", edit(func(b []byte) []byte { le.PutUint64(b[24:], math.MaxUint64); return resum(b) }), "promises 18446744073709551615 rows"},
		{"truncated", good[:len(good)-1], "promises 2 rows of 2 columns"},
		{"duplicate names", edit(func(b []byte) []byte { b[37] = 'x'; return resum(b) }), `column 2's name "x" is also column 1's`},
		{"padding", edit(func(b []byte) []byte { b[len(b)-33] = 1; return b }), "padding after the header is not zero"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadRowFileHeader(bytes.NewReader(c.file), int64(len(c.file)), "f.rows")
			require.Error(t, err)
			assert.Contains(t, err.Error(), "data: f.rows: not a usable row file: ")
			assert.Contains(t, err.Error(), c.want)
		})
	}
	nan := edit(func(b []byte) []byte { le.PutUint64(b[len(b)-8:], math.Float64bits(math.NaN())); return b })
	rf, err := ReadRowFileHeader(bytes.NewReader(nan), int64(len(nan)), "f.rows")
	require.NoError(t, err)
	assert.EqualError(t, rf.ReadRows(make([]float64, 4), 0, 2), `data: f.rows: row 1, column "y": value NaN is not finite`)

	_, err = CreateRowFile(filepath.Join(dir, "w.rows"), []string{"a", "a"}, 8)
	assert.ErrorContains(t, err, `column 2's name "a" is also column 1's`)
	_, err = CreateRowFile(filepath.Join(dir, "w.rows"), []string{"a"}, 2)
	assert.EqualError(t, err, "data: row file values must be 4 or 8 bytes, got 2")
	w, err := CreateRowFile(filepath.Join(dir, "w.rows"), []string{"a"}, 4)
	require.NoError(t, err)
	assert.ErrorContains(t, w.Write([]float64{1e300}), "overflows float32")
	assert.ErrorContains(t, w.Write([]float64{math.Inf(1)}), "is not finite")
	assert.ErrorContains(t, w.Write([]float64{1, 2}), "needs 1 values, got 2")
	w.Abort()
	left, _ := filepath.Glob(filepath.Join(dir, ".w.rows*"))
	assert.Empty(t, left, "an aborted file leaves nothing behind")
}

// FuzzReadRowFile: any bytes either fail the header checks or read as a
// table whose every row can be read, without a panic or an allocation
// larger than the input suggests.
func FuzzReadRowFile(f *testing.F) {
	dir := f.TempDir()
	for _, size := range []int{4, 8} {
		b, err := os.ReadFile(writeRows(f, dir, []string{"x", "y"}, [][]float64{{1, 2}, {3, 4}}, size))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rf, err := ReadRowFileHeader(bytes.NewReader(b), int64(len(b)), "f.rows")
		if err != nil {
			return
		}
		c := int64(len(rf.Columns))
		if rf.Rows*c*int64(rf.ValueBytes) > int64(len(b)) {
			t.Fatalf("%d rows of %d columns in %d bytes", rf.Rows, c, len(b))
		}
		buf := make([]float64, c)
		for i := range rf.Rows {
			_ = rf.ReadRows(buf, i, 1) // non-finite values are errors, not panics
		}
	})
}
