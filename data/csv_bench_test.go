package data

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchCSV is n rows of d features and a target, full-precision floats.
func benchCSV(n, d int) string {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for j := range d {
		fmt.Fprintf(&b, "x%d,", j)
	}
	b.WriteString("y\n")
	for range n {
		for j := range d + 1 {
			sep := ","
			if j == d {
				sep = "\n"
			}
			fmt.Fprintf(&b, "%v%s", r.NormFloat64(), sep)
		}
	}
	return b.String()
}

// BenchmarkParseCSV parses 2000 rows × 20 columns of full-precision floats.
func BenchmarkParseCSV(b *testing.B) {
	in := benchCSV(2000, 19)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCSV(strings.NewReader(in), "b.csv", CSVOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseCSVHeader rejects a header of 2^14 columns whose last
// name repeats the first: linear in the columns.
func BenchmarkParseCSVHeader(b *testing.B) {
	var sb strings.Builder
	for i := range 1 << 14 {
		fmt.Fprintf(&sb, "c%d,", i)
	}
	sb.WriteString("c0\n1\n")
	in := sb.String()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCSV(strings.NewReader(in), "b.csv", CSVOptions{}); err == nil {
			b.Fatal("no error")
		}
	}
}
