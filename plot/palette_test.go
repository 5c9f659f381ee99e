package plot

import (
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
)

// okabeIto is the palette of Okabe and Ito (2008), from their page
// https://jfly.uni-koeln.de/color/ : black, orange, sky blue, bluish green,
// yellow, blue, vermillion, reddish purple.
var okabeIto = []color.RGBA{
	{0x00, 0x00, 0x00, 0xFF}, {0xE6, 0x9F, 0x00, 0xFF}, {0x56, 0xB4, 0xE9, 0xFF}, {0x00, 0x9E, 0x73, 0xFF},
	{0xF0, 0xE4, 0x42, 0xFF}, {0x00, 0x72, 0xB2, 0xFF}, {0xD5, 0x5E, 0x00, 0xFF}, {0xCC, 0x79, 0xA7, 0xFF},
}

// machado are the full-severity simulation matrices of Machado, Oliveira
// and Fernandes (2009), "A Physiologically-based Model for Simulation of
// Color Vision Deficiency", IEEE TVCG 15(6), for linear RGB.
var machado = map[string][3][3]float64{
	"normal":       {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
	"protanopia":   {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
	"deuteranopia": {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
	"tritanopia":   {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
}

// lab converts sRGB to CIELAB (D65) after applying the simulation m.
func lab(c color.Color, m [3][3]float64) [3]float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xFFFF
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	in := [3]float64{lin(r), lin(g), lin(b)}
	var s [3]float64
	for i := range 3 {
		for j := range 3 {
			s[i] += m[i][j] * in[j]
		}
		s[i] = math.Min(math.Max(s[i], 0), 1)
	}
	x := 0.4124*s[0] + 0.3576*s[1] + 0.1805*s[2]
	y := 0.2126*s[0] + 0.7152*s[1] + 0.0722*s[2]
	z := 0.0193*s[0] + 0.1192*s[1] + 0.9505*s[2]
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x/0.95047), f(y), f(z/1.08883)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

// TestSevenSeriesColours: the first seven series of a Lines picture (seven
// optimizers) get seven different solid colours, all from the Okabe–Ito
// palette, and every pair stays apart (CIELAB ΔE ≥ 12) for normal vision
// and under simulated protanopia, deuteranopia and tritanopia.
func TestSevenSeriesColours(t *testing.T) {
	const n = 7
	var cols []color.Color
	for i := range n {
		sty := lineStyle(i, vg.Points(1))
		if sty.Dashes != nil {
			t.Errorf("series %d is dashed; the first seven are told apart by colour alone", i)
		}
		found := false
		for _, o := range okabeIto {
			if color.RGBAModel.Convert(sty.Color) == color.Color(o) {
				found = true
			}
		}
		if !found {
			t.Errorf("series %d colour %v is not an Okabe–Ito colour", i, sty.Color)
		}
		cols = append(cols, sty.Color)
	}
	for name, m := range machado {
		minDE, pair := math.Inf(1), [2]int{}
		for i := range n {
			for j := i + 1; j < n; j++ {
				a, b := lab(cols[i], m), lab(cols[j], m)
				de := math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
				if de < minDE {
					minDE, pair = de, [2]int{i, j}
				}
			}
		}
		t.Logf("%s: closest pair %v, ΔE = %.1f", name, pair, minDE)
		if minDE < 12 {
			t.Errorf("%s: series %d and %d are ΔE = %.1f apart, want ≥ 12", name, pair[0], pair[1], minDE)
		}
	}
	// The eighth series repeats the first colour, dashed.
	if s := lineStyle(n, vg.Points(1)); s.Color != lineStyle(0, vg.Points(1)).Color || s.Dashes == nil {
		t.Errorf("series 8 should reuse colour 1 with dashes, got %+v", s)
	}
}
