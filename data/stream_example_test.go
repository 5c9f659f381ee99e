package data_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
)

// FitStatsShared fits statistics over the rows of every rank: here two
// in-process ranks holding 2 and 1 rows of one column get those of
// all 3 rows, [1 2 6], whose mean is 3 and population std √(14/3).
func ExampleFitStatsShared() {
	comms, _ := dist.NewGroup(2)
	parts := [][]float64{{1, 2}, {6}}
	out := make([]data.Stats, 2)
	var wg sync.WaitGroup
	for r, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[r], _ = data.FitStatsShared(parts[r], len(parts[r]), 1, c)
		}()
	}
	wg.Wait()
	fmt.Printf("%.6f %.6f\n", out[0].Mean[0], out[0].Std[0])
	fmt.Printf("%.6f %.6f\n", out[1].Mean[0], out[1].Std[0])
	// Output:
	// 3.000000 2.160247
	// 3.000000 2.160247
}

// ReadCSVPart gives each of two processes the rows whose lines start in
// its half of the bytes after the header.
func ExampleReadCSVPart() {
	for k := range 2 {
		d, err := data.ReadCSVPart("testdata/houses.csv", data.CSVOptions{Target: "price"}, k, 2)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("part", k, ":", d.N, "rows", d.X)
	}
	// Output:
	// part 0 : 2 rows [3 70.5 12 4 95 5]
	// part 1 : 1 rows [2 48.25 30]
}

// SplitPart holds out, from one process's part, exactly the validation
// rows Split holds out from the whole, and says where the part's rows lie
// in the whole training and validation sets.
func ExampleSplitPart() {
	whole, _ := data.Builtin("line") // 5 rows
	part := whole.Subset([]int{3, 4})
	tr, va, trAt, vaAt, err := data.SplitPart(part, data.Part{Lo: 3, Total: 5}, 0.4, 1)
	fmt.Println(tr.N, va.N, trAt, vaAt, err)
	// Output: 2 0 {1 3} {2 2} <nil>
}

// A row file holds a table in binary: written by CreateRowFile, read back
// by OpenRowFile (header checked first) or ReadRowFile (as a dataset).
func ExampleCreateRowFile() {
	dir, _ := os.MkdirTemp("", "rows")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "t.rows")
	w, _ := data.CreateRowFile(path, []string{"x", "y"}, 8)
	w.Write([]float64{1, 2})
	w.Write([]float64{3, 4})
	fmt.Println(w.Close())
	rf, err := data.OpenRowFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rf.Close()
	vals := make([]float64, 4)
	fmt.Println(rf.Columns, rf.Rows, rf.ReadRows(vals, 0, 2), vals)
	ds, _ := data.ReadRowFile(path, data.CSVOptions{})
	fmt.Println(ds.Features, ds.Target, ds.X, ds.Y, data.IsRowFile(path))
	// Output:
	// <nil>
	// [x y] 2 <nil> [1 2 3 4]
	// [x] y [1 3] [2 4] true
}

// OpenStream reads a file in passes: a first Scan counts the rows and
// fits the statistics; a pass in file order reads them back.
func ExampleOpenStream() {
	s, err := data.OpenStream("testdata/houses.csv", data.StreamOptions{Target: "price"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	sc, _ := s.Scan(nil)
	fmt.Println(s.Format, s.Features, sc.Total, sc.Stats.Mean)
	p := s.Pass(0, false, data.AllRows)
	defer p.Close()
	X, y := make([]float64, 2*s.D), make([]float64, 2)
	for {
		n, err := p.Read(X, y)
		if errors.Is(err, io.EOF) {
			break
		}
		fmt.Println(X[:n*s.D], y[:n])
	}
	// Output:
	// csv [rooms area age] 3 [3 71.25 15.666666666666666]
	// [3 70.5 12 4 95 5] [210000 280000]
	// [2 48.25 30] [150000]
}
