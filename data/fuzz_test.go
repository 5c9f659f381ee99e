package data

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// FuzzParseCSV feeds arbitrary bytes and target names to ParseCSV under
// small bounds. It must never panic; an error is one line that starts with
// "data: x.csv" and quotes at most a capped amount of the input; a dataset
// is consistent, finite and within the bounds, and the same with the
// default bounds. The seed corpus (testdata/fuzz/FuzzParseCSV) has one
// input for every error ParseCSV reports.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("x,y\n1,2\n3,4\n"), "")
	f.Fuzz(func(t *testing.T, in []byte, target string) {
		opt := CSVOptions{Target: target, MaxRecordBytes: 256, MaxCells: 1024}
		ds, err := ParseCSV(bytes.NewReader(in), "x.csv", opt)
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "data: x.csv") || strings.Contains(msg, "\n") || len(msg) > 1024 {
				t.Fatalf("bad message (%d bytes): %.300q", len(msg), msg)
			}
			if ds != nil {
				t.Fatal("a dataset with an error")
			}
			return
		}
		if ds.N < 1 || ds.D != len(ds.Features) || len(ds.X) != ds.N*ds.D || len(ds.Y) != ds.N || len(ds.lines) != ds.N {
			t.Fatalf("inconsistent dataset: N=%d D=%d features=%d X=%d Y=%d lines=%d", ds.N, ds.D, len(ds.Features), len(ds.X), len(ds.Y), len(ds.lines))
		}
		if ds.N*(ds.D+1) > opt.MaxCells {
			t.Fatalf("%d values read, the bound is %d", ds.N*(ds.D+1), opt.MaxCells)
		}
		for i, v := range append(append([]float64(nil), ds.X...), ds.Y...) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("value %d is %v", i, v)
			}
		}
		for i := 1; i < ds.N; i++ {
			if ds.lines[i] <= ds.lines[i-1] {
				t.Fatalf("lines not increasing: %v", ds.lines)
			}
		}
		// Looser bounds read the same data.
		again, err := ParseCSV(bytes.NewReader(in), "x.csv", CSVOptions{Target: target})
		if err != nil || again.N != ds.N || again.D != ds.D {
			t.Fatalf("with the default bounds: %v", err)
		}
	})
}
