package plot

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
)

// within runs f in a goroutine and fails the test if it has not returned
// after d, so that a regression that loops forever fails instead of
// hanging CI. The goroutine is abandoned (the test binary exits soon after).
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not return within %v", what, d)
	}
}

// hostileRanges are axis ranges that once made the tick generators spin
// or run out of memory: spans of a few ulps, spans that overflow when
// subtracted, subnormals, and the edges of the float64 range.
var hostileRanges = [][2]float64{
	{1, math.Nextafter(math.Nextafter(1, 2), 2)},
	{1, 1.0000000000000002},
	{0.6931471805599453, 0.6931471805599455},
	{1e17, 1e17 + 32},
	{9007199254740992, 9007199254740994},
	{-1e308, 1e308},
	{-math.MaxFloat64, math.MaxFloat64},
	{math.MaxFloat64 / 2, math.MaxFloat64},
	{0, math.SmallestNonzeroFloat64},
	{5e-324, 1e-323},
	{-1e-310, 1e-310},
	{1e-300, 1e300},
	{math.SmallestNonzeroFloat64, math.MaxFloat64},
	{-1, -1 + 1e-15},
	{123456789, 123456789.00000001},
	{0.1, 0.30000000000000004},
}

// TestTickersBounded: every tick generator returns a small, finite,
// ordered set of ticks inside the range, promptly, for any range.
func TestTickersBounded(t *testing.T) {
	for _, r := range hostileRanges {
		for _, tk := range []struct {
			name string
			f    func(min, max float64) int
		}{
			{"niceTicks", func(a, b float64) int { return checkTicks(t, "niceTicks", a, b, niceTicks{}.Ticks(a, b), false) }},
			{"niceTicks integer", func(a, b float64) int {
				return checkTicks(t, "niceTicks integer", a, b, niceTicks{integer: true}.Ticks(a, b), false)
			}},
			{"logTicks", func(a, b float64) int { return checkTicks(t, "logTicks", a, b, logTicks{}.Ticks(a, b), true) }},
		} {
			within(t, 5*time.Second, fmt.Sprintf("%s(%v, %v)", tk.name, r[0], r[1]), func() { tk.f(r[0], r[1]) })
		}
	}
}

// TestPlotsBoundedForAnyInput: each drawing function renders, or returns a
// one-line "plot: " error, in bounded time for hostile input.
func TestPlotsBoundedForAnyInput(t *testing.T) {
	dir := t.TempDir()
	if *plotDir != "" {
		dir = filepath.Join(*plotDir, "bounded")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	nan, inf := math.NaN(), math.Inf(1)
	ulps := func(v float64, n int) []float64 {
		out := []float64{v}
		for range n {
			v = math.Nextafter(v, math.Inf(1))
			out = append(out, v)
		}
		return out
	}
	type tc struct {
		name string
		draw func(path string) error
	}
	var cases []tc
	lines := map[string][]Series{
		"few ulps":                 {{Name: "loss", Y: ulps(0.6931471805599453, 2)}},
		"few ulps at 1e17":         {{Name: "loss", Y: ulps(1e17, 3)}},
		"flat":                     {{Name: "loss", Y: []float64{2, 2, 2, 2}}},
		"flat zero":                {{Name: "loss", Y: []float64{0, 0, 0}}},
		"single point":             {{Name: "loss", Y: []float64{3}}},
		"near 1e308":               {{Name: "loss", Y: []float64{-1e308, 1e308, -1.7e308, 1.7e308}}},
		"max float both signs":     {{Name: "loss", Y: []float64{math.MaxFloat64, -math.MaxFloat64}}},
		"NaN and Inf mixed in":     {{Name: "loss", Y: []float64{1, nan, 2, inf, -inf, 0.5, nan}}},
		"X few ulps":               {{Name: "loss", X: ulps(1, 2), Y: []float64{1, 2, 3}}},
		"X near 1e308":             {{Name: "loss", X: []float64{-1.7e308, 0, 1.7e308}, Y: []float64{1, 2, 3}}},
		"subnormal values":         {{Name: "loss", Y: []float64{5e-324, 1e-323, 0}}},
		"two flat series":          {{Name: "a", Y: []float64{1, 1}}, {Name: "b", Y: []float64{1, 1}}},
		"diverges to 1e308":        {{Name: "a", Y: []float64{1, 0.5, 0.25}}, {Name: "b", Y: []float64{1, 1e300, 1.7e308}}},
		"alternating NaN, 2e5 pts": {{Name: "a", Y: alternatingNaN(200000)}},
	}
	for name, s := range lines {
		for _, logY := range []bool{false, true} {
			cases = append(cases, tc{fmt.Sprintf("Lines %s logY=%v", name, logY), func(p string) error {
				return Lines(p, s, Options{LogY: logY, IntegerX: true, DPI: 40})
			}})
		}
	}
	cases = append(cases,
		tc{"Fit flat", func(p string) error {
			return Fit(p, Series{Y: []float64{1, 1, 1}}, []Series{{Y: []float64{1, 1, 1}}}, Options{DPI: 40})
		}},
		tc{"Fit few ulps", func(p string) error {
			return Fit(p, Series{X: ulps(1, 2), Y: ulps(1, 2)}, nil, Options{DPI: 40})
		}},
		tc{"Fit near 1e308", func(p string) error {
			return Fit(p, Series{X: []float64{-1e308, 1e308}, Y: []float64{1.7e308, -1.7e308}}, []Series{{X: []float64{-1e308, 1e308}, Y: []float64{-1e308, 1e308}}}, Options{DPI: 40})
		}},
		tc{"Contour x range of one ulp", func(p string) error {
			return Contour(p, rosenbrock, [2]float64{1, 1.0000000000000002}, [2]float64{-1, 3}, nil, Options{Resolution: 21, DPI: 60})
		}},
		tc{"Contour ranges of few ulps", func(p string) error {
			return Contour(p, rosenbrock, [2]float64{1, 1.000000000000001}, [2]float64{1, 1.000000000000001}, nil, Options{Resolution: 21, DPI: 60})
		}},
		tc{"Contour surface of few ulps", func(p string) error {
			return Contour(p, func(x, y float64) float64 { return 1 + float64(int(x*3))*2.220446049250313e-16 }, [2]float64{0, 1}, [2]float64{0, 1}, nil, Options{Resolution: 21, DPI: 60})
		}},
		tc{"Contour range overflows", func(p string) error {
			return Contour(p, bumpy, [2]float64{-1.7e308, 1.7e308}, [2]float64{-1, 1}, nil, Options{Resolution: 21, DPI: 60})
		}},
		tc{"Contour near 1e308", func(p string) error {
			return Contour(p, func(x, y float64) float64 { return x * y }, [2]float64{1e300, 1.5e300}, [2]float64{-1, 1}, nil, Options{Resolution: 21, DPI: 60})
		}},
		tc{"Contour values near 1e308", func(p string) error {
			return Contour(p, func(x, y float64) float64 { return x * 1.7e308 }, [2]float64{-1, 1}, [2]float64{-1, 1}, nil, Options{Resolution: 21, DPI: 60})
		}},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.NewReplacer(" ", "_", "=", "", ",", "").Replace(c.name)+".png")
			var err error
			within(t, 20*time.Second, c.name, func() { err = c.draw(path) })
			if err != nil {
				if msg := err.Error(); !strings.HasPrefix(msg, "plot: ") || strings.Contains(msg, "\n") || strings.Contains(msg, "internal error") {
					t.Fatalf("want a picture or a one-line plot: error, got %q", msg)
				}
				t.Logf("refused: %v", err)
				return
			}
			checkPNG(t, path)
		})
	}
}

// alternatingNaN is 1, NaN, 2, NaN, …: n values, every other one missing.
func alternatingNaN(n int) []float64 {
	y := make([]float64, n)
	for i := range y {
		y[i] = float64(i/2 + 1)
		if i%2 == 1 {
			y[i] = math.NaN()
		}
	}
	return y
}

// checkTicks checks the contract of a tick generator on [min, max] and
// returns the number of ticks: at most maxTicks ticks, finite values inside
// [min, max] (positive on a log axis), labelled ticks strictly increasing
// with distinct non-empty labels, and at least one label when the range is
// finite and increasing (positive for log).
func checkTicks(t *testing.T, name string, min, max float64, ticks []plot.Tick, log bool) int {
	t.Helper()
	if len(ticks) > maxTicks {
		t.Errorf("%s(%v, %v): %d ticks, want at most %d", name, min, max, len(ticks), maxTicks)
	}
	seen := map[string]bool{}
	prev := math.Inf(-1)
	labelled := 0
	for _, tk := range ticks {
		if !isFinite(tk.Value) || tk.Value < min || tk.Value > max || (log && tk.Value <= 0) {
			t.Errorf("%s(%v, %v): tick %v outside the range", name, min, max, tk.Value)
		}
		if tk.Label == "" {
			continue
		}
		labelled++
		if !(tk.Value > prev) {
			t.Errorf("%s(%v, %v): labelled ticks not increasing at %v", name, min, max, tk.Value)
		}
		prev = tk.Value
		if seen[tk.Label] {
			t.Errorf("%s(%v, %v): label %q repeated", name, min, max, tk.Label)
		}
		seen[tk.Label] = true
	}
	valid := isFinite(min) && isFinite(max) && max > min && (!log || min > 0)
	if valid && labelled == 0 && !strings.Contains(name, "integer") {
		t.Errorf("%s(%v, %v): no labelled tick", name, min, max)
	}
	return len(ticks)
}
