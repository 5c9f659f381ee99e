package data

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadIDX(t *testing.T) {
	d, err := LoadIDX("testdata/mnist/t10k-images-idx3-ubyte.gz", "testdata/mnist/t10k-labels-idx1-ubyte.gz")
	if err != nil {
		t.Fatal(err)
	}
	if d.N != 3 || d.D != 6 || !slices.Equal(d.Shape, []int{1, 2, 3}) || d.Name != "t10k-images-idx3-ubyte" || d.Target != "label" {
		t.Fatalf("got %s: N %d D %d shape %v target %q", d.Name, d.N, d.D, d.Shape, d.Target)
	}
	if !slices.Equal(d.Features, []string{"p0", "p1", "p2", "p3", "p4", "p5"}) {
		t.Errorf("features %v", d.Features)
	}
	if !slices.Equal(d.Y, []float64{7, 0, 9}) {
		t.Errorf("Y = %v", d.Y)
	}
	for i, v := range d.X {
		if want := float64(15*i) / 255; v != want {
			t.Errorf("X[%d] = %v, want %v", i, v, want)
		}
	}
	if d.X[0] != 0 || d.X[17] != 1 {
		t.Errorf("pixels 0 and 255 give %v and %v, want 0 and 1", d.X[0], d.X[17])
	}
	if k, err := d.Classes(); err != nil || k != 10 {
		t.Errorf("Classes() = %d, %v", k, err)
	}
}

func TestLoadIDXErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	img := "testdata/mnist/train-images-idx3-ubyte"
	lab := "testdata/mnist/train-labels-idx1-ubyte"
	three := write("three-labels", idxBytes([]uint32{3}, []byte{1, 2, 3}))
	flat := write("flat-images", idxBytes([]uint32{2, 6}, make([]byte, 12)))
	square := write("square-labels", idxBytes([]uint32{2, 1}, []byte{1, 2}))
	for _, c := range []struct{ images, labels, want string }{
		{img, three, "data: " + three + " holds 3 labels but " + img + " holds 2 images"},
		{flat, lab, "data: " + flat + ": images need 3 IDX dimensions (count, rows, cols) or 4 (count, channels, rows, cols), got [2 6]"},
		{img, square, "data: " + square + ": labels need 1 IDX dimension (count), got [2 1]"},
		{lab, lab, "data: " + lab + ": images need 3 IDX dimensions"},
		{img, filepath.Join(dir, "none"), "data: open " + filepath.Join(dir, "none") + ": no such file or directory"},
	} {
		_, err := LoadIDX(c.images, c.labels)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("LoadIDX(%s, %s): error %v\nwant %s", c.images, c.labels, err, c.want)
		}
	}
}

// TestLoadIDXChannels reads a 4-dimensional (count, channels, rows, cols)
// images file.
func TestLoadIDXChannels(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "img")
	lab := filepath.Join(dir, "lab")
	os.WriteFile(img, idxBytes([]uint32{1, 3, 1, 2}, []byte{0, 51, 102, 153, 204, 255}), 0o644)
	os.WriteFile(lab, idxBytes([]uint32{1}, []byte{4}), 0o644)
	d, err := LoadIDX(img, lab)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Shape, []int{3, 1, 2}) || d.D != 6 || !slices.Equal(d.X, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}) {
		t.Errorf("shape %v D %d X %v", d.Shape, d.D, d.X)
	}
}
