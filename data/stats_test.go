package data

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFitStatsSalary(t *testing.T) {
	d, err := Builtin("salary")
	require.NoError(t, err)
	s := FitStats(d.X, d.N, d.D)
	// years 1, 2, 4, 6, 8: mean 21/5 = 4.2; squared deviations
	// 10.24 + 4.84 + 0.04 + 3.24 + 14.44 = 32.8; population variance 32.8/5 = 6.56.
	assert.InDelta(t, 4.2, s.Mean[0], 1e-15)
	assert.InDelta(t, math.Sqrt(6.56), s.Std[0], 1e-15)

	// The targets: mean 72000, deviations −32000, −22000, −2000, 18000, 38000,
	// squares sum to 3.28e9, variance 6.56e8.
	y := FitStats(d.Y, d.N, 1)
	assert.InDelta(t, 72000, y.Mean[0], 1e-9)
	assert.InDelta(t, math.Sqrt(6.56e8), y.Std[0], 1e-9)
}

func TestFitStatsIris(t *testing.T) {
	d, err := Builtin("iris")
	require.NoError(t, err)
	s := FitStats(d.X, d.N, d.D)
	// numpy: a.mean(0), a.std(0) (ddof=0) on iris.csv's four features.
	wantMean := []float64{5.84333333, 3.05733333, 3.758, 1.19933333}
	wantStd := []float64{0.82530129, 0.43441097, 1.75940407, 0.75969263}
	assert.InDeltaSlice(t, wantMean, s.Mean, 1e-8)
	assert.InDeltaSlice(t, wantStd, s.Std, 1e-8)

	require.NoError(t, s.Apply(d.X, d.D))
	z := FitStats(d.X, d.N, d.D)
	assert.InDeltaSlice(t, []float64{0, 0, 0, 0}, z.Mean, 1e-14)
	assert.InDeltaSlice(t, []float64{1, 1, 1, 1}, z.Std, 1e-14)
}

func TestFitStatsConstantColumn(t *testing.T) {
	// Column 0 is constant at 0.1, a value whose floating-point mean need
	// not be exact; column 1 varies.
	X := []float64{0.1, 1, 0.1, 2, 0.1, 3, 0.1, 4, 0.1, 5, 0.1, 6, 0.1, 7}
	s := FitStats(X, 7, 2)
	assert.Equal(t, 0.1, s.Mean[0])
	assert.Equal(t, 1.0, s.Std[0])
	assert.InDelta(t, 2.0, s.Std[1], 1e-15) // values 1..7: variance (7²−1)/12 = 4
	require.NoError(t, s.Apply(X, 2))
	for i := 0; i < 7; i++ {
		assert.Zero(t, X[2*i], "a constant column is only centred")
	}
}

func TestFitStatsEmpty(t *testing.T) {
	s := FitStats(nil, 0, 3)
	assert.Equal(t, Stats{Mean: []float64{0, 0, 0}, Std: []float64{1, 1, 1}}, s)
	assert.Panics(t, func() { FitStats(make([]float64, 5), 2, 3) })
}

func TestApplyInvertRoundTrip(t *testing.T) {
	d, err := Builtin("diabetes")
	require.NoError(t, err)
	orig := slices.Clone(d.X)
	s := FitStats(d.X, d.N, d.D)
	require.NoError(t, s.Apply(d.X, d.D))
	assert.NotEqual(t, orig, d.X)
	require.NoError(t, s.Invert(d.X, d.D))
	for i := range orig {
		assert.InDelta(t, orig[i], d.X[i], 1e-12*math.Max(1, math.Abs(orig[i])), "index %d", i)
	}
}

func TestApplyErrors(t *testing.T) {
	ok := Stats{Mean: []float64{1, 2}, Std: []float64{1, 2}}
	tests := []struct {
		name string
		s    Stats
		X    []float64
		d    int
		want string
	}{
		{"means vs stds", Stats{Mean: []float64{1, 2}, Std: []float64{1}}, make([]float64, 4), 2, "data: stats have 2 means but 1 standard deviations"},
		{"zero columns", ok, make([]float64, 4), 0, "data: column count must be positive, got 0"},
		{"ragged length", ok, make([]float64, 5), 2, "data: data of length 5 is not a whole number of rows of 2 columns"},
		{"feature count", ok, make([]float64, 30), 3, "data: stats for 2 features do not fit data of 10 rows × 3 columns"},
		{"zero std", Stats{Mean: []float64{1, 2}, Std: []float64{1, 0}}, make([]float64, 4), 2, "data: std of feature 2 must be positive and finite, got 0"},
		{"negative std", Stats{Mean: []float64{1, 2}, Std: []float64{-1, 1}}, make([]float64, 4), 2, "data: std of feature 1 must be positive and finite, got -1"},
		{"NaN std", Stats{Mean: []float64{1, 2}, Std: []float64{math.NaN(), 1}}, make([]float64, 4), 2, "data: std of feature 1 must be positive and finite, got NaN"},
		{"Inf std", Stats{Mean: []float64{1, 2}, Std: []float64{1, math.Inf(1)}}, make([]float64, 4), 2, "data: std of feature 2 must be positive and finite, got +Inf"},
		{"NaN mean", Stats{Mean: []float64{math.NaN(), 2}, Std: []float64{1, 1}}, make([]float64, 4), 2, "data: mean of feature 1 must be finite, got NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range tt.X {
				tt.X[i] = float64(i)
			}
			before := slices.Clone(tt.X)
			assert.EqualError(t, tt.s.Apply(tt.X, tt.d), tt.want)
			assert.EqualError(t, tt.s.Invert(tt.X, tt.d), tt.want)
			assert.Equal(t, before, tt.X, "X is left untouched on error")
		})
	}
}
