package data_test

import (
	"bytes"
	"fmt"
	"os"

	"github.com/descent-ml/descent/data"
)

func ExampleReadIDX() {
	x, err := data.ReadIDX("testdata/mnist/t10k-labels-idx1-ubyte.gz") // gzip is detected by its magic
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(x.Dims, x.Data)
	// Output:
	// [3] [7 0 9]
}

func ExampleParseIDX() {
	// A header that claims 60000 28×28 images but holds 3 bytes fails
	// having allocated what the stream held, not 47 MB.
	hostile := []byte{0, 0, 0x08, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3}
	_, err := data.ParseIDX(bytes.NewReader(hostile), "hostile.idx")
	fmt.Println(err)

	_, err = data.ParseIDX(bytes.NewReader([]byte{0, 0, 0x0d, 1, 0, 0, 0, 1}), "floats.idx")
	fmt.Println(err)
	// Output:
	// data: hostile.idx: IDX dimensions [60000 28 28]: file ends after 3 of the 47040000 bytes of the data
	// data: floats.idx: IDX element type 0x0d (float32) is not supported, only 0x08 (unsigned byte)
}

func ExampleLoadIDX() {
	d, err := data.LoadIDX("testdata/mnist/t10k-images-idx3-ubyte.gz", "testdata/mnist/t10k-labels-idx1-ubyte.gz")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Name, d.N, "images of shape", d.Shape, "→", d.Target, d.Y)
	fmt.Printf("%.3f\n", d.Row(2))
	// Output:
	// t10k-images-idx3-ubyte 3 images of shape [1 2 3] → label [7 0 9]
	// [0.706 0.765 0.824 0.882 0.941 1.000]
}

func ExampleLoadMNIST() {
	// DESCENT_DATA_DIR overrides the search: here it points at tiny
	// hand-made files in testdata/mnist. Unset, LoadMNIST reads Debian's
	// /usr/share/datasets/fashion-mnist or the GoMNIST module's files.
	os.Setenv(data.DataDirEnv, "testdata")
	defer os.Unsetenv(data.DataDirEnv)

	d, err := data.LoadMNIST("mnist", "test")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Name, d.N, d.Shape, d.Y)

	_, err = data.LoadMNIST("fashion-mnist", "test")
	fmt.Println(err)
	// Output:
	// mnist-test 3 [1 2 3] [7 0 9]
	// data: fashion-mnist test: no t10k-images-idx3-ubyte[.gz] in testdata/fashion-mnist (from DESCENT_DATA_DIR)
}

func ExampleMNISTFiles() {
	os.Setenv(data.DataDirEnv, "testdata")
	defer os.Unsetenv(data.DataDirEnv)

	images, labels, err := data.MNISTFiles("mnist", "train")
	fmt.Println(images, labels, err)
	// Output:
	// testdata/mnist/train-images-idx3-ubyte testdata/mnist/train-labels-idx1-ubyte <nil>
}
