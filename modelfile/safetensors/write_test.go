package safetensors

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	tensors := map[string]Tensor{
		"w":                {DType: "F64", Shape: []int{2, 3}, F64: []float64{1, -2.5, math.Pi, math.Inf(-1), 1e-310, -0.0}},
		"plain":            {Shape: []int{3}, F64: []float64{0.1, 1e300, -7}},
		"half":             {DType: "F16", Shape: []int{1}, F64: []float64{0.5}},
		"scalar":           {Shape: []int{}, F64: []float64{42.25}},
		"empty":            {Shape: []int{0, 3}, F64: []float64{}},
		"i64":              {DType: "I64", Shape: []int{}, I64: []int64{math.MinInt64}},
		"i64f":             {DType: "I64", Shape: []int{2}, F64: []float64{3, -1 << 53}},
		"i32":              {DType: "I32", Shape: []int{2}, I64: []int64{math.MinInt32, math.MaxInt32}},
		"u32":              {DType: "U32", Shape: []int{1}, I64: []int64{math.MaxUint32}},
		"i16":              {DType: "I16", Shape: []int{2}, I64: []int64{math.MinInt16, math.MaxInt16}},
		"u16":              {DType: "U16", Shape: []int{1}, F64: []float64{65535}},
		"i8":               {DType: "I8", Shape: []int{2}, I64: []int64{-128, 127}},
		"u8":               {DType: "U8", Shape: []int{1, 1, 2}, I64: []int64{0, 255}},
		"bool":             {DType: "BOOL", Shape: []int{3}, F64: []float64{1, 0, 1}},
		"u64":              {DType: "U64", Shape: []int{1}, I64: []int64{math.MaxInt64}},
		`odd "name" <&>/ü`: {Shape: []int{1}, F64: []float64{1}},
	}
	meta := map[string]string{"arch": "conv2d(16,3) relu", "quote\"\n": "<&> ü"}
	for _, dtype := range []string{"F64", "F32"} {
		t.Run(dtype, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tensors, meta, dtype); err != nil {
				t.Fatal(err)
			}
			if n := int(b.Bytes()[0]); n%8 != 0 {
				t.Errorf("header length %d is not a multiple of 8", n)
			}
			f, err := Read(bytes.NewReader(b.Bytes()), int64(b.Len()))
			if err != nil {
				t.Fatal(err)
			}
			if !mapsEqual(f.Metadata, meta) {
				t.Errorf("metadata %q, want %q", f.Metadata, meta)
			}
			if len(f.Tensors) != len(tensors) {
				t.Errorf("names %v", f.Names())
			}
			for name, want := range tensors {
				got := f.Tensors[name]
				wantDT := dtype
				if dt := dtypes[want.DType]; dt.integer {
					wantDT = want.DType
				}
				if got.DType != wantDT || !slices.Equal(got.Shape, want.Shape) {
					t.Errorf("%q: %s %v, want %s %v", name, got.DType, got.Shape, wantDT, want.Shape)
				}
				if want.I64 != nil && !slices.Equal(got.I64, want.I64) {
					t.Errorf("%q: I64 %v, want %v", name, got.I64, want.I64)
				}
				vals := want.F64
				if vals == nil {
					for _, v := range want.I64 {
						vals = append(vals, float64(v))
					}
				}
				for i, v := range vals {
					if dtype == "F32" && !dtypes[want.DType].integer {
						v = float64(float32(v))
					}
					if math.Float64bits(got.F64[i]) != math.Float64bits(v) {
						t.Errorf("%q [%d] = %v, want %v", name, i, got.F64[i], v)
					}
				}
			}
			// Deterministic: a second write gives the same bytes.
			var b2 bytes.Buffer
			if err := Write(&b2, f.Tensors, f.Metadata, dtype); err != nil || !bytes.Equal(b.Bytes(), b2.Bytes()) {
				t.Errorf("rewrite differs (err %v)", err)
			}
		})
	}
}

// TestWriteAligned checks the reference's ordering: larger dtypes first, so
// each tensor's data starts at a multiple of its element size.
func TestWriteAligned(t *testing.T) {
	var b bytes.Buffer
	err := Write(&b, map[string]Tensor{
		"a.u8":   {DType: "U8", Shape: []int{3}, I64: []int64{1, 2, 3}},
		"b.f32":  {Shape: []int{1}, F64: []float64{1}},
		"c.i64":  {DType: "I64", Shape: []int{}, I64: []int64{9}},
		"d.bool": {DType: "BOOL", Shape: []int{1}, I64: []int64{1}},
	}, nil, "F32")
	if err != nil {
		t.Fatal(err)
	}
	n := int(b.Bytes()[0])
	want := `{"c.i64":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"b.f32":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},` +
		`"a.u8":{"dtype":"U8","shape":[3],"data_offsets":[12,15]},"d.bool":{"dtype":"BOOL","shape":[1],"data_offsets":[15,16]}}`
	if got := strings.TrimRight(string(b.Bytes()[8:8+n]), " "); got != want {
		t.Errorf("header\n got %s\nwant %s", got, want)
	}
}

func TestWriteErrors(t *testing.T) {
	one := []float64{1}
	cases := []struct {
		name    string
		tensors map[string]Tensor
		meta    map[string]string
		dtype   string
		want    string
	}{
		{"write dtype", map[string]Tensor{"a": {Shape: []int{1}, F64: one}}, nil, "F16", `safetensors: write dtype must be F32 or F64, got "F16"`},
		{"integer write dtype", map[string]Tensor{"a": {Shape: []int{1}, F64: one}}, nil, "I64", `write dtype must be F32 or F64, got "I64"`},
		{"empty name", map[string]Tensor{"": {Shape: []int{1}, F64: one}}, nil, "F32", `safetensors: tensor "": a tensor may not be named ""`},
		{"metadata name", map[string]Tensor{"__metadata__": {Shape: []int{1}, F64: one}}, nil, "F32", `may not be named "__metadata__"`},
		{"bad UTF-8 name", map[string]Tensor{"a\xff": {Shape: []int{1}, F64: one}}, nil, "F32", `tensor "a\xff": name is not valid UTF-8`},
		{"bad UTF-8 metadata", map[string]Tensor{}, map[string]string{"k": "\xff"}, "F32", `metadata "k": key and value must be valid UTF-8`},
		{"unknown dtype", map[string]Tensor{"a": {DType: "Q4", Shape: []int{1}, F64: one}}, nil, "F32", `tensor "a": unknown dtype "Q4" (known: BF16,`},
		{"negative dim", map[string]Tensor{"a": {Shape: []int{2, -1}, F64: one}}, nil, "F32", `tensor "a": shape [2 -1] has a negative dim`},
		{"huge shape", map[string]Tensor{"a": {Shape: []int{1 << 40, 1 << 40}, F64: one}}, nil, "F32", `tensor "a": shape [1099511627776 1099511627776] is too large`},
		{"too few values", map[string]Tensor{"0.weight": {Shape: []int{16, 1, 3, 3}, F64: make([]float64, 143)}}, nil, "F64",
			`tensor "0.weight": shape [16 1 3 3] needs 144 values, F64 holds 143`},
		{"scalar with none", map[string]Tensor{"s": {Shape: nil}}, nil, "F64", `tensor "s": shape [] needs 1 values, F64 holds 0`},
		{"I64 count", map[string]Tensor{"n": {DType: "I64", Shape: []int{}, I64: []int64{1, 2}}}, nil, "F32", `tensor "n": shape [] needs 1 values, I64 holds 2`},
		{"I8 range", map[string]Tensor{"n": {DType: "I8", Shape: []int{2}, I64: []int64{1, 300}}}, nil, "F32", `tensor "n": element 1 = 300 is out of the range of I8`},
		{"U8 negative", map[string]Tensor{"n": {DType: "U8", Shape: []int{1}, I64: []int64{-1}}}, nil, "F32", `element 0 = -1 is out of the range of U8`},
		{"BOOL 2", map[string]Tensor{"n": {DType: "BOOL", Shape: []int{1}, F64: []float64{2}}}, nil, "F32", `element 0 = 2 is not an integer in the range of BOOL`},
		{"I64 fraction", map[string]Tensor{"n": {DType: "I64", Shape: []int{1}, F64: []float64{2.5}}}, nil, "F32", `tensor "n": element 0 = 2.5 is not an integer in the range of I64`},
		{"I64 NaN", map[string]Tensor{"n": {DType: "I64", Shape: []int{1}, F64: []float64{math.NaN()}}}, nil, "F32", `element 0 = NaN is not an integer`},
		{"I64 2^63", map[string]Tensor{"n": {DType: "I64", Shape: []int{1}, F64: []float64{1 << 63}}}, nil, "F32", `element 0 = 9.223372036854776e+18 is not an integer in the range of I64`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			err := Write(&b, c.tensors, c.meta, c.dtype)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "safetensors: ") {
				t.Errorf("error %v\nwant one holding %q", err, c.want)
			}
			if b.Len() != 0 {
				t.Errorf("wrote %d bytes before failing", b.Len())
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteWriterError(t *testing.T) {
	err := Write(failWriter{}, map[string]Tensor{"a": {Shape: []int{1}, F64: []float64{1}}}, nil, "F32")
	if err == nil || err.Error() != "safetensors: disk full" {
		t.Errorf("error %v", err)
	}
}
