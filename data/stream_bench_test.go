package data

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// benchTable writes rows×d values as CSV (9 significant digits, as
// data/internal/bigcsv writes them) and as float32 and float64 row files.
func benchTable(b *testing.B, rows, d int) (csv, rows32, rows64 string) {
	dir := b.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var text []byte
	for j := range d {
		text = fmt.Appendf(text, "x%d,", j)
	}
	text = append(text, "y\n"...)
	cols := make([]string, d+1)
	for j := range cols {
		cols[j] = "c" + strconv.Itoa(j)
	}
	w32, err := CreateRowFile(filepath.Join(dir, "t32.rows"), cols, 4)
	if err != nil {
		b.Fatal(err)
	}
	w64, err := CreateRowFile(filepath.Join(dir, "t64.rows"), cols, 8)
	if err != nil {
		b.Fatal(err)
	}
	row := make([]float64, d+1)
	for range rows {
		for j := range row {
			row[j] = float64(float32(rng.NormFloat64() * 10))
			text = strconv.AppendFloat(text, row[j], 'g', 9, 64)
			text = append(text, ',')
		}
		text[len(text)-1] = '\n'
		w32.Write(row)
		w64.Write(row)
	}
	csv = filepath.Join(dir, "t.csv")
	if err := os.WriteFile(csv, text, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := w32.Close(); err != nil {
		b.Fatal(err)
	}
	if err := w64.Close(); err != nil {
		b.Fatal(err)
	}
	return csv, filepath.Join(dir, "t32.rows"), filepath.Join(dir, "t64.rows")
}

// BenchmarkStreamPass reads every row of a 20000×100 table once, in file
// order and shuffled, from CSV and from float32 and float64 row files,
// side by side; MB/s is of the file's bytes. For the figures on a 4 GB
// file see docs/distributed.md.
func BenchmarkStreamPass(b *testing.B) {
	const n, d = 20000, 100
	csv, r32, r64 := benchTable(b, n, d)
	for _, f := range []struct{ name, path string }{{"csv", csv}, {"rows-f32", r32}, {"rows-f64", r64}} {
		for _, shuffle := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/shuffle=%v", f.name, shuffle), func(b *testing.B) {
				st, err := OpenStream(f.path, StreamOptions{})
				if err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				b.SetBytes(st.Size())
				b.ReportAllocs()
				X, y := make([]float64, 1024*d), make([]float64, 1024)
				e := 0
				for b.Loop() {
					p := st.Pass(e, shuffle, AllRows)
					e++
					got := 0
					for {
						k, err := p.Read(X, y)
						got += k
						if errors.Is(err, io.EOF) {
							break
						}
						if err != nil {
							b.Fatal(err)
						}
					}
					p.Close()
					if got != n {
						b.Fatalf("read %d rows, want %d", got, n)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}
