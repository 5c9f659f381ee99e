package plot

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
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
// Errors: empty data or curve, X and Y of different lengths, data or a curve
// with no drawable point, bad options, a bad extension, or an unwritable path.
func Fit(path string, data Series, curves []Series, opt Options) (err error) {
	defer recoverTo(&err, "fit")
	p, _, err := fitPlot(data, curves, opt)
	if err != nil {
		return err
	}
	w, h := opt.size(defaultWidthCM, defaultHeightCM)
	return saveDrawing(path, w, h, opt.dpi(), p.Draw)
}

// dataColor is the colour of the data dots: neutral, so curves stand out.
var dataColor = color.NRGBA{R: 0x40, G: 0x40, B: 0x40, A: 0xB0}

// fitPlot builds the Fit picture and returns the curves' legend labels.
func fitPlot(data Series, curves []Series, opt Options) (*plot.Plot, []string, error) {
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
		d := (hi - lo) / 2
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
	leg := &legendBox{pos: opt.Legend, dots: dots}
	sc, err := plotter.NewScatter(xys(dots))
	if err != nil {
		return nil, nil, fmt.Errorf("plot: %s: %w", data.label(0), err)
	}
	dotStyle := draw.GlyphStyle{Color: dataColor, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
	sc.GlyphStyle = dotStyle
	p.Add(sc)
	leg.add(data.Name, glyphThumb(dotStyle))

	labels := make([]string, len(curves))
	for i, c := range curves {
		xs, ys := sortedByX(c.xs(), c.Y)
		t := clipTrace(xs, ys, b, opt.LogY)
		sty := lineStyle(i+1, vg.Points(2))
		for _, piece := range t.pieces {
			if len(piece) < 2 {
				continue
			}
			ln, err := plotter.NewLine(xys(piece))
			if err != nil {
				return nil, nil, fmt.Errorf("plot: %s: %w", c.label(i), err)
			}
			ln.LineStyle = sty
			p.Add(ln)
			leg.lines = append(leg.lines, piece)
		}
		name := c.Name
		if name == "" {
			name = fmt.Sprintf("curve %d", i+1)
		}
		// A fitted curve leaving the frame is not "diverged"; only say clipped.
		labels[i] = name
		if t.clipped || t.escaped {
			labels[i] += " (clipped)"
		}
		leg.add(labels[i], lineThumb(sty))
	}
	fixLogRange(p, opt.LogY)
	p.Add(leg)
	return p, labels, nil
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
