package data

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/descent-ml/descent/internal/lex"
)

//go:generate go run ./internal/gen -out builtin

//go:embed builtin/*.csv
var builtinFS embed.FS

// Builtin returns a fresh copy of an embedded dataset; the target is the
// last column. Each call parses anew, so callers may modify the result
// (standardize it in place, say) without affecting later calls.
//
// Synthetic datasets (computed by data/internal/synth, written by
// `go generate ./data`):
//
//	line        x = 1..5, y = 2x + 1 (5 rows)
//	noisy-line  x = 1..6, y ≈ 2x + 1 with fixed noise: 3.06286511, 4.93394757,
//	            7.32021133, 9.05245006, 10.73216531, 13.18079753
//	salary      years 1, 2, 4, 6, 8 → salary 40000, 50000, 70000, 90000, 110000
//	linear-300  x = 1..300, y = 0.5x + 2
//	parabola    30 evenly spaced x in [-3, 3], y = x² + ε, ε ~ N(0, 0.5²), seed 1
//	multi       50 rows, x1, x2, x3 ~ U[-2, 2], y = 4 + 3·x1 − 2·x2 + 0.5·x3 + ε,
//	            ε ~ N(0, 0.1²), seed 2
//
// Real datasets, copied from scikit-learn's bundled copies (BSD-3-Clause):
//
//	diabetes  442 rows, 10 raw features (age, sex, bmi, bp, s1–s6) → progression;
//	          Efron, Hastie, Johnstone and Tibshirani (2004), "Least Angle Regression"
//	iris      150 rows, 4 features (sepal/petal length and width, cm) → species 0, 1, 2;
//	          Fisher (1936)
//	digits    1797 rows, 64 pixel intensities 0–16 of 8×8 images → digit 0–9
//	          (Shape 1×8×8, rows read as one-channel images by convolutions);
//	          UCI Optical Recognition of Handwritten Digits
func Builtin(name string) (*Dataset, error) {
	b, err := builtinFS.ReadFile("builtin/" + name + ".csv")
	if err != nil || strings.ContainsAny(name, "/\\") {
		return nil, fmt.Errorf("data: unknown built-in dataset %s (have: %s)", lex.Quote(name), strings.Join(BuiltinNames(), ", "))
	}
	ds, err := ParseCSV(bytes.NewReader(b), name+".csv", CSVOptions{})
	if err == nil && name == "digits" {
		ds.Shape = []int{1, 8, 8} // one channel of 8×8 pixels, for convolutions
	}
	return ds, err
}

// BuiltinNames returns the names Builtin accepts, sorted.
func BuiltinNames() []string {
	entries, _ := fs.ReadDir(builtinFS, "builtin") // cannot fail: the directory is embedded
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".csv"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}
