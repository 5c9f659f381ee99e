package plot

import (
	"math"
	"reflect"
	"testing"
	"time"
)

func gridValues(t *testing.T, f func(x, y float64) float64, xr, yr [2]float64, n int) []float64 {
	t.Helper()
	g, err := sample(f, xr, yr, n)
	if err != nil {
		t.Fatal(err)
	}
	return g.z
}

func TestChooseLevelsAuto(t *testing.T) {
	tests := []struct {
		name   string
		f      func(x, y float64) float64
		xr, yr [2]float64
		want   LevelSpacing
	}{
		{"bumpy surface", bumpy, [2]float64{-5, 5}, [2]float64{-5, 5}, SpacingLinear},
		{"bowl", func(x, y float64) float64 { return x*x + y*y }, [2]float64{-3, 3}, [2]float64{-3, 3}, SpacingLinear},
		{"Rosenbrock", rosenbrock, [2]float64{-2, 2}, [2]float64{-1, 3}, SpacingLog},
		{"Himmelblau", func(x, y float64) float64 {
			return math.Pow(x*x+y-11, 2) + math.Pow(x+y*y-7, 2)
		}, [2]float64{-5, 5}, [2]float64{-5, 5}, SpacingLog},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zs := gridValues(t, tt.f, tt.xr, tt.yr, 101)
			levels, got := chooseLevels(zs, 12, SpacingAuto)
			if got != tt.want {
				t.Errorf("spacing = %v, want %v", got, tt.want)
			}
			checkLevels(t, zs, levels, 12)
		})
	}
}

// checkLevels: at most n, strictly increasing, strictly inside the value range, at least 2.
func checkLevels(t *testing.T, zs, levels []float64, n int) {
	t.Helper()
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, z := range zs {
		if isFinite(z) {
			lo, hi = math.Min(lo, z), math.Max(hi, z)
		}
	}
	if len(levels) < 2 || len(levels) > n {
		t.Fatalf("%d levels %v, want 2..%d", len(levels), levels, n)
	}
	for i, l := range levels {
		if !(l > lo && l < hi) {
			t.Errorf("level %v outside (%v, %v)", l, lo, hi)
		}
		if i > 0 && !(l > levels[i-1]) {
			t.Errorf("levels not increasing: %v", levels)
		}
	}
}

func TestChooseLevels(t *testing.T) {
	// Values 0, 1, …, 100 (with a NaN and an Inf that must be ignored).
	ramp := []float64{math.NaN(), math.Inf(1)}
	for i := 0; i <= 100; i++ {
		ramp = append(ramp, float64(i))
	}
	tests := []struct {
		name    string
		zs      []float64
		n       int
		spacing LevelSpacing
		want    []float64
	}{
		{"linear picks a round step", ramp, 12, SpacingLinear,
			[]float64{10, 20, 30, 40, 50, 60, 70, 80, 90}},
		{"linear with room for more", ramp, 20, SpacingLinear,
			[]float64{5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95}},
		// 1% quantile of 0..100 is 1, so 1-2-5 from 1 below 100.
		{"log from the 1% quantile", ramp, 12, SpacingLog, []float64{1, 2, 5, 10, 20, 50}},
		{"log thins to 1-3 when 1-2-5 is too many", ramp, 5, SpacingLog, []float64{1, 3, 10, 30}},
		{"quantiles of a ramp are even", ramp, 3, SpacingQuantile, []float64{25, 50, 75}},
		{"constant surface has no levels", []float64{2, 2, 2}, 12, SpacingLinear, nil},
		{"nothing finite", []float64{math.NaN()}, 12, SpacingAuto, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := chooseLevels(tt.zs, tt.n, tt.spacing)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("levels = %v, want %v", got, tt.want)
			}
			for i := range got {
				if math.Abs(got[i]-tt.want[i]) > 1e-9 {
					t.Fatalf("levels = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestChooseLevelsLogOffset(t *testing.T) {
	// A surface whose minimum is −5: levels are −5 + round offsets.
	zs := []float64{-5}
	for i := 0; i < 99; i++ {
		zs = append(zs, -5+math.Pow(10, float64(i)/98*3)) // −4 … 995, log-uniform
	}
	got, s := chooseLevels(zs, 4, SpacingLog)
	if s != SpacingLog {
		t.Fatalf("spacing = %v", s)
	}
	want := []float64{-5 + 1, -5 + 10, -5 + 100}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("levels = %v, want %v", got, want)
	}
}

// TestChooseLevelsExtremes: a surface spanning a few ulps gets no levels
// (and returns at once: the old loop added 1 to a float above 2⁵³ forever);
// one spanning ±1.7e308 gets linear levels although max − min overflows.
func TestChooseLevelsExtremes(t *testing.T) {
	within(t, 5*time.Second, "chooseLevels on a few ulps", func() {
		for _, sp := range []LevelSpacing{SpacingAuto, SpacingLinear, SpacingLog, SpacingQuantile} {
			if got, _ := chooseLevels([]float64{1, 1.0000000000000002, 1.0000000000000004}, 12, sp); len(got) != 0 {
				t.Errorf("%v: levels %v on a surface of a few ulps", sp, got)
			}
		}
		if got := linearLevels(1e17, 1e17+64, 12); len(got) > 12 {
			t.Errorf("linearLevels on a few ulps at 1e17: %d levels", len(got))
		}
	})
	zs := []float64{-1.7e308, -1e308, 0, 1e308, 1.7e308}
	levels, sp := chooseLevels(zs, 12, SpacingAuto)
	if sp != SpacingLinear {
		t.Errorf("spacing %v, want linear", sp)
	}
	checkLevels(t, zs, levels, 12)
}
