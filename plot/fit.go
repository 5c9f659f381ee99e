package plot

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Fit draws data as dots and each fitted curve as a line, and writes it to
// path (see Save). A curve is a function of x: its points are drawn in order
// of X whatever order they come in.
//
// The picture is framed by the data: curves are clipped to the data's Y
// range widened by half of it on each side (in log₁₀ units with opt.LogY),
// so an overshooting high-degree fit cannot squash the data; opt.YMax, when
// set, is the top instead. Clipped curves say so in the legend. Data points
// that are not finite, above opt.YMax, or ≤ 0 with opt.LogY are left out.
//
// The axes span what is drawn; a flat range is padded so a constant sits
// in the middle. More than 16384 data points or curve points are thinned
// keeping each stretch's extremes (see decimate).
//
// Errors: empty data or curve, X and Y of different lengths, data or a curve
// with no drawable point, bad options, a bad extension, or an unwritable path.
func Fit(path string, data Series, curves []Series, opt Options) (err error) {
	defer recoverTo(&err, "fit")
	f, _, err := fitFigure(data, curves, opt)
	if err != nil {
		return err
	}
	w, h := opt.size(defaultWidthCM, defaultHeightCM)
	return saveDrawing(path, w, h, opt.dpi(), f.draw)
}

// dataColor is the colour of the data dots: neutral, so curves stand out.
var dataColor = color.NRGBA{R: 0x40, G: 0x40, B: 0x40, A: 0xB0}

// fitFigure builds the Fit picture and returns the curves' legend labels.
func fitFigure(data Series, curves []Series, opt Options) (*figure, []string, error) {
	if err := opt.check(); err != nil {
		return nil, nil, err
	}
	if data.Name == "" {
		data.Name = "data"
	}
	if err := data.check(0, false); err != nil {
		return nil, nil, err
	}
	for i, c := range curves {
		if err := c.check(i, false); err != nil {
			return nil, nil, err
		}
		if !c.usable(opt.LogY) {
			return nil, nil, c.noPoints(i, opt.LogY)
		}
	}

	// The data decide the frame.
	dx := data.xs()
	var dots []pt
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, y := range data.Y {
		x := dx[i]
		if !isFinite(x) || !isFinite(y) || (opt.LogY && y <= 0) || (opt.YMax != 0 && y > opt.YMax) {
			continue
		}
		dots = append(dots, pt{x, y})
		lo, hi = math.Min(lo, y), math.Max(hi, y)
	}
	if len(dots) == 0 {
		if opt.YMax != 0 && data.usable(opt.LogY) {
			return nil, nil, fmt.Errorf("plot: %s has no point at or below Options.YMax = %g", data.label(0), opt.YMax)
		}
		return nil, nil, data.noPoints(0, opt.LogY)
	}
	b := unbounded
	if opt.LogY {
		l, h := math.Log10(lo), math.Log10(hi)
		d := math.Max((h-l)/2, 0.5)
		b.ylo, b.yhi = math.Pow(10, l-d), math.Pow(10, h+d)
	} else {
		d := hi/2 - lo/2 // half the span, finite even near ±MaxFloat64
		if d == 0 {
			d = math.Max(math.Abs(hi)/2, 1)
		}
		b.ylo, b.yhi = lo-d, hi+d
	}
	if opt.YMax != 0 {
		b.yhi = opt.YMax
	}

	p := newPlot(opt)
	addGrid(p)
	f := newFigure(p, opt)
	leg := f.leg
	ext := emptyExtent()
	dots = decimate(dots)
	for _, q := range dots {
		ext.add(q.x, q.y)
	}
	leg.dots = dots
	dotStyle := draw.GlyphStyle{Color: dataColor, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
	p.Add(&plotter.Scatter{XYs: xys(dots), GlyphStyle: dotStyle})
	leg.add(data.Name, glyphThumb(dotStyle))

	labels := make([]string, len(curves))
	for i, c := range curves {
		xs, ys := sortedByX(c.xs(), c.Y)
		t := clipTrace(xs, ys, b, opt.LogY)
		sty := lineStyle(i+1, vg.Points(2))
		var polys [][]pt
		for _, piece := range t.pieces {
			if len(piece) < 2 {
				continue
			}
			piece = decimate(piece)
			for _, q := range piece {
				ext.add(q.x, q.y)
			}
			polys = append(polys, piece)
		}
		p.Add(polylines{polys, sty})
		leg.lines = append(leg.lines, polys...)
		// A fitted curve leaving the frame is not "diverged"; only say clipped.
		labels[i] = c.legendName(fmt.Sprintf("curve %d", i+1))
		if t.clipped || t.escaped {
			labels[i] += " (clipped)"
		}
		leg.add(labels[i], lineThumb(sty))
	}
	p.X.Min, p.X.Max = axisRange(ext.xlo, ext.xhi, false, opt.IntegerX, false, false)
	p.Y.Min, p.Y.Max = axisRange(ext.ylo, ext.yhi, opt.LogY, false, false, false)
	safeScales(p)
	return f, labels, nil
}

// sortedByX returns copies of xs and ys ordered by x (stable), without the
// points whose x is not finite.
func sortedByX(xs, ys []float64) ([]float64, []float64) {
	idx := make([]int, 0, len(xs))
	for i, x := range xs {
		if isFinite(x) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	sx, sy := make([]float64, len(idx)), make([]float64, len(idx))
	for i, k := range idx {
		sx[i], sy[i] = xs[k], ys[k]
	}
	return sx, sy
}
