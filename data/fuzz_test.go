package data

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
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

// TestWriteFuzzSeeds rewrites testdata/fuzz/FuzzParseCSV under -update:
// valid files and one input for every error ParseCSV reports (under the
// fuzz target's bounds: 256-byte records, 1024 values).
func TestWriteFuzzSeeds(t *testing.T) {
	if !*update {
		t.Skip("rewrites testdata/fuzz under -update")
	}
	seeds := map[string][2]string{ // name: input, target
		"valid":                       {"x,y\n1,2\n3,4\n", ""},
		"valid-target-middle":         {"a,y,b\n1,2,3\n", "y"},
		"bom-crlf-quotes-blank-lines": {"\uFEFF a , b \r\n\r\n 1 ,\"-2.5\"\r\n\r\n1e-3,+4\r\n", ""},
		"empty-file":                  {"", ""},
		"only-blank-lines":            {"\n\n\n", ""},
		"missing-header":              {"1,2,3\n4,5,6\n", ""},
		"ragged-short":                {"x1,x2,y\n1,2,3\n7,8\n", ""},
		"ragged-long":                 {"x1,x2,y\n1,2,3,4\n", ""},
		"non-numeric":                 {"x1,x2,y\n1,abc,3\n", ""},
		"nan":                         {"x1,x2,y\nNaN,2,3\n", ""},
		"inf":                         {"x1,x2,y\n1,2,-Inf\n", ""},
		"overflow":                    {"x1,x2,y\n1,1e400,3\n", ""},
		"underscore":                  {"x,y\n1_000,2\n", ""},
		"hex-float":                   {"x,y\n0x1p3,2\n", ""},
		"empty-cell":                  {"x1,x2,y\n1,,3\n", ""},
		"unknown-target":              {"x1,x2,y\n1,2,3\n", "price"},
		"no-data-rows":                {"x1,x2,y\n\n", ""},
		"duplicate-header":            {"x1,x2,x1,y\n1,2,3,4\n", ""},
		"empty-header-name":           {"x1,,y\n1,2,3\n", ""},
		"one-column":                  {"y\n1\n", ""},
		"bare-quote":                  {"x,y\n1,2\n3,4\"\n", ""},
		"unterminated-quote":          {"x,y\n1,\"2\n", ""},
		"multi-line-field":            {"x,y\n\"1\n\",2\n3,z\n", ""},
		"long-line":                   {"x,y\n" + strings.Repeat("1", 300) + ",2\n", ""},
		"long-quoted-record":          {"x,y\n1,\"2" + strings.Repeat("\n", 300) + "\"\n", ""},
		"nul-bytes":                   {strings.Repeat("\x00", 400), ""},
		"too-many-cells":              {"a,b,c,d,e,f,g,h\n" + strings.Repeat("1,2,3,4,5,6,7,8\n", 130), ""},
		"long-cell-quoted":            {"x,y\n" + strings.Repeat("a", 200) + ",1\n", ""},
		"long-target-name":            {"x,y\n1,2\n", strings.Repeat("t", 200)},
		// Found by the fuzzer: a column name with a line break broke the
		// message's line in the list of columns.
		"newline-in-column-name": {"1,\"0\n0\"", "0"},
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzParseCSV")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, s := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\nstring(%s)\n", strconv.Quote(s[0]), strconv.Quote(s[1]))
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
