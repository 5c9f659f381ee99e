package data

import (
	"fmt"
	"math"

	"github.com/descent-ml/descent/internal/lex"
)

// MaxClasses bounds the labels Classes accepts: k ≤ MaxClasses.
const MaxClasses = 1 << 16

// MaxOneHotValues bounds N·k, the size of the one-hot target a classifier
// trains on (2^24 values, 128 MiB of float64; a network holds a few arrays
// of that shape). It is what a stray large label, a regression target read
// as classes, would otherwise blow up: one label of 40000 in a 6 KB file
// asked for gigabytes. Callers that build other N×k arrays can reuse it.
const MaxOneHotValues = 1 << 24

// Classes returns the number of classes k of a classification target: every
// label must be an integer in [0, MaxClasses), and k = max label + 1. Not
// every class in 0..k−1 need be present. The one-hot target of N rows × k
// classes must hold at most MaxOneHotValues values. A non-integer, negative
// or too-large label is an error that names the row (its file line, for
// data read from a file) and the value, e.g.
//
//	data: iris.csv:7: class label in column "species" must be an integer 0, 1, 2, …, got 1.5
//	data: big.csv:1002: class label 40000 in column "label" would need a one-hot target of 1002 rows × 40001 classes = 40081002 values, more than 16777216 (MaxOneHotValues)
func (d *Dataset) Classes() (int, error) {
	if d.N == 0 {
		return 0, fmt.Errorf("data: %s: no rows to count classes in", d.label())
	}
	k, top := 0, 0
	for i, v := range d.Y[:d.N] {
		switch {
		case v != math.Trunc(v) || v < 0 || math.IsInf(v, 0): // NaN ≠ Trunc(NaN)
			return 0, fmt.Errorf("data: %s: class label in column %s must be an integer 0, 1, 2, …, got %v", d.where(i), lex.Quote(d.Target), v)
		case v >= MaxClasses:
			return 0, fmt.Errorf("data: %s: class label in column %s must be below %d, got %v", d.where(i), lex.Quote(d.Target), MaxClasses, v)
		}
		if int(v)+1 > k {
			k, top = int(v)+1, i
		}
	}
	if k > MaxOneHotValues/d.N {
		return 0, fmt.Errorf("data: %s: class label %d in column %s would need a one-hot target of %d rows × %d classes = %d values, more than %d (MaxOneHotValues)",
			d.where(top), k-1, lex.Quote(d.Target), d.N, k, d.N*k, MaxOneHotValues)
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
