package plot

import (
	"math"
	"testing"
)

func TestTamed(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		z, want []float64
	}{
		// Each NaN takes its nearest finite (or tamed infinite) neighbour's value.
		{[]float64{nan, 1, nan, nan, nan, nan, inf}, []float64{1, 1, 1, 1, 100, 100, 100}},
		{[]float64{-inf, nan, nan, nan, nan, 3}, []float64{-100, -100, -100, 3, 3, 3}},
		{[]float64{2, 3}, []float64{2, 3}},
	}
	for _, tt := range tests {
		xs := make([]float64, len(tt.z))
		g := &fgrid{xs: xs, ys: []float64{0}, z: tt.z}
		tm := newTamed(g, -100, 100)
		for c := range tt.z {
			if got := tm.Z(c, 0); got != tt.want[c] {
				t.Errorf("%v: Z(%d) = %v, want %v", tt.z, c, got, tt.want[c])
			}
		}
	}
}

func TestBands(t *testing.T) {
	g := &fgrid{xs: []float64{0, 1, 2, 3, 4}, ys: []float64{0}, z: []float64{-1, 0, 0.5, 1, math.NaN()}}
	b := bands{g, []float64{0, 1}}
	for c, want := range []float64{0, 1, 1, 2} {
		if got := b.Z(c, 0); got != want {
			t.Errorf("band of %v = %v, want %v", g.z[c], got, want)
		}
	}
	if !math.IsNaN(b.Z(4, 0)) {
		t.Error("NaN must stay NaN (left blank)")
	}
}

func TestSamplePanics(t *testing.T) {
	_, err := sample(func(x, y float64) float64 {
		if x > 0.5 {
			panic("too far")
		}
		return x
	}, [2]float64{0, 1}, [2]float64{0, 1}, 3)
	if err == nil || err.Error() != "plot: contour: f panicked at (x, y) = (1, 0): too far" {
		t.Errorf("err = %v", err)
	}
}
