package safetensors_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/descent-ml/descent/modelfile/safetensors"
)

func ExampleReadFile() {
	// A torch state_dict (Conv2d, BatchNorm2d, Linear) written by testdata/gen.py.
	f, err := safetensors.ReadFile("testdata/torch_f32.safetensors")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range f.Names() {
		t := f.Tensors[name]
		fmt.Println(name, t.DType, t.Shape)
	}
	fmt.Println(f.Tensors["1.num_batches_tracked"].I64, f.Metadata["format"])
	// Output:
	// 0.bias F32 [4]
	// 0.weight F32 [4 1 3 3]
	// 1.bias F32 [4]
	// 1.num_batches_tracked I64 []
	// 1.running_mean F32 [4]
	// 1.running_var F32 [4]
	// 1.weight F32 [4]
	// 4.bias F32 [3]
	// 4.weight F32 [3 64]
	// [3] pt
}

func ExampleRead() {
	// 8 bytes of header length, the JSON header, then the data: here a
	// tensor whose shape needs more bytes than its offsets give.
	header := `{"0.weight":{"dtype":"F32","shape":[16,1,3,3],"data_offsets":[0,512]}}`
	file := append([]byte{byte(len(header)), 0, 0, 0, 0, 0, 0, 0}, header...)
	file = append(file, make([]byte, 512)...)
	_, err := safetensors.Read(bytes.NewReader(file), int64(len(file)))
	fmt.Println(err)
	// Output:
	// safetensors: tensor "0.weight": shape [16 1 3 3] (F32) needs 576 bytes, data_offsets [0 512] give 512
}

func ExampleWrite() {
	tensors := map[string]safetensors.Tensor{
		"0.weight":              {Shape: []int{1, 2}, F64: []float64{0.5, -1}},
		"0.bias":                {Shape: []int{1}, F64: []float64{0.25}},
		"1.num_batches_tracked": {DType: "I64", Shape: []int{}, I64: []int64{7}},
	}
	var b bytes.Buffer
	if err := safetensors.Write(&b, tensors, map[string]string{"format": "pt"}, "F32"); err != nil {
		fmt.Println(err)
		return
	}
	n := b.Bytes()[0] // the header length, a multiple of 8 (it fits one byte here)
	header := b.Bytes()[8 : 8+n]
	fmt.Printf("%d %s|\n", n, bytes.TrimRight(header, " "))

	f, err := safetensors.Read(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Names(), f.Tensors["0.weight"].F64, f.Tensors["1.num_batches_tracked"].I64)
	// Output:
	// 232 {"__metadata__":{"format":"pt"},"1.num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"0.bias":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"0.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[12,20]}}|
	// [0.bias 0.weight 1.num_batches_tracked] [0.5 -1] [7]
}

func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "safetensors")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")
	err = safetensors.WriteFile(path, map[string]safetensors.Tensor{
		"weight": {Shape: []int{2, 2}, F64: []float64{1, 2, 3, 4}},
	}, nil, "F64")
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := safetensors.ReadFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	w := f.Tensors["weight"]
	fmt.Println(w.DType, w.Shape, w.F64)
	// Output:
	// F64 [2 2] [1 2 3 4]
}

func ExampleFile_Names() {
	f, err := safetensors.ReadFile("testdata/dtypes.safetensors")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Names())
	// Output:
	// [bf16 bool empty f16 f32 f64 i16 i32 i64 i8 scalar u8]
}
