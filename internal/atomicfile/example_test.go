package atomicfile_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/descent-ml/descent/internal/atomicfile"
)

func ExampleWriteFile() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.json")
	os.WriteFile(path, []byte("old"), 0o640)
	// A link to the model file: the write replaces its target, not the link.
	link := filepath.Join(dir, "latest.json")
	os.Symlink("model.json", link)

	if err := atomicfile.WriteFile(link, []byte(`{"version": 2}`)); err != nil {
		fmt.Println(err)
	}
	b, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	lfi, _ := os.Lstat(link)
	fmt.Printf("%s %v %v\n", b, fi.Mode().Perm(), lfi.Mode()&os.ModeSymlink != 0)
	// Output: {"version": 2} -rw-r----- true
}

func ExampleWrite() {
	// "-" is standard output, written directly.
	err := atomicfile.Write("-", func(w io.Writer) error {
		_, err := fmt.Fprintln(w, "step,loss")
		return err
	})
	fmt.Println(err)
	// Output:
	// step,loss
	// <nil>
}

func ExampleCheck() {
	fmt.Println(atomicfile.Check("/nonexistent-dir/model.json"))
	fmt.Println(atomicfile.Check("/"))
	fmt.Println(atomicfile.Check("-"))
	// Output:
	// directory /nonexistent-dir does not exist
	// is a directory
	// <nil>
}
