package plot

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

func TestContourWritesPNGAndSVG(t *testing.T) {
	if testing.Short() {
		t.Skip("draws full-resolution surfaces")
	}
	dir := t.TempDir()
	paths := []Series{
		withName(descend(bumpyGrad, -4, 4, 0.3, 0, 30), "GD"),
		withName(descend(bumpyGrad, 4, 4, 0.1, 0.9, 40), "momentum"),
		withName(descend(bumpyGrad, 1, -4.5, 3, 0, 10), "too large"),
	}
	for _, ext := range []string{".png", ".svg"} {
		for _, sp := range []LevelSpacing{SpacingAuto, SpacingLinear, SpacingLog, SpacingQuantile} {
			path := filepath.Join(dir, "bumpy-"+sp.String()+ext)
			if err := Contour(path, bumpy, [2]float64{-5, 5}, [2]float64{-5, 5}, paths, Options{Spacing: sp, Resolution: 81, DPI: 50}); err != nil {
				t.Fatal(err)
			}
			if ext == ".png" {
				checkPNG(t, path)
			} else {
				checkSVG(t, path)
			}
		}
	}
}

func TestContourEdgeCases(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		f     func(x, y float64) float64
		paths []Series
	}{
		{"constant surface", func(x, y float64) float64 { return 1 }, nil},
		{"undefined region", func(x, y float64) float64 { return math.Log(x) + y }, nil},
		{"infinite region", func(x, y float64) float64 {
			if x > 0 {
				return math.Inf(1)
			}
			return x * y
		}, nil},
		{"path with NaN and outside points", bumpy, []Series{
			{Name: "p", X: []float64{0, 1, 100, math.NaN(), 2}, Y: []float64{0, 1, 1, 1, math.Inf(1)}},
			{X: []float64{1}, Y: []float64{1}},
		}},
		{"long path without step dots", bumpy, []Series{descend(bumpyGrad, -4, 4, 0.01, 0, 500)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".png")
			if err := Contour(path, tt.f, [2]float64{-5, 5}, [2]float64{-5, 5}, tt.paths, Options{Resolution: 41, DPI: 50}); err != nil {
				t.Fatal(err)
			}
			checkPNG(t, path)
		})
	}
}

// TestContourLabels: a path leaving the frame is clipped and, if it ends
// outside, called diverged; the others keep their names.
func TestContourLabels(t *testing.T) {
	paths := []Series{
		{Name: "stays", X: []float64{0, 1}, Y: []float64{0, 1}},
		{Name: "leaves", X: []float64{0, 3, 9}, Y: []float64{0, 0, 0}},
		{Name: "visits", X: []float64{0, 9, 1}, Y: []float64{0, 0, 1}},
		{X: []float64{0, 1}, Y: []float64{0, math.NaN()}},
	}
	cp, err := newContourPicture(bumpy, [2]float64{-5, 5}, [2]float64{-5, 5}, paths, Options{Resolution: 21})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"stays", "leaves (diverged, clipped)", "visits (clipped)", "path 4 (diverged, clipped)"}
	for i, w := range want {
		if cp.labels[i] != w {
			t.Errorf("label %d = %q, want %q", i, cp.labels[i], w)
		}
	}
	if e := cp.traces[1].exit; e == nil || e.x != 5 || e.y != 0 {
		t.Errorf("exit = %v, want (5, 0)", e)
	}
}

// TestContourEqualAspect: by default one unit of x is as long as one unit of
// y on the page, whatever the ranges' shapes.
func TestContourEqualAspect(t *testing.T) {
	for _, r := range [][2][2]float64{
		{{-5, 5}, {-5, 5}},
		{{-2, 2}, {-1, 3}},
		{{0, 10}, {0, 6}},
	} {
		for _, opt := range []Options{{}, {Title: "t", XLabel: "x", YLabel: "y", ZLabel: "loss"}, {Height: 9}, {Width: 12}} {
			cp, err := newContourPicture(bumpy, r[0], r[1], nil, Options{Resolution: 11, Title: opt.Title, XLabel: opt.XLabel, ZLabel: opt.ZLabel})
			if err != nil {
				t.Fatal(err)
			}
			w, h := cp.size(opt)
			dw, dh := cp.dataSize(w, h)
			got := float64(dw/dh) / ((r[0][1] - r[0][0]) / (r[1][1] - r[1][0]))
			if math.Abs(got-1) > 0.01 {
				t.Errorf("ranges %v, opt %+v: size %.1f×%.1f cm, x/y unit ratio %.3f, want 1",
					r, opt, w/vg.Centimeter, h/vg.Centimeter, got)
			}
		}
	}
	// Both sides given: used as they are.
	cp, err := newContourPicture(bumpy, [2]float64{-5, 5}, [2]float64{-5, 5}, nil, Options{Resolution: 11})
	if err != nil {
		t.Fatal(err)
	}
	if w, h := cp.size(Options{Width: 20, Height: 5}); w != 20*vg.Centimeter || h != 5*vg.Centimeter {
		t.Errorf("size = %v×%v, want 20×5 cm", w, h)
	}
}

func TestContourErrors(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "c.png")
	r := [2]float64{-1, 1}
	tests := []struct {
		name   string
		path   string
		f      func(x, y float64) float64
		xr, yr [2]float64
		paths  []Series
		opt    Options
		want   string
	}{
		{"nil f", png, nil, r, r, nil, Options{}, "plot: contour: f is nil"},
		{"reversed xr", png, bumpy, [2]float64{1, -1}, r, nil, Options{}, "plot: contour: xr must be finite with xr[0] < xr[1], got [1, -1]"},
		{"infinite yr", png, bumpy, r, [2]float64{0, math.Inf(1)}, nil, Options{}, "plot: contour: yr must be finite with yr[0] < yr[1], got [0, +Inf]"},
		{"empty range", png, bumpy, [2]float64{2, 2}, r, nil, Options{}, "xr must be finite with xr[0] < xr[1], got [2, 2]"},
		{"nothing finite", png, func(x, y float64) float64 { return math.NaN() }, r, r, nil, Options{},
			"plot: contour: f has no finite value on the grid over [-1, 1] × [-1, 1]"},
		{"f panics", png, func(x, y float64) float64 { panic("bad surface") }, r, r, nil, Options{},
			"plot: contour: f panicked at (x, y) = ("},
		{"path without X", png, bumpy, r, r, []Series{{Name: "gd", Y: []float64{1, 2}}}, Options{},
			`plot: series "gd" needs X (got nil)`},
		{"path length mismatch", png, bumpy, r, r, []Series{{Name: "gd", X: []float64{1}, Y: []float64{1, 2}}}, Options{},
			`plot: series "gd": X has 1 values but Y has 2`},
		{"empty path", png, bumpy, r, r, []Series{{Name: "gd", X: []float64{}, Y: []float64{}}}, Options{},
			`plot: series "gd" is empty`},
		{"path with no finite point", png, bumpy, r, r, []Series{{Name: "gd", X: []float64{math.NaN()}, Y: []float64{0}}}, Options{},
			`plot: series "gd" has no finite points`},
		{"bad resolution", png, bumpy, r, r, nil, Options{Resolution: 3},
			"plot: Options.Resolution must be 0 (default 241) or in [8, 2000], got 3"},
		{"bad levels", png, bumpy, r, r, nil, Options{Levels: -1},
			"plot: Options.Levels must be in [0, 100] (0 = 12), got -1"},
		{"bad spacing", png, bumpy, r, r, nil, Options{Spacing: 9},
			"plot: Options.Spacing must be one of SpacingAuto..SpacingQuantile, got 9"},
		{"bad extension", filepath.Join(dir, "c.pdf"), bumpy, r, r, nil, Options{Resolution: 8},
			`unsupported file extension ".pdf" (allowed: .png, .svg)`},
		{"unwritable", filepath.Join(dir, "nope", "c.png"), bumpy, r, r, nil, Options{Resolution: 8},
			filepath.Join(dir, "nope", "c.png")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Contour(tt.path, tt.f, tt.xr, tt.yr, tt.paths, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestContourLegendOutside: when paths run through every corner, the
// legend goes right of the colour bar, covers no path, and the x and y
// scales stay equal.
func TestContourLegendOutside(t *testing.T) {
	corners := []Series{
		{Name: "diagonal", X: []float64{-5, 5}, Y: []float64{-5, 5}},
		{Name: "anti-diagonal", X: []float64{-5, 5}, Y: []float64{5, -5}},
	}
	cp, err := newContourPicture(bumpy, [2]float64{-5, 5}, [2]float64{-5, 5}, corners, Options{Resolution: 21, Minima: []Point{{-1.3, 0}}})
	if err != nil {
		t.Fatal(err)
	}
	w, h := cp.size(Options{})
	c := draw.Canvas{Canvas: new(recorder.Canvas), Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}
	l := cp.fig.layout(c)
	if l.at != LegendOutside {
		t.Fatalf("legend at %v, want outside", l.at)
	}
	if l.legend.Min.X < l.bar.Max.X || l.legend.Max.X > c.Max.X+0.01 {
		t.Errorf("legend %v is not between the colour bar (ends %v) and the edge %v", l.legend, l.bar.Max.X, c.Max.X)
	}
	dw, dh := l.data.Max.X-l.data.Min.X, l.data.Max.Y-l.data.Min.Y
	if r := float64(dw / dh); math.Abs(r-1) > 0.01 {
		t.Errorf("data area %.1f×%.1f pt, x/y unit ratio %.3f, want 1", dw, dh, r)
	}
	assertClear(t, cp.fig, l)
}
