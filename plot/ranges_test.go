package plot

import (
	"math"
	"testing"

	"gonum.org/v1/plot"
)

func TestAxisRange(t *testing.T) {
	big := math.MaxFloat64
	tests := []struct {
		name           string
		lo, hi         float64
		log, integer   bool
		padLo, padHi   bool
		wantLo, wantHi float64
	}{
		{"padded both ends", 0, 10, false, false, true, true, -0.5, 10.5},
		{"bottom only", 0, 10, false, false, true, false, -0.5, 10},
		{"unpadded", 2, 8, false, false, false, false, 2, 8},
		{"flat", 0.7, 0.7, false, false, true, true, 0.665, 0.735},
		{"flat zero", 0, 0, false, false, true, true, -1, 1},
		{"flat integer", 5, 5, false, true, false, false, 4, 6},
		{"flat under a clipped top", 2, 2, false, false, true, false, 1.8, 2},
		{"a few ulps is flat", 0.6931471805599453, 0.6931471805599455, false, false, true, true, 0.6931471805599454 * 0.95, 0.6931471805599454 * 1.05},
		{"span that overflows", -1e308, 1e308, false, false, true, true, -1.1e308, 1.1e308},
		{"padding past the largest float", -1.7e308, 1.7e308, false, false, true, true, -big, big},
		{"log", 0.01, 100, true, false, true, true, 0.01 / math.Pow(10, 0.2), 100 * math.Pow(10, 0.2)},
		{"log flat", 3, 3, true, false, true, true, 1.5, 6},
	}
	for _, tt := range tests {
		a, b := axisRange(tt.lo, tt.hi, tt.log, tt.integer, tt.padLo, tt.padHi)
		if math.Abs(a-tt.wantLo) > 1e-12*math.Max(1, math.Abs(tt.wantLo)) || math.Abs(b-tt.wantHi) > 1e-12*math.Max(1, math.Abs(tt.wantHi)) {
			t.Errorf("%s: axisRange(%v, %v) = [%v, %v], want [%v, %v]", tt.name, tt.lo, tt.hi, a, b, tt.wantLo, tt.wantHi)
		}
		if !(a < b) || !isFinite(a) || !isFinite(b) {
			t.Errorf("%s: [%v, %v] is not a drawable range", tt.name, a, b)
		}
	}
}

// TestLinearScaleNoOverflow: the overflow-safe scale agrees with gonum's
// where gonum's works, and stays finite where max − min overflows.
func TestLinearScaleNoOverflow(t *testing.T) {
	for _, c := range [][3]float64{{0, 10, 2.5}, {-3, 7, 7}, {1, 1.5, 1.25}} {
		if got, want := (linearScale{}).Normalize(c[0], c[1], c[2]), (plot.LinearScale{}).Normalize(c[0], c[1], c[2]); got != want {
			t.Errorf("Normalize(%v) = %v, gonum says %v", c, got, want)
		}
	}
	big := math.MaxFloat64
	for _, c := range [][4]float64{{-big, big, 0, 0.5}, {-big, big, big, 1}, {-big, big, -big, 0}, {-1e308, 1.5e308, 1.5e308, 1}} {
		if got := (linearScale{}).Normalize(c[0], c[1], c[2]); math.Abs(got-c[3]) > 1e-15 {
			t.Errorf("Normalize(%v, %v, %v) = %v, want %v", c[0], c[1], c[2], got, c[3])
		}
	}
}
