package plot

import (
	"math"

	"gonum.org/v1/plot"
)

// safeScales gives each linear axis of p whose range is too wide to
// subtract the overflow-safe linearScale. Others keep gonum's LinearScale,
// which gonum's raster images (the contour surface) draw without warping.
// Call it once the ranges are set.
func safeScales(p *plot.Plot) {
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		if _, lin := a.Scale.(plot.LinearScale); lin && math.IsInf(a.Max-a.Min, 0) {
			a.Scale = linearScale{}
		}
	}
}

// linearScale is gonum's LinearScale, x ↦ (x − min)/(max − min), made safe
// for axes whose ends are near ±1.8e308: when max − min overflows it
// computes (x/2 − min/2)/(max/2 − min/2) instead, which is the same ratio.
type linearScale struct{}

var _ plot.Normalizer = linearScale{}

// Normalize implements plot.Normalizer.
func (linearScale) Normalize(min, max, x float64) float64 {
	if d := max - min; !math.IsInf(d, 0) && !math.IsInf(x-min, 0) {
		return (x - min) / d
	}
	return (x/2 - min/2) / (max/2 - min/2)
}
