package data

import (
	"fmt"
	"strings"
)

// Open returns a named dataset: a built-in one (Builtin), or an image
// dataset installed on the machine, "mnist" or "fashion-mnist", whose
// training split is NAME or NAME:train and test split NAME:test.
func Open(name string) (*Dataset, error) {
	base, split, hasSplit := strings.Cut(name, ":")
	switch base {
	case "mnist", "fashion-mnist":
		if !hasSplit {
			split = "train"
		}
		if split != "train" && split != "test" {
			return nil, fmt.Errorf("data: dataset %q: the split must be train or test, as in %s:test", name, base)
		}
		return LoadMNIST(base, split)
	}
	if hasSplit {
		return nil, fmt.Errorf("data: dataset %q: only mnist and fashion-mnist have splits", name)
	}
	return Builtin(name)
}

// DatasetNames lists the names Open accepts: the built-in datasets, then
// the image datasets (which may need installing).
func DatasetNames() []string {
	return append(BuiltinNames(), "mnist[:test]", "fashion-mnist[:test]")
}
