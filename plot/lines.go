package plot

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Lines draws each series as a line, the picture for loss curves and for
// comparing learning rates or optimizers, and writes it to path (see Save).
//
// When opt.YMax is 0 the top of the picture is automatic: a series that
// explodes (a NaN or +Inf, or a value above 1000 × the largest starting
// value) is clipped 30% above the highest of the other series, so they stay
// readable; where it leaves the picture a triangle marks it, and the legend
// calls it "(diverged, clipped)". NaN and +Inf count as "above the top".
// With opt.LogY, values ≤ 0 are left out of their curve.
//
// The Y axis leaves 5% of the data's span free below the curves (and above
// them, unless the top is clipped), so no curve runs along the frame; a
// flat curve, one that learned nothing, is drawn across the middle. A
// series longer than 16384 points is decimated keeping each stretch's
// extremes (see decimate), so spikes stay visible. opt.Marks draws
// labelled vertical lines, e.g. at the early-stopping epoch.
//
// Errors: no series, an empty series, X and Y of different lengths, a series
// with no finite point (no positive one with LogY), bad options, a bad
// extension, or an unwritable path.
func Lines(path string, series []Series, opt Options) (err error) {
	defer recoverTo(&err, "lines")
	f, err := linesFigure(series, opt)
	if err != nil {
		return err
	}
	w, h := opt.size(defaultWidthCM, defaultHeightCM)
	return saveDrawing(path, w, h, opt.dpi(), f.draw)
}

// lineLayout is what Lines decided before drawing: the clip height, and per
// series its trace and legend label.
type lineLayout struct {
	top    float64 // +Inf when nothing is clipped from above
	traces []trace
	labels []string
}

// layoutLines validates series and opt and clips every series.
func layoutLines(series []Series, opt Options) (lineLayout, error) {
	if err := opt.check(); err != nil {
		return lineLayout{}, err
	}
	if len(series) == 0 {
		return lineLayout{}, fmt.Errorf("plot: no series to draw (got an empty slice)")
	}
	ys := make([][]float64, len(series))
	for i, s := range series {
		if err := s.check(i, false); err != nil {
			return lineLayout{}, err
		}
		if !s.usable(opt.LogY) {
			return lineLayout{}, s.noPoints(i, opt.LogY)
		}
		ys[i] = s.Y
	}
	l := lineLayout{top: opt.YMax}
	if l.top == 0 {
		l.top = autoTop(ys, opt.LogY)
	}
	b := unbounded
	b.yhi = l.top
	for i, s := range series {
		t := clipTrace(s.X, s.Y, b, opt.LogY)
		for k, piece := range t.pieces {
			t.pieces[k] = decimate(piece)
		}
		l.traces = append(l.traces, t)
		l.labels = append(l.labels, s.legendName(fmt.Sprintf("series %d", i+1))+t.suffix())
	}
	return l, nil
}

// linesFigure builds the Lines picture. Its legend is nil when there is
// nothing to name (one unnamed series).
func linesFigure(series []Series, opt Options) (*figure, error) {
	l, err := layoutLines(series, opt)
	if err != nil {
		return nil, err
	}
	p := newPlot(opt)
	addGrid(p)
	f := newFigure(p, opt)
	leg := f.leg
	showLegend := len(series) > 1
	ext := emptyExtent()
	for i, t := range l.traces {
		sty := lineStyle(i, vg.Points(1.6))
		if series[i].Name != "" || series[i].LR > 0 || t.suffix() != "" {
			showLegend = true
		}
		var polys [][]pt
		var lone []pt
		for _, piece := range t.pieces {
			for _, q := range piece {
				ext.add(q.x, q.y)
			}
			if len(piece) == 1 {
				lone = append(lone, piece[0])
			} else {
				polys = append(polys, piece)
			}
		}
		if len(polys) > 0 {
			p.Add(polylines{polys, sty})
			leg.lines = append(leg.lines, polys...)
		}
		if len(lone) > 0 {
			lone = decimate(lone)
			g := stepMarker(sty.Color)
			g.Radius = sty.Width * 1.2
			p.Add(&plotter.Scatter{XYs: xys(lone), GlyphStyle: g})
			leg.dots = append(leg.dots, lone...)
		}
		thumbs := []plot.Thumbnailer{lineThumb(sty)}
		if t.exit != nil {
			ext.add(t.exit.x, t.exit.y)
			p.Add(&plotter.Scatter{XYs: xys([]pt{*t.exit}), GlyphStyle: exitMarker(sty.Color)})
			leg.dots = append(leg.dots, *t.exit)
			thumbs = append(thumbs, glyphThumb(exitMarker(sty.Color)))
		}
		leg.add(l.labels[i], thumbs...)
	}
	if !ext.hasX() { // nothing drawn: every value is above YMax
		for _, s := range series {
			for _, x := range s.xs() {
				ext.add(x, math.NaN())
			}
		}
	}
	for _, m := range opt.Marks {
		ext.add(m.X, math.NaN())
	}
	p.X.Min, p.X.Max = axisRange(ext.xlo, ext.xhi, false, opt.IntegerX, false, false)
	switch {
	case !ext.hasY():
		// Everything is above YMax: show the empty band below it, not a broken axis.
		p.Y.Min, p.Y.Max = l.top-math.Max(math.Abs(l.top), 1), l.top
		if opt.LogY {
			p.Y.Min = l.top / 10
		}
	case math.IsInf(l.top, 1):
		p.Y.Min, p.Y.Max = axisRange(ext.ylo, ext.yhi, opt.LogY, false, true, true)
	default:
		// The top is the clip line: curves leave through it, so it is not padded.
		p.Y.Min, p.Y.Max = axisRange(ext.ylo, math.Max(ext.yhi, l.top), opt.LogY, false, true, false)
	}
	if !(p.Y.Min < p.Y.Max) || !isFinite(p.Y.Min) || !isFinite(p.Y.Max) || (opt.LogY && !(p.Y.Min > 0)) {
		p.Y.Min, p.Y.Max = 0, 1 // unreachable by construction; a drawable frame whatever happens
		if opt.LogY {
			p.Y.Min, p.Y.Max = 1, 10
		}
	}
	safeScales(p)
	if len(opt.Marks) > 0 {
		ml := &markLines{marks: opt.Marks, style: p.Legend.TextStyle}
		ml.style.Font = fontSize(sans, tickSize)
		p.Add(ml)
		leg.marks = ml
	}
	if !showLegend {
		f.leg = nil
	}
	return f, nil
}

// xys converts points to gonum's plotter.XYs.
func xys(ps []pt) plotter.XYs {
	out := make(plotter.XYs, len(ps))
	for i, q := range ps {
		out[i].X, out[i].Y = q.x, q.y
	}
	return out
}
