package plot

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func labels(ticks []plot.Tick) []string {
	var out []string
	for _, t := range ticks {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		min, max float64
		want     []string
	}{
		{0.02, 0.68, []string{"0.1", "0.2", "0.3", "0.4", "0.5", "0.6"}},
		{0, 59, []string{"0", "10", "20", "30", "40", "50"}},
		{-5, 5, []string{"-4", "-2", "0", "2", "4"}},
		{-3.2, 3.2, []string{"-2", "0", "2"}},
		{0, 1, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{0, 0.6, []string{"0.0", "0.2", "0.4", "0.6"}}, // seven steps of 0.1 are too many
		{1, 1.0001, []string{"1.00000", "1.00002", "1.00004", "1.00006", "1.00008", "1.00010"}},
		// One format per axis: never "80000" beside "1e5".
		{40000, 100000, []string{"40000", "60000", "80000", "100000"}},
		{0, 2.5e6, []string{"0", "0.5×10^6", "1.0×10^6", "1.5×10^6", "2.0×10^6", "2.5×10^6"}},
		{2e-5, 1.1e-4, []string{"0.2×10^-4", "0.4×10^-4", "0.6×10^-4", "0.8×10^-4", "1.0×10^-4"}},
		{0, 0.25, []string{"0.00", "0.05", "0.10", "0.15", "0.20", "0.25"}},
		{0, 1e300, []string{"0", "0.2×10^300", "0.4×10^300", "0.6×10^300", "0.8×10^300", "1.0×10^300"}},
	}
	for _, tt := range tests {
		got := labels(niceTicks{}.Ticks(tt.min, tt.max))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("niceTicks(%v, %v) = %q, want %q", tt.min, tt.max, got, tt.want)
		}
	}
	for _, bad := range [][2]float64{{1, 1}, {2, 1}, {math.NaN(), 1}, {0, math.Inf(1)}} {
		if got := (niceTicks{}).Ticks(bad[0], bad[1]); got != nil {
			t.Errorf("niceTicks(%v, %v) = %v, want nil", bad[0], bad[1], got)
		}
	}
}

// TestNiceTicksInteger: an epoch axis has whole-number ticks only, labelled
// and minor.
func TestNiceTicksInteger(t *testing.T) {
	tests := []struct {
		min, max float64
		want     []string
	}{
		{1, 3, []string{"1", "2", "3"}},
		{1, 6, []string{"1", "2", "3", "4", "5", "6"}},
		{0, 5, []string{"0", "1", "2", "3", "4", "5"}},
		{1, 8, []string{"2", "4", "6", "8"}},
		{0, 1, []string{"0", "1"}},
		{1, 20000, []string{"5000", "10000", "15000", "20000"}},
		{0.2, 0.8, nil},
	}
	for _, tt := range tests {
		ticks := niceTicks{integer: true}.Ticks(tt.min, tt.max)
		if got := labels(ticks); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("integer niceTicks(%v, %v) = %q, want %q", tt.min, tt.max, got, tt.want)
		}
		for _, tk := range ticks {
			if tk.Value != math.Trunc(tk.Value) {
				t.Errorf("integer niceTicks(%v, %v): tick at %v", tt.min, tt.max, tk.Value)
			}
		}
	}
	// The same ranges on a real axis do get fractional ticks.
	if got := labels(niceTicks{}.Ticks(1, 3)); reflect.DeepEqual(got, []string{"1", "2", "3"}) {
		t.Errorf("real niceTicks(1, 3) = %q, want steps below 1", got)
	}
}

func TestLogTicks(t *testing.T) {
	tests := []struct {
		min, max float64
		want     []string
	}{
		{2e-6, 20, []string{"2×10^-6", "10^-5", "10^-4", "10^-3", "10^-2", "10^-1", "10^0", "10^1"}},
		{0.2, 0.9, []string{"0.2", "0.5"}},
		{1e-20, 1e20, []string{"10^-20", "10^-10", "10^0", "10^10", "10^20"}},
		{1e-3, 1e9, []string{"10^-3", "10^-1", "10^1", "10^3", "10^5", "10^7", "10^9"}},
		{3, 3.5, []string{"3.0", "3.1", "3.2", "3.3", "3.4", "3.5"}},
		{0.5, 50, []string{"0.5", "1", "2", "5", "10", "20", "50"}},
		{0.055, 2.6, []string{"0.06", "0.1", "0.2", "0.5", "1", "2"}},
		{0.01, 100, []string{"0.01", "0.1", "1", "10", "100"}},
		// The lowest tick (0.9) is too close below the label 1 to be
		// labelled itself: it is dropped, so 1 is the lowest tick.
		{0.85, 1000, []string{"1", "10", "100", "1000"}},
	}
	for _, tt := range tests {
		ticks := logTicks{}.Ticks(tt.min, tt.max)
		got := labels(ticks)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("logTicks(%v, %v) = %q, want %q", tt.min, tt.max, got, tt.want)
		}
		lowest := ticks[0]
		for _, tk := range ticks {
			if tk.Value < lowest.Value {
				lowest = tk
			}
		}
		if lowest.Label == "" {
			t.Errorf("logTicks(%v, %v): the lowest tick, %v, is unlabelled", tt.min, tt.max, lowest.Value)
		}
	}
	for _, bad := range [][2]float64{{0, 1}, {-1, 1}, {2, 1}, {1, math.Inf(1)}} {
		if got := (logTicks{}).Ticks(bad[0], bad[1]); got != nil {
			t.Errorf("logTicks(%v, %v) = %v, want nil (and no panic)", bad[0], bad[1], got)
		}
	}
}

// TestOneFormatPerAxis: over many ranges, the labels of an axis are all
// plain or all scientific, and plain labels of a linear axis all have the
// same number of decimals.
func TestOneFormatPerAxis(t *testing.T) {
	for e := -12; e <= 12; e++ {
		for _, m := range []float64{1, 1.7, 3.3, 7.9} {
			hi := m * math.Pow10(e)
			for _, lo := range []float64{0, hi / 3, hi * 0.9, -hi} {
				checkOneFormat(t, "niceTicks", lo, hi, labels(niceTicks{}.Ticks(lo, hi)), true)
				if lo > 0 {
					checkOneFormat(t, "logTicks", lo/50, hi, labels(logTicks{}.Ticks(lo/50, hi)), false)
				}
			}
		}
	}
}

func checkOneFormat(t *testing.T, name string, lo, hi float64, labs []string, sameDecimals bool) {
	t.Helper()
	sci, plain, decimals := 0, 0, map[int]bool{}
	exps := map[string]bool{}
	for _, l := range labs {
		if l == "0" {
			continue
		}
		if _, exp, ok := strings.Cut(l, "^"); ok {
			sci++
			exps[exp] = true
			continue
		}
		plain++
		d := 0
		if _, frac, ok := strings.Cut(l, "."); ok {
			d = len(frac)
		}
		decimals[d] = true
	}
	if sci > 0 && plain > 0 {
		t.Errorf("%s(%g, %g) mixes formats: %q", name, lo, hi, labs)
	}
	if sameDecimals && len(decimals) > 1 {
		t.Errorf("%s(%g, %g) mixes decimals: %q", name, lo, hi, labs)
	}
	if sameDecimals && len(exps) > 1 {
		t.Errorf("%s(%g, %g) has no shared exponent: %q", name, lo, hi, labs)
	}
}

func TestFormatValue(t *testing.T) {
	three := 3.0
	tests := []struct {
		v    float64
		sig  int
		want string
	}{
		{0, 3, "0"}, {0.3, 3, "0.3"}, {three * 0.1, 12, "0.3"}, {1e-3, 3, "0.001"}, {12345, 12, "12345"},
		{999999, 12, "999999"}, {1e6, 3, "10^6"}, {2.5e-6, 3, "2.5×10^-6"}, {-0.02, 3, "-0.02"},
		{-3e7, 3, "-3×10^7"}, {-1e7, 3, "-10^7"}, {123456789, 3, "1.23×10^8"},
	}
	for _, tt := range tests {
		if got := formatValue(tt.v, tt.sig); got != tt.want {
			t.Errorf("formatValue(%v, %d) = %q, want %q", tt.v, tt.sig, got, tt.want)
		}
	}
	if got := formatLevels([]float64{0.5, 20, 4000, 2e5, 1.5e6}); !reflect.DeepEqual(got, []string{"5×10^-1", "2×10^1", "4×10^3", "2×10^5", "1.5×10^6"}) {
		t.Errorf("formatLevels mixed magnitudes = %q, want one scientific format", got)
	}
	if got := formatLevels([]float64{0.5, 20, 4000.4}); !reflect.DeepEqual(got, []string{"0.5", "20", "4000"}) {
		t.Errorf("formatLevels plain = %q", got)
	}
}
