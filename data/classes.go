package data

import (
	"fmt"
	"math"
)

// MaxClasses bounds the labels Classes accepts. A one-hot target needs
// N·k values, so a stray large label (a regression target read as a class)
// would otherwise ask for gigabytes.
const MaxClasses = 1 << 16

// Classes returns the number of classes k of a classification target: every
// label must be an integer in [0, MaxClasses), and k = max label + 1. Not
// every class in 0..k−1 need be present. A non-integer, negative or
// too-large label is an error that names the row (its file line, for data
// read from a file) and the value, e.g.
//
//	data: iris.csv:7: class label in column "species" must be an integer 0, 1, 2, …, got 1.5
func (d *Dataset) Classes() (int, error) {
	if d.N == 0 {
		return 0, fmt.Errorf("data: %s: no rows to count classes in", d.label())
	}
	k := 0
	for i, v := range d.Y[:d.N] {
		switch {
		case v != math.Trunc(v) || v < 0 || math.IsInf(v, 0): // NaN ≠ Trunc(NaN)
			return 0, fmt.Errorf("data: %s: class label in column %q must be an integer 0, 1, 2, …, got %v", d.where(i), d.Target, v)
		case v >= MaxClasses:
			return 0, fmt.Errorf("data: %s: class label in column %q must be below %d, got %v", d.where(i), d.Target, MaxClasses, v)
		}
		k = max(k, int(v)+1)
	}
	return k, nil
}

func (d *Dataset) label() string {
	switch {
	case d.src != "":
		return d.src
	case d.Name != "":
		return d.Name
	}
	return "dataset"
}
