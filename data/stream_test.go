package data

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// streamFiles writes a table of n rows as CSV (with blank lines and CRLF
// here and there) and as a float64 row file; the target holds labels 0..2.
func streamFiles(t *testing.T, n int) (csv, rows string, want *Dataset) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,b,c,label\n")
	w, err := CreateRowFile(filepath.Join(dir, "t.rows"), []string{"a", "b", "c", "label"}, 8)
	require.NoError(t, err)
	for i := range n {
		row := []float64{float64(i), math.Sin(float64(i)) * 100, float64(i%13) / 7, float64(i % 3)}
		fmt.Fprintf(&b, "%v,%v,%v,%v", row[0], row[1], row[2], row[3])
		switch {
		case i%17 == 0:
			b.WriteString("\r\n\n")
		default:
			b.WriteString("\n")
		}
		require.NoError(t, w.Write(row))
	}
	require.NoError(t, w.Close())
	csv = filepath.Join(dir, "t.csv")
	require.NoError(t, os.WriteFile(csv, []byte(b.String()), 0o644))
	want, err = ReadCSV(csv, CSVOptions{})
	require.NoError(t, err)
	return csv, filepath.Join(dir, "t.rows"), want
}

// readPass reads a whole pass, in blocks of 7 rows.
func readPass(t *testing.T, p *Pass, d int) (X, y []float64) {
	t.Helper()
	defer p.Close()
	xb, yb := make([]float64, 7*d), make([]float64, 7)
	for {
		n, err := p.Read(xb, yb)
		X, y = append(X, xb[:n*d]...), append(y, yb[:n]...)
		if errors.Is(err, io.EOF) {
			return X, y
		}
		require.NoError(t, err)
		require.NotZero(t, n)
	}
}

func open(t *testing.T, path string, opt StreamOptions) *Stream {
	t.Helper()
	s, err := OpenStream(path, opt)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// rowsOf renders rows of d features and a target as strings, for
// comparing multisets.
func rowsOf(X, y []float64, d int) []string {
	out := make([]string, len(y))
	for i := range y {
		out[i] = fmt.Sprint(X[i*d:(i+1)*d], y[i])
	}
	return out
}

// TestStreamPassInFileOrder: a pass in file order reads ReadCSV's rows,
// from CSV or a row file, whatever the chunk size and the number of parts
// (joined in part order), and a model file's columns are read by name.
func TestStreamPassInFileOrder(t *testing.T) {
	csv, rows, want := streamFiles(t, 300)
	for _, path := range []string{csv, rows} {
		for _, chunk := range []int64{1, 50, 1000, 1 << 20} {
			for _, parts := range []int{1, 2, 5} {
				var X, y []float64
				for k := range parts {
					s := open(t, path, StreamOptions{ChunkBytes: chunk, Part: k, Parts: parts})
					px, py := readPass(t, s.Pass(0, false, AllRows), s.D)
					X, y = append(X, px...), append(y, py...)
				}
				assert.Equal(t, want.X, X, "%s, chunks of %d, %d parts", filepath.Ext(path), chunk, parts)
				assert.Equal(t, want.Y, y)
			}
		}
		s := open(t, path, StreamOptions{Features: []string{"c", "a"}, Target: "b"})
		X, y := readPass(t, s.Pass(0, false, AllRows), s.D)
		assert.Equal(t, []string{"c", "a"}, s.Features)
		assert.Equal(t, []float64{want.X[2], want.X[0], want.X[5], want.X[3]}, X[:4])
		assert.Equal(t, want.X[1], y[0])
		_, err := OpenStream(path, StreamOptions{Features: []string{"a", "zz"}})
		assert.ErrorContains(t, err, `has no feature column "zz" (columns: a, b, c, label)`)
	}
}

// TestStreamShuffledPass: a shuffled pass reads every row once; its order
// is a pure function of the seed and the epoch (the same from a reopened
// file), differs between epochs, and mixes rows across chunks and within
// the buffer, which never holds more than its capacity.
func TestStreamShuffledPass(t *testing.T) {
	csv, rows, want := streamFiles(t, 400)
	for _, path := range []string{csv, rows} {
		opt := StreamOptions{ChunkBytes: 300, BufferBytes: 20 * 8 * 4, Seed: 9}
		s := open(t, path, opt)
		require.Equal(t, 20, s.BufferRows())
		X1, y1 := readPass(t, s.Pass(3, true, AllRows), s.D)
		assert.ElementsMatch(t, rowsOf(want.X, want.Y, 3), rowsOf(X1, y1, 3), "every row once")
		assert.NotEqual(t, want.X, X1, "shuffled")
		again := open(t, path, opt)
		X2, _ := readPass(t, again.Pass(3, true, AllRows), s.D)
		assert.Equal(t, X1, X2, "the order is a function of the seed and the epoch")
		X3, _ := readPass(t, s.Pass(4, true, AllRows), s.D)
		assert.NotEqual(t, X1, X3, "another epoch, another order")
		// Rows leave at most one buffer's worth before... or after their place
		// in chunk order; here the first rows come from several chunks.
		first := map[int]bool{}
		for i := range 40 {
			first[int(X1[i*3])/20] = true
		}
		assert.Greater(t, len(first), 2)
	}
}

// TestStreamHoldOut: training and validation rows split every row, the
// hold-out being about ValFrac of them and the same whichever part reads
// a row; a scan counts them and fits statistics on the training rows.
func TestStreamHoldOut(t *testing.T) {
	_, rows, want := streamFiles(t, 1000)
	s := open(t, rows, StreamOptions{ValFrac: 0.25, Seed: 3})
	tx, ty := readPass(t, s.Pass(0, false, TrainRows), 3)
	vx, vy := readPass(t, s.Pass(0, false, ValRows), 3)
	assert.InDelta(t, 250, len(vy), 45)
	assert.ElementsMatch(t, rowsOf(want.X, want.Y, 3), append(rowsOf(tx, ty, 3), rowsOf(vx, vy, 3)...))
	var joined []float64
	for k := range 3 {
		p := open(t, rows, StreamOptions{ValFrac: 0.25, Seed: 3, Part: k, Parts: 3})
		x, _ := readPass(t, p.Pass(0, false, ValRows), 3)
		joined = append(joined, x...)
	}
	assert.Equal(t, vx, joined, "the hold-out does not depend on the parts")

	sc, err := s.Scan(nil)
	require.NoError(t, err)
	assert.Equal(t, Scan{Rows: 1000, Train: len(ty), Val: len(vy), Total: 1000, TrainTotal: len(ty), ValTotal: len(vy)},
		Scan{Rows: sc.Rows, Train: sc.Train, Val: sc.Val, Total: sc.Total, TrainTotal: sc.TrainTotal, ValTotal: sc.ValTotal})
	fit := FitStats(tx, len(ty), 3)
	for j := range 3 {
		assert.InDelta(t, 0, (sc.Stats.Mean[j]-fit.Mean[j])/fit.Std[j], 1e-14)
		assert.InDelta(t, 1, sc.Stats.Std[j]/fit.Std[j], 1e-14)
	}
	assert.True(t, sc.LabelsOK)
	assert.Equal(t, 3, sc.Classes)
	assert.Equal(t, []float64{334, 333, 333}, sc.ClassRows)
	assert.NoError(t, sc.LabelErr)
}

// TestStreamErrors: a bad value names its file line in any chunk, a bad
// label is remembered by the scan with its line, and a row file's
// non-finite value names its row and column.
func TestStreamErrors(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("x,y\n")
	for i := range 200 {
		switch i {
		case 150:
			b.WriteString("1,2.5\n")
		default:
			fmt.Fprintf(&b, "%d,%d\n", i, i%2)
		}
	}
	path := filepath.Join(dir, "e.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()+"7,x\n"), 0o644))
	s := open(t, path, StreamOptions{ChunkBytes: 100})
	_, err := s.Scan(nil)
	assert.EqualError(t, err, `data: `+path+`:202:2: non-numeric cell "x" in column "y"`)
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	s = open(t, path, StreamOptions{ChunkBytes: 100, Part: 1, Parts: 2})
	sc, err := s.Scan(nil)
	require.NoError(t, err)
	assert.EqualError(t, sc.LabelErr, `data: `+path+`:152: class label in column "y" must be an integer 0, 1, 2, …, got 2.5`)
	assert.False(t, sc.LabelsOK)

	_, err = OpenStream(path, StreamOptions{Part: 2, Parts: 2})
	assert.EqualError(t, err, "data: part 2 of 2: the part must be in [0,2)")
	_, err = OpenStream(path, StreamOptions{ValFrac: 1})
	assert.EqualError(t, err, "data: validation fraction must be in [0,1), got 1")
}

// TestStreamCloseMidPass: closing a pass early stops its decoders.
func TestStreamCloseMidPass(t *testing.T) {
	csv, _, _ := streamFiles(t, 2000)
	s := open(t, csv, StreamOptions{ChunkBytes: 64, Workers: 3})
	before := runtime.NumGoroutine()
	for e := range 20 {
		p := s.Pass(e, e%2 == 0, AllRows)
		x, y := make([]float64, 3*5), make([]float64, 5)
		_, err := p.Read(x, y)
		require.NoError(t, err)
		require.NoError(t, p.Close())
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}
