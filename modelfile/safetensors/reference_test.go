package safetensors

import (
	"bytes"
	"slices"
	"testing"
)

// The byte vectors below are the reference implementation's own tests
// (safetensors/src/tensor.rs: test_serialization, test_forced_alignment and
// test_deserialization), as ported to Go by github.com/nlpodyssey/safetensors.

func TestReferenceSerialization(t *testing.T) {
	vals := []float64{0, 1, 2, 3, 4, 5}
	cases := []struct {
		name  string
		shape []int
		want  []byte
	}{
		{"attn.0", []int{1, 2, 3}, []byte{
			64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
			116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
			58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
			101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
			0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
		}},
		{"attn0", []int{1, 1, 2, 3}, []byte{ // header padded with 7 spaces
			72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
			121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
			91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
			115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
			32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
			160, 64,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			err := Write(&b, map[string]Tensor{c.name: {Shape: c.shape, F64: vals}}, nil, "F32")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), c.want) {
				t.Errorf("got  %q\nwant %q", b.Bytes(), c.want)
			}
		})
	}
}

func TestReferenceDeserialization(t *testing.T) {
	// An unpadded header with "__metadata__" after the tensor.
	file := []byte("Y\x00\x00\x00\x00\x00\x00\x00" +
		`{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]},"__metadata__":{"foo":"bar"}}` +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	f, err := Read(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	got := f.Tensors["test"]
	if len(f.Tensors) != 1 || got.DType != "I32" || !slices.Equal(got.Shape, []int{2, 2}) ||
		!slices.Equal(got.I64, make([]int64, 4)) || !slices.Equal(got.F64, make([]float64, 4)) {
		t.Errorf("tensors %+v", f.Tensors)
	}
	if f.Metadata["foo"] != "bar" || len(f.Metadata) != 1 {
		t.Errorf("metadata %v", f.Metadata)
	}
}
