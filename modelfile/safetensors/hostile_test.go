package safetensors

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// file assembles a safetensors file from a header and data.
func file(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

// withLength is a file whose header length field says n.
func withLength(n uint64, rest string) []byte {
	return append(binary.LittleEndian.AppendUint64(nil, n), rest...)
}

func TestReadHostile(t *testing.T) {
	const f32x2 = `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`
	z := func(n int) []byte { return make([]byte, n) }
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"empty file", nil, "safetensors: file has 0 bytes, fewer than the 8 of the header length"},
		{"short file", z(7), "file has 7 bytes, fewer than the 8"},
		{"header over the limit", withLength(MaxHeaderSize+1, "{}"), "header length 100000001 exceeds the limit of 100000000 bytes"},
		{"header length 2^64-1", withLength(1<<64-1, "{}"), "header length 18446744073709551615 exceeds the limit"},
		{"header past the file", withLength(10, "{}"), "header length 10 exceeds the 2 bytes after it"},
		{"not UTF-8", file("{\"\xff\":{}}", nil), "header is not valid UTF-8"},
		{"leading space", file(` {}`, nil), "header does not start with '{'"},
		{"array header", file(`[]`, nil), "header does not start with '{'"},
		{"empty header", file(``, nil), "header does not start with '{'"},
		{"truncated JSON", file(`{"a":`, nil), `tensor "a": header entry: JSON ends early`},
		{"unclosed header", file(`{`, nil), "header: JSON ends early"},
		{"trailing garbage", file(`{} x`, nil), "after the JSON object"},
		{"second object", file(`{}{}`, nil), `header: unexpected '{' after the JSON object`},
		{"key not a string", file(`{1:2}`, nil), "invalid character '1'"},
		{"duplicate tensor", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, z(4)),
			`tensor "a" appears twice in the header`},
		{"duplicate metadata", file(`{"__metadata__":{},"__metadata__":{}}`, nil), `header has "__metadata__" twice`},
		{"duplicate metadata key", file(`{"__metadata__":{"k":"1","k":"2"}}`, nil), `__metadata__: key "k" appears twice`},
		{"metadata value a number", file(`{"__metadata__":{"k":1}}`, nil), `__metadata__: value of "k" must be a string, got 1`},
		{"metadata an array", file(`{"__metadata__":["k"]}`, nil), `__metadata__: expected '{', got '['`},
		{"metadata null", file(`{"__metadata__":null}`, nil), `__metadata__: expected '{', got null`},
		{"entry a number", file(`{"a":5}`, nil), `tensor "a": header entry: expected '{', got 5`},
		{"entry null", file(`{"a":null}`, nil), `tensor "a": header entry: expected '{', got null`},
		{"unknown key", file(`{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4],"strides":[1]}}`, z(4)), `tensor "a": unknown key "strides"`},
		{"repeated key", file(`{"a":{"dtype":"F32","dtype":"F32","shape":[],"data_offsets":[0,4]}}`, z(4)), `tensor "a": key "dtype" appears twice`},
		{"missing dtype", file(`{"a":{"shape":[],"data_offsets":[0,4]}}`, z(4)), `tensor "a": missing "dtype"`},
		{"missing shape", file(`{"a":{"dtype":"F32","data_offsets":[0,4]}}`, z(4)), `tensor "a": missing "shape"`},
		{"missing offsets", file(`{"a":{"dtype":"F32","shape":[]}}`, z(4)), `tensor "a": missing "data_offsets"`},
		{"unknown dtype", file(`{"a":{"dtype":"Q4","shape":[],"data_offsets":[0,4]}}`, z(4)), `tensor "a": unknown dtype "Q4" (known: BF16, BOOL, F16, F32, F64, I16, I32, I64, I8, U16, U32, U64, U8)`},
		{"dtype a number", file(`{"a":{"dtype":4,"shape":[],"data_offsets":[0,4]}}`, z(4)), `tensor "a": dtype must be a string, got 4`},
		{"shape a number", file(`{"a":{"dtype":"F32","shape":4,"data_offsets":[0,4]}}`, z(4)), `tensor "a": shape: expected '[', got 4`},
		{"negative dim", file(`{"a":{"dtype":"F32","shape":[2,-3],"data_offsets":[0,4]}}`, z(4)), `tensor "a": shape: negative value -3`},
		{"fractional dim", file(`{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}`, z(4)), `tensor "a": shape: 1.5 is not an integer in [0, 2^64)`},
		{"huge dim", file(`{"a":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}}`, z(4)), `tensor "a": shape: 99999999999999999999 is not an integer`},
		{"dim a string", file(`{"a":{"dtype":"F32","shape":["2"],"data_offsets":[0,4]}}`, z(4)), `tensor "a": shape: expected a number, got "2"`},
		{"three offsets", file(`{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4,8]}}`, z(8)), `tensor "a": data_offsets must hold 2 numbers [begin, end], got 3`},
		{"negative offset", file(`{"a":{"dtype":"F32","shape":[],"data_offsets":[-4,0]}}`, z(4)), `tensor "a": data_offsets: negative value -4`},
		{"end before begin", file(`{"a":{"dtype":"F32","shape":[],"data_offsets":[8,4]}}`, z(8)), `tensor "a": data_offsets [8 4] end before they begin`},
		{"past the data", file(`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, z(8)), `tensor "a": data_offsets [0 16] run past the 8-byte data section`},
		{"offset 2^64-1", file(`{"a":{"dtype":"F32","shape":[],"data_offsets":[0,18446744073709551615]}}`, z(4)), `data_offsets [0 18446744073709551615] run past the 4-byte data section`},
		{"byte count", file(`{"0.weight":{"dtype":"F32","shape":[16,1,3,3],"data_offsets":[0,512]}}`, z(512)),
			`tensor "0.weight": shape [16 1 3 3] (F32) needs 576 bytes, data_offsets [0 512] give 512`},
		{"scalar byte count", file(`{"n":{"dtype":"I64","shape":[],"data_offsets":[0,4]}}`, z(4)), `tensor "n": shape [] (I64) needs 8 bytes, data_offsets [0 4] give 4`},
		{"product overflow", file(`{"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,0]}}`, nil),
			`tensor "a": shape [4294967296 4294967296 16] (F32) is too large: its byte count overflows`},
		{"product wraps to 0", file(`{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]}}`, nil), "its byte count overflows"},
		{"overlap", file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, z(12)),
			`tensor "b": data_offsets [4 12] overlap tensor "a", which ends at 8`},
		{"same offsets", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, z(4)),
			`data_offsets [0 4] overlap tensor`},
		{"gap", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`, z(12)),
			`data section bytes [4 8) belong to no tensor (the next, "b", begins at 8)`},
		{"leading gap", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, z(8)), `data section bytes [0 4) belong to no tensor`},
		{"trailing data", file(f32x2, z(12)), `data section has 12 bytes but its tensors end at 8`},
		{"data but no tensors", file(`{}`, z(1)), `data section has 1 bytes but its tensors end at 0`},
		{"bool 2", file(`{"b":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}`, []byte{1, 2}), `tensor "b": element 1 is not a valid BOOL value (bytes 02)`},
		{"u64 above int64", file(`{"u":{"dtype":"U64","shape":[],"data_offsets":[0,8]}}`, bytes.Repeat([]byte{0xff}, 8)), `tensor "u": element 0 is not a valid U64 value`},
		{"long name cut", file(`{"`+strings.Repeat("x", 200)+`":{"dtype":"Q4","shape":[],"data_offsets":[0,0]}}`, nil),
			`tensor "` + strings.Repeat("x", 80) + `"…: unknown dtype "Q4"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Read(bytes.NewReader(c.file), int64(len(c.file)))
			if err == nil {
				t.Fatalf("read %v, want error %q", f.Names(), c.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "safetensors: ") || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q\nwant one line starting with \"safetensors: \" holding %q", msg, c.want)
			}
		})
	}
}

// TestReadAccepts holds the unusual files that are valid.
func TestReadAccepts(t *testing.T) {
	cases := []struct {
		name  string
		file  []byte
		names []string
	}{
		{"no tensors", file(`{}`, nil), []string{}},
		{"padded header", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}      `, []byte{7}), []string{"a"}},
		{"tensors listed out of offset order", file(`{"b":{"dtype":"U8","shape":[1],"data_offsets":[1,2]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`, []byte{1, 2}), []string{"a", "b"}},
		{"zero-size tensors", file(`{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"z":{"dtype":"F64","shape":[2,0],"data_offsets":[1,1]}}`, []byte{1}), []string{"a", "e", "z"}},
		{"huge dims times zero", file(`{"e":{"dtype":"F32","shape":[0,9223372036854775807],"data_offsets":[0,0]}}`, nil), []string{"e"}},
		{"empty metadata", file(`{"__metadata__":{}}`, nil), []string{}},
		{"JSON whitespace", file("{ \"a\" :\n{\"dtype\" : \"U8\", \"shape\":[ ],\t\"data_offsets\":[0, 1]} }\n", []byte{1}), []string{"a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Read(bytes.NewReader(c.file), int64(len(c.file)))
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Names(); strings.Join(got, ",") != strings.Join(c.names, ",") {
				t.Errorf("names %v, want %v", got, c.names)
			}
		})
	}
}

// TestReadFileNamesFile checks that ReadFile's errors name the file.
func TestReadFileNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "model.safetensors")
	bad := file(`{"0.weight":{"dtype":"F32","shape":[16,1,3,3],"data_offsets":[0,512]}}`, make([]byte, 512))
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(path)
	want := "safetensors: " + path + `: tensor "0.weight": shape [16 1 3 3] (F32) needs 576 bytes, data_offsets [0 512] give 512`
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
	_, err = ReadFile(filepath.Join(t.TempDir(), "missing.safetensors"))
	if err == nil || !strings.Contains(err.Error(), "missing.safetensors: no such file") {
		t.Errorf("missing file: error %v", err)
	}
	_, err = ReadFile(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: error %v", err)
	}
}

// shortReader claims a size the data does not have.
func TestReadShortReader(t *testing.T) {
	full := file(`{"a":{"dtype":"F64","shape":[4],"data_offsets":[0,32]}}`, make([]byte, 32))
	_, err := Read(bytes.NewReader(full[:len(full)-5]), int64(len(full)))
	if err == nil || !strings.Contains(err.Error(), `tensor "a": reading data_offsets [0 32]: file ends after 27 of 32 bytes`) {
		t.Errorf("error %v", err)
	}
}
