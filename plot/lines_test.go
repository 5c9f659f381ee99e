package plot

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestLinesWritesPNGAndSVG(t *testing.T) {
	dir := t.TempDir()
	series := lrComparison()
	for _, opt := range []Options{{}, {LogY: true, Title: "t", XLabel: "step", YLabel: "loss"}, {YMax: 1}, {Width: 8, Height: 5}} {
		for _, ext := range []string{".png", ".svg"} {
			path := filepath.Join(dir, fmt.Sprintf("lines-%v%s", opt.LogY, ext))
			if err := Lines(path, series, opt); err != nil {
				t.Fatalf("%+v %s: %v", opt, ext, err)
			}
			if ext == ".png" {
				checkPNG(t, path)
			} else {
				checkSVG(t, path)
			}
		}
	}
}

// TestLinesDivergingIsClippedAndLabelled: the "too large" learning rate
// blows up; the picture stays framed on the other two and says so.
func TestLinesDivergingIsClippedAndLabelled(t *testing.T) {
	series := lrComparison()
	for _, logY := range []bool{false, true} {
		l, err := layoutLines(series, Options{LogY: logY})
		if err != nil {
			t.Fatal(err)
		}
		if want := "lr = 2.6 (too large) (diverged, clipped)"; l.labels[2] != want {
			t.Errorf("logY=%v: label = %q, want %q", logY, l.labels[2], want)
		}
		for i := 0; i < 2; i++ {
			if l.labels[i] != series[i].Name {
				t.Errorf("logY=%v: calm series %d relabelled %q", logY, i, l.labels[i])
			}
		}
		// The top is set by the calm series (both start at their largest
		// value), not by the one that reached 1e300 and NaN: 30% of their
		// span above their maximum.
		hi, lo := series[0].Y[0], math.Inf(1)
		for _, s := range series[:2] {
			for _, y := range s.Y {
				lo = math.Min(lo, y)
			}
		}
		want := hi + 0.3*(hi-lo)
		if logY {
			want = hi * math.Pow(lo/hi, -0.3)
		}
		if math.Abs(l.top-want) > 1e-9*want {
			t.Errorf("logY=%v: top = %v, want %v", logY, l.top, want)
		}
		if l.traces[2].exit == nil || l.traces[2].exit.y != l.top {
			t.Errorf("logY=%v: diverging series should leave through the top, exit = %v", logY, l.traces[2].exit)
		}
	}
}

func TestLinesExplicitYMax(t *testing.T) {
	s := []Series{
		{Name: "spike", Y: []float64{1, 5, 1}},
		{Name: "ends high", Y: []float64{1, 2, 9}},
		{Name: "calm", Y: []float64{1, 0.5, 0.2}},
	}
	l, err := layoutLines(s, Options{YMax: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"spike (clipped)", "ends high (diverged, clipped)", "calm"}
	for i := range want {
		if l.labels[i] != want[i] {
			t.Errorf("label %d = %q, want %q", i, l.labels[i], want[i])
		}
	}
}

func TestLinesLogScaleWithZeros(t *testing.T) {
	dir := t.TempDir()
	tests := map[string][]Series{
		"zeros and negatives": {{Name: "a", Y: []float64{1, 0, 0.5, -1, 0.1, 0}}},
		"single positive":     {{Name: "b", Y: []float64{0, 0, 2, 0}}},
		"constant":            {{Name: "c", Y: []float64{3, 3, 3}}},
		"one point":           {{Y: []float64{0.5}}},
		"huge range":          {{Name: "d", Y: []float64{1e-300, 1e300, math.Inf(1)}}},
	}
	// Everything above an explicit YMax: an empty but well-formed picture.
	for _, logY := range []bool{false, true} {
		f, err := linesFigure([]Series{{Name: "high", Y: []float64{1, 2, 3}}}, Options{LogY: logY, YMax: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		p := f.p
		if !(p.Y.Max == 0.1 && p.Y.Min > 0 == logY && p.Y.Min < 0.1) {
			t.Errorf("logY=%v: y range [%v, %v], want below 0.1", logY, p.Y.Min, p.Y.Max)
		}
	}
	for name, s := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".png")
			if err := Lines(path, s, Options{LogY: true, DPI: 50}); err != nil {
				t.Fatal(err)
			}
			checkPNG(t, path)
		})
	}
}

func TestLinesErrors(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "x.png")
	nan := math.NaN()
	tests := []struct {
		name   string
		path   string
		series []Series
		opt    Options
		want   string
	}{
		{"no series", png, nil, Options{}, "plot: no series to draw"},
		{"empty series", png, []Series{{Name: "loss"}}, Options{}, `plot: series "loss" is empty`},
		{"unnamed empty series", png, []Series{{Y: []float64{1}}, {}}, Options{}, `plot: series #1 (unnamed) is empty`},
		{"length mismatch", png, []Series{{Name: "adam", X: []float64{0, 1, 2}, Y: []float64{1, 2}}}, Options{},
			`plot: series "adam": X has 3 values but Y has 2`},
		{"no finite points", png, []Series{{Name: "nan", Y: []float64{nan, math.Inf(1)}}}, Options{},
			`plot: series "nan" has no finite points`},
		{"no positive points on log axis", png, []Series{{Name: "zero", Y: []float64{0, 0}}}, Options{LogY: true},
			`plot: series "zero" has no finite positive points to draw on a log-scale Y axis`},
		{"bad extension", filepath.Join(dir, "x.gif"), []Series{{Y: []float64{1}}}, Options{},
			`unsupported file extension ".gif" (allowed: .png, .svg)`},
		{"unwritable", filepath.Join(dir, "missing", "x.png"), []Series{{Y: []float64{1}}}, Options{},
			filepath.Join(dir, "missing", "x.png")},
		{"negative width", png, []Series{{Y: []float64{1}}}, Options{Width: -3},
			"plot: Options.Width must be 0 (default) or in [1, 200] cm, got -3"},
		{"NaN YMax", png, []Series{{Y: []float64{1}}}, Options{YMax: nan},
			"plot: Options.YMax must be finite (0 = automatic), got NaN"},
		{"negative YMax on log axis", png, []Series{{Y: []float64{1}}}, Options{LogY: true, YMax: -1},
			"plot: Options.YMax must be > 0 with LogY (0 = automatic), got -1"},
		{"bad legend position", png, []Series{{Y: []float64{1}}}, Options{Legend: 42},
			"plot: Options.Legend must be one of LegendAuto..LegendOutside, got 42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Lines(tt.path, tt.series, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestLinesLayoutGolden pins what Lines decides for the learning-rate
// comparison (clip height, pieces, exits, labels), linear and log.
// Run with -update to rewrite testdata/lines_layout.golden after a deliberate change.
func TestLinesLayoutGolden(t *testing.T) {
	var b strings.Builder
	for _, opt := range []Options{{}, {LogY: true}, {YMax: 0.3}} {
		l, err := layoutLines(lrComparison(), opt)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "LogY=%v YMax=%v: top=%.6g\n", opt.LogY, opt.YMax, l.top)
		for i, tr := range l.traces {
			fmt.Fprintf(&b, "  %q: %d piece(s)", l.labels[i], len(tr.pieces))
			for _, p := range tr.pieces {
				fmt.Fprintf(&b, " [%d pts (%.4g, %.4g)→(%.4g, %.4g)]", len(p), p[0].x, p[0].y, p[len(p)-1].x, p[len(p)-1].y)
			}
			if tr.exit != nil {
				fmt.Fprintf(&b, " exit=(%.4g, %.4g)", tr.exit.x, tr.exit.y)
			}
			b.WriteString("\n")
		}
	}
	golden := filepath.Join("testdata", "lines_layout.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestLinesLayoutGolden -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("layout changed:\n got:\n%s\nwant:\n%s", b.String(), want)
	}
}
