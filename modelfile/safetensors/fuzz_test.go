package safetensors

import (
	"bytes"
	"math"
	"slices"
	"testing"
)

// FuzzRead feeds arbitrary bytes to Read (seeds: testdata/fuzz/FuzzRead).
// Read must never panic; whatever it accepts must be self-consistent and
// survive Write (in F64) and Read again unchanged.
func FuzzRead(f *testing.F) {
	f.Add(file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, make([]byte, 8)))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		for name, ts := range r.Tensors {
			n := 1
			for _, d := range ts.Shape {
				n *= d
			}
			if len(ts.F64) != n || (ts.I64 != nil && len(ts.I64) != n) {
				t.Fatalf("tensor %q: shape %v with %d values", name, ts.Shape, len(ts.F64))
			}
		}
		var w bytes.Buffer
		if err := Write(&w, r.Tensors, r.Metadata, "F64"); err != nil {
			if _, ok := r.Tensors[""]; ok {
				return // Write refuses the empty name that Read tolerates
			}
			t.Fatalf("rewrite: %v", err)
		}
		again, err := Read(bytes.NewReader(w.Bytes()), int64(w.Len()))
		if err != nil {
			t.Fatalf("reread: %v", err)
		}
		if !mapsEqual(again.Metadata, r.Metadata) || !slices.Equal(again.Names(), r.Names()) {
			t.Fatalf("reread: metadata %q names %q, want %q %q", again.Metadata, again.Names(), r.Metadata, r.Names())
		}
		for name, want := range r.Tensors {
			got := again.Tensors[name]
			if !slices.Equal(got.Shape, want.Shape) || !slices.Equal(got.I64, want.I64) {
				t.Fatalf("tensor %q: reread %v %v, want %v %v", name, got.Shape, got.I64, want.Shape, want.I64)
			}
			for i, v := range want.F64 {
				if got.F64[i] != v && !(math.IsNaN(v) && math.IsNaN(got.F64[i])) {
					t.Fatalf("tensor %q [%d]: reread %v, want %v", name, i, got.F64[i], v)
				}
			}
		}
	})
}
