package safetensors

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"
)

// golden is a testdata/*.json file written by testdata/gen.py: the values
// torch held, as float.hex strings (floats) or numbers (integers).
type golden struct {
	Metadata map[string]string
	Tensors  map[string]struct {
		DType  string
		Shape  []int
		Values []json.RawMessage
	}
}

func readGolden(t *testing.T, path string) golden {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return g
}

// value decodes one golden value: a quoted float.hex string, or an integer.
func value(t *testing.T, raw json.RawMessage) (f float64, i int64, isInt bool) {
	t.Helper()
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("golden value %s: %v", raw, err)
		}
		return f, 0, false
	}
	i, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		t.Fatalf("golden value %s: %v", raw, err)
	}
	return float64(i), i, true
}

// TestTorchFiles reads the files testdata/gen.py wrote from torch tensors
// and checks every dtype, shape and value bit for bit against torch's.
func TestTorchFiles(t *testing.T) {
	for _, name := range []string{"torch_f32", "torch_f64", "dtypes"} {
		t.Run(name, func(t *testing.T) {
			f, err := ReadFile("testdata/" + name + ".safetensors")
			if err != nil {
				t.Fatal(err)
			}
			g := readGolden(t, "testdata/"+name+".json")
			if len(g.Metadata) == 0 {
				g.Metadata = map[string]string{}
			}
			if !mapsEqual(f.Metadata, g.Metadata) {
				t.Errorf("metadata %q, torch wrote %q", f.Metadata, g.Metadata)
			}
			if len(f.Tensors) != len(g.Tensors) {
				t.Errorf("%d tensors %v, torch wrote %d", len(f.Tensors), f.Names(), len(g.Tensors))
			}
			for n, want := range g.Tensors {
				got, ok := f.Tensors[n]
				if !ok {
					t.Errorf("tensor %q missing", n)
					continue
				}
				if got.DType != want.DType || !slices.Equal(got.Shape, want.Shape) || len(got.F64) != len(want.Values) {
					t.Errorf("tensor %q: %s %v with %d values, torch wrote %s %v with %d",
						n, got.DType, got.Shape, len(got.F64), want.DType, want.Shape, len(want.Values))
					continue
				}
				for i, raw := range want.Values {
					f, iv, isInt := value(t, raw)
					if math.Float64bits(got.F64[i]) != math.Float64bits(f) {
						t.Errorf("tensor %q [%d] = %v, torch has %v", n, i, got.F64[i], f)
					}
					if isInt && (got.I64 == nil || got.I64[i] != iv) {
						t.Errorf("tensor %q [%d]: I64 %v, torch has %d", n, i, got.I64, iv)
					}
				}
			}
		})
	}
}

// TestTorchBytes writes what it read from the torch files back and checks
// the bytes are the same: the layout (dtype order, then names), the header
// JSON and its padding are the reference writer's, and I64
// num_batches_tracked stays I64.
func TestTorchBytes(t *testing.T) {
	for _, c := range []struct{ name, dtype string }{{"torch_f32", "F32"}, {"torch_f64", "F64"}} {
		t.Run(c.name, func(t *testing.T) {
			path := "testdata/" + c.name + ".safetensors"
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if nbt := f.Tensors["1.num_batches_tracked"]; nbt.DType != "I64" || len(nbt.Shape) != 0 || !slices.Equal(nbt.I64, []int64{3}) {
				t.Errorf("num_batches_tracked = %+v, want I64 scalar 3", nbt)
			}
			var b bytes.Buffer
			if err := Write(&b, f.Tensors, f.Metadata, c.dtype); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("rewritten file differs from torch's:\n got %q\nwant %q", head(b.Bytes()), head(want))
			}
		})
	}
}

func head(b []byte) []byte { return b[:min(len(b), 400)] }

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
