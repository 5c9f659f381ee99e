package bench

import (
	"fmt"
	"maps"
	"slices"
)

// namedCopy pairs names with copies of vals.
func namedCopy(names []string, vals [][]float64) map[string][]float64 {
	out := make(map[string][]float64, len(names))
	for i, name := range names {
		out[name] = append([]float64(nil), vals[i]...)
	}
	return out
}

// checkParams reports whether params holds exactly p's parameters, each
// at its size.
func checkParams(p Problem, params map[string][]float64) error {
	want := InitParams(p)
	if len(params) != len(want) {
		return fmt.Errorf("bench: %s: parameters %v, want %v", p.Name, slices.Sorted(maps.Keys(params)), ParamNames(p))
	}
	for _, name := range ParamNames(p) {
		if len(params[name]) != len(want[name]) {
			return fmt.Errorf("bench: %s: parameter %s has %d values, want %d", p.Name, name, len(params[name]), len(want[name]))
		}
	}
	return nil
}
