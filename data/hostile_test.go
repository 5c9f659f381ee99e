package data

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseCSVStrictNumbers: only plain decimal and scientific notation is
// a number; strconv.ParseFloat's underscores, hexadecimal floats and words
// are not (issue 8, item 16).
func TestParseCSVStrictNumbers(t *testing.T) {
	for _, c := range []struct{ cell, want string }{
		{"1_000", `non-numeric cell "1_000"`},
		{"1_0.5", `non-numeric cell "1_0.5"`},
		{"0x1p3", `non-numeric cell "0x1p3"`},
		{"0X1P-2", `non-numeric cell "0X1P-2"`},
		{"1e1_0", `non-numeric cell "1e1_0"`},
		{"inf", `non-finite value "inf"`},
		{"Infinity", `non-finite value "Infinity"`},
		{"-INF", `non-finite value "-INF"`},
		{"nan", `non-finite value "nan"`},
	} {
		_, err := ParseCSV(strings.NewReader("x,y\n1,2\n"+c.cell+",3\n"), "x.csv", CSVOptions{})
		assert.EqualError(t, err, `data: x.csv:3:1: `+c.want+` in column "x"`, c.cell)
	}
	ds, err := ParseCSV(strings.NewReader("x,y\n.5,5.\n-1e-3,+4E2\n"), "x.csv", CSVOptions{})
	require.NoError(t, err)
	assert.Equal(t, []float64{0.5, -1e-3}, ds.X)
	assert.Equal(t, []float64{5, 400}, ds.Y)
}

// TestParseCSVCapsQuotedText: every piece of user data an error quotes is
// cut to 40 bytes with its full length (issue 8, item 16).
func TestParseCSVCapsQuotedText(t *testing.T) {
	long := strings.Repeat("a", 100000)
	a40 := strings.Repeat("a", 40)
	capped := `"` + a40 + `…" (100000 bytes)`
	many := make([]string, 30)
	for i := range many {
		many[i] = fmt.Sprintf("c%d", i)
	}
	for _, c := range []struct {
		name, in, target, want string
	}{
		{"cell", "x,y\n" + long + ",1\n", "", `data: x.csv:2:1: non-numeric cell ` + capped + ` in column "x"`},
		{"column name", long + ",y\n" + "z,1\n", "", `data: x.csv:2:1: non-numeric cell "z" in column ` + capped},
		{"duplicate name", long + "," + long + "\n1,2\n", "", `data: x.csv:1:2: duplicate column name ` + capped + ` (also column 1)`},
		{"numeric header", strings.Repeat("1,", 50000) + "1\n", "", `data: x.csv:1: missing header row (first row is numeric: "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,…" (100001 bytes))`},
		{"unknown target", "x,y\n1,2\n", long, `data: x.csv: unknown target column ` + capped + ` (columns: x, y)`},
		{"long column list", strings.Join(many, ",") + "\n" + strings.Repeat("1,", 29) + "1\n", "nope",
			`data: x.csv: unknown target column "nope" (columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, …; 30 in all)`},
		{"long names in the list", long + ",y\n1,2\n", "nope", `data: x.csv: unknown target column "nope" (columns: ` + a40 + `…, y)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseCSV(strings.NewReader(c.in), "x.csv", CSVOptions{Target: c.target})
			assert.EqualError(t, err, c.want)
		})
	}
}

// zeros is an endless stream of NUL bytes, /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestParseCSVBoundsRecords: one endless line (--data /dev/zero) or an
// endless quoted field is an error after MaxRecordBytes, and reading it
// allocates a few times that at most (issue 8, item 2).
func TestParseCSVBoundsRecords(t *testing.T) {
	for _, c := range []struct {
		name string
		r    io.Reader
		opt  CSVOptions
		want string
	}{
		// 64 MiB, not endless, so that the unbounded reader this replaces
		// ends and fails the test instead of hanging it.
		{"NUL bytes", io.LimitReader(zeros{}, 64<<20), CSVOptions{},
			"data: zero:1: line longer than 1048576 bytes (the limit for one CSV record, CSVOptions.MaxRecordBytes; is this a CSV file?)"},
		{"long second line", io.MultiReader(strings.NewReader("x,y\n"), io.LimitReader(zeros{}, 64<<20)), CSVOptions{},
			"data: zero:2: line longer than 1048576 bytes (the limit for one CSV record, CSVOptions.MaxRecordBytes; is this a CSV file?)"},
		{"quoted field over many lines", io.MultiReader(strings.NewReader("x,y\n1,\"2"), strings.NewReader(strings.Repeat("\n", 3<<20))), CSVOptions{},
			"data: zero:1048575: record from line 2 longer than 1048576 bytes (the limit for one CSV record, CSVOptions.MaxRecordBytes; is this a CSV file?)"},
		{"own limit", strings.NewReader("x,y\n1,2\n10,20\n"), CSVOptions{MaxRecordBytes: 4},
			"data: zero:3: line longer than 4 bytes (the limit for one CSV record, CSVOptions.MaxRecordBytes; is this a CSV file?)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = ParseCSV(c.r, "zero", c.opt) })
			assert.EqualError(t, err, c.want)
			assert.Less(t, n, uint64(16<<20), "bytes allocated")
		})
	}
	// A record of exactly the limit is read.
	ds, err := ParseCSV(strings.NewReader("x,y\n1,2\n10,2\n"), "x.csv", CSVOptions{MaxRecordBytes: 4})
	require.NoError(t, err)
	assert.Equal(t, 2, ds.N)
}

// TestParseCSVBoundsCells: the values of a file are bounded as a whole,
// with an error naming the line where the limit was passed.
func TestParseCSVBoundsCells(t *testing.T) {
	_, err := ParseCSV(strings.NewReader("a,b,y\n1,2,3\n4,5,6\n7,8,9\n"), "x.csv", CSVOptions{MaxCells: 7})
	assert.EqualError(t, err, "data: x.csv:4: more than 7 values (the limit for one CSV file, CSVOptions.MaxCells)")
	ds, err := ParseCSV(strings.NewReader("a,b,y\n1,2,3\n4,5,6\n7,8,9\n"), "x.csv", CSVOptions{MaxCells: 9})
	require.NoError(t, err)
	assert.Equal(t, 3, ds.N)
	assert.Equal(t, 1<<20, DefaultMaxRecordBytes)
	assert.Equal(t, 1<<27, DefaultMaxCells)
}

// TestParseCSVWideHeaderIsLinear: rejecting a duplicate in a header of
// 2^17 columns took 99 s with the quadratic check; it takes about 1 s now,
// 6 s under -race on a busy machine (issue 8, item 3). The 60 s deadline
// only catches the quadratic check, it does not measure speed
// (BenchmarkParseCSVHeader does).
func TestParseCSVWideHeaderIsLinear(t *testing.T) {
	const n = 1 << 17
	var b strings.Builder
	names := make([]string, n)
	for i := range n {
		names[i] = fmt.Sprintf("c%d", i)
		fmt.Fprintf(&b, "c%d,", i)
	}
	b.WriteString("c0\n")
	done := make(chan error, 1)
	go func() {
		_, err := ParseCSV(strings.NewReader(b.String()), "wide.csv", CSVOptions{})
		done <- err
	}()
	select {
	case err := <-done:
		assert.EqualError(t, err, fmt.Sprintf(`data: wide.csv:1:%d: duplicate column name "c0" (also column 1)`, n+1))
	case <-time.After(60 * time.Second):
		t.Fatal("the duplicate check of a 2^17-column header did not end in 60 s")
	}
	// Select maps names through a map too.
	ds := &Dataset{Features: names, D: n, N: 1, X: make([]float64, n), Y: []float64{0}}
	rev := make([]string, n)
	for i := range names {
		rev[i] = names[n-1-i]
	}
	go func() {
		s, err := ds.Select(rev)
		if err == nil && s.Features[0] != names[n-1] {
			err = errors.New("wrong order")
		}
		done <- err
	}()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(60 * time.Second):
		t.Fatal("Select of 2^17 names did not end in 60 s")
	}
}
