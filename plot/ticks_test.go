package plot

import (
	"math"
	"reflect"
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
		{0, 2.5e6, []string{"0", "5e5", "1e6", "1.5e6", "2e6", "2.5e6"}},
		{1, 1.0001, []string{"1", "1.00002", "1.00004", "1.00006", "1.00008", "1.0001"}},
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

func TestLogTicks(t *testing.T) {
	tests := []struct {
		min, max float64
		want     []string
	}{
		{2e-6, 20, []string{"1e-5", "1e-4", "0.001", "0.01", "0.1", "1", "10"}},
		{0.2, 0.9, []string{"0.2", "0.5"}},
		{1e-20, 1e20, []string{"1e-20", "1e-10", "1", "1e10", "1e20"}},
		{1e-3, 1e9, []string{"0.01", "1", "100", "10000", "1e6", "1e8"}}, // aligned so that 1 is labelled
		{3, 3.5, []string{"3", "3.1", "3.2", "3.3", "3.4", "3.5"}},
	}
	for _, tt := range tests {
		got := labels(logTicks{}.Ticks(tt.min, tt.max))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("logTicks(%v, %v) = %q, want %q", tt.min, tt.max, got, tt.want)
		}
	}
	for _, bad := range [][2]float64{{0, 1}, {-1, 1}, {2, 1}, {1, math.Inf(1)}} {
		if got := (logTicks{}).Ticks(bad[0], bad[1]); got != nil {
			t.Errorf("logTicks(%v, %v) = %v, want nil (and no panic)", bad[0], bad[1], got)
		}
	}
}

func TestFormatTick(t *testing.T) {
	three := 3.0
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {0.3, "0.3"}, {three * 0.1, "0.3"}, {1e-3, "0.001"}, {12345, "12345"},
		{1e5, "1e5"}, {2.5e-6, "2.5e-6"}, {-0.02, "-0.02"}, {-3e7, "-3e7"},
	}
	for _, tt := range tests {
		if got := formatTick(tt.v); got != tt.want {
			t.Errorf("formatTick(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
