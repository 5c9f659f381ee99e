// Command bigcsv writes a large synthetic regression table, for the
// streaming and data-parallel measurements (docs/distributed.md): rows of
// features x_j ~ N(j mod 7, 1 + j mod 3) and a target
// y = Σ_j w_j·x_j + 1 + N(0, 0.1²) with w_j = (j mod 5 − 2)/4, as CSV
// with a header x1,…,xD,y and 9 significant digits a value, or with
// -rows-file as a float64 row file (data.CreateRowFile). From the module
// root:
//
//	go run ./data/internal/bigcsv -rows 1000000 -features 100 -out /tmp/linreg.csv
//	go run ./data/internal/bigcsv -gb 4.3 -features 100 -out /tmp/big.csv
//	go run ./data/internal/bigcsv -gb 4.1 -features 100 -rows-file -out /tmp/big.rows
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"

	"github.com/descent-ml/descent/data"
)

func main() {
	rows := flag.Int64("rows", 0, "rows to write (or use -gb)")
	gb := flag.Float64("gb", 0, "write rows until the file holds this many GB (1e9 bytes)")
	d := flag.Int("features", 100, "feature columns")
	out := flag.String("out", "", "the CSV file to write")
	seed := flag.Uint64("seed", 1, "random seed")
	rowsFile := flag.Bool("rows-file", false, "write a float64 row file instead of CSV")
	flag.Parse()
	var err error
	if *rowsFile {
		err = runRows(*out, *rows, *gb, *d, *seed)
	} else {
		err = run(*out, *rows, *gb, *d, *seed)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bigcsv:", err)
		os.Exit(1)
	}
}

func run(out string, rows int64, gb float64, d int, seed uint64) error {
	if out == "" || d < 1 || (rows <= 0) == (gb <= 0) {
		return fmt.Errorf("want -out FILE, -features >= 1, and one of -rows N or -gb G")
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 4<<20)
	for j := range d {
		fmt.Fprintf(w, "x%d,", j+1)
	}
	w.WriteString("y\n")
	rng := rand.New(rand.NewPCG(seed, 99))
	limit := int64(gb * 1e9)
	var written int64
	buf := make([]byte, 0, 64*(d+1))
	for i := int64(0); rows > 0 && i < rows || gb > 0 && written < limit; i++ {
		buf = buf[:0]
		y := 1.0
		for j := range d {
			x := float64(j%7) + float64(1+j%3)*rng.NormFloat64()
			y += float64(j%5-2) / 4 * x
			buf = strconv.AppendFloat(buf, x, 'g', 9, 64)
			buf = append(buf, ',')
		}
		buf = strconv.AppendFloat(buf, y+0.1*rng.NormFloat64(), 'g', 9, 64)
		buf = append(buf, '\n')
		n, err := w.Write(buf)
		if err != nil {
			return err
		}
		written += int64(n)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// runRows writes the same rows as a float64 row file.
func runRows(out string, rows int64, gb float64, d int, seed uint64) error {
	if out == "" || d < 1 || (rows <= 0) == (gb <= 0) {
		return fmt.Errorf("want -out FILE, -features >= 1, and one of -rows N or -gb G")
	}
	if gb > 0 {
		rows = int64(gb*1e9)/int64(8*(d+1)) + 1
	}
	cols := make([]string, d+1)
	for j := range d {
		cols[j] = "x" + strconv.Itoa(j+1)
	}
	cols[d] = "y"
	w, err := data.CreateRowFile(out, cols, 8)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	row := make([]float64, d+1)
	for range rows {
		y := 1.0
		for j := range d {
			row[j] = float64(j%7) + float64(1+j%3)*rng.NormFloat64()
			y += float64(j%5-2) / 4 * row[j]
		}
		row[d] = y + 0.1*rng.NormFloat64()
		if err := w.Write(row); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}
