package plot

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

func TestFitWritesPNGAndSVG(t *testing.T) {
	dir := t.TempDir()
	data, curves := noisyParabola()
	for _, opt := range []Options{{}, {LogY: true}, {YMax: 6}} {
		for _, ext := range []string{".png", ".svg"} {
			path := filepath.Join(dir, "fit"+ext)
			if err := Fit(path, data, curves, opt); err != nil {
				t.Fatalf("%+v: %v", opt, err)
			}
			if ext == ".png" {
				checkPNG(t, path)
			} else {
				checkSVG(t, path)
			}
		}
	}
}

func TestFitFraming(t *testing.T) {
	data := Series{X: []float64{0, 1, 2, 3}, Y: []float64{0, 1, 4, 9}}
	curves := []Series{
		{Name: "good", X: []float64{3, 0, 2, 1}, Y: []float64{9, 0, 4, 1}}, // unsorted on purpose
		{Name: "overshoots", X: []float64{0, 1.5, 3}, Y: []float64{0, 1e6, 9}},
		{X: []float64{0, 3}, Y: []float64{1, 2}},
	}
	f, labels, err := fitFigure(data, curves, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := f.p
	want := []string{"good", "overshoots (clipped)", "curve 3"}
	for i := range want {
		if labels[i] != want[i] {
			t.Errorf("label %d = %q, want %q", i, labels[i], want[i])
		}
	}
	// Data span [0, 9] widened by half on each side: the 1e6 overshoot is
	// cut at 13.5, and nothing goes below the data's 0.
	if p.Y.Max != 13.5 || p.Y.Min != 0 {
		t.Errorf("y range = [%v, %v], want [0, 13.5]", p.Y.Min, p.Y.Max)
	}
	xs, ys := sortedByX(curves[0].X, curves[0].Y)
	for i := range xs {
		if xs[i] != float64(i) || ys[i] != float64(i*i) {
			t.Fatalf("sortedByX = %v, %v", xs, ys)
		}
	}
}

func TestFitErrors(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "f.png")
	ok := Series{Y: []float64{1, 2, 3}}
	tests := []struct {
		name   string
		path   string
		data   Series
		curves []Series
		opt    Options
		want   string
	}{
		{"empty data", png, Series{}, nil, Options{}, `plot: series "data" is empty`},
		{"data mismatch", png, Series{Name: "pts", X: []float64{1}, Y: []float64{1, 2}}, nil, Options{},
			`plot: series "pts": X has 1 values but Y has 2`},
		{"data not finite", png, Series{Y: []float64{math.NaN()}}, nil, Options{}, `plot: series "data" has no finite points`},
		{"data not positive on log axis", png, Series{Y: []float64{0, -1}}, nil, Options{LogY: true},
			`plot: series "data" has no finite positive points`},
		{"data all above YMax", png, ok, nil, Options{YMax: 0.5}, `plot: series "data" has no point at or below Options.YMax = 0.5`},
		{"empty curve", png, ok, []Series{{Name: "fit"}}, Options{}, `plot: series "fit" is empty`},
		{"curve mismatch", png, ok, []Series{{Name: "fit", X: []float64{1, 2}, Y: []float64{1}}}, Options{},
			`plot: series "fit": X has 2 values but Y has 1`},
		{"curve not finite", png, ok, []Series{{Name: "fit", Y: []float64{math.Inf(1)}}}, Options{},
			`plot: series "fit" has no finite points`},
		{"bad extension", filepath.Join(dir, "f.txt"), ok, nil, Options{}, `unsupported file extension ".txt"`},
		{"unwritable", filepath.Join(dir, "gone", "f.svg"), ok, nil, Options{}, filepath.Join(dir, "gone", "f.svg")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Fit(tt.path, tt.data, tt.curves, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
