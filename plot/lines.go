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
// Errors: no series, an empty series, X and Y of different lengths, a series
// with no finite point (no positive one with LogY), bad options, a bad
// extension, or an unwritable path.
func Lines(path string, series []Series, opt Options) (err error) {
	defer recoverTo(&err, "lines")
	p, _, err := linesPlot(series, opt)
	if err != nil {
		return err
	}
	w, h := opt.size(defaultWidthCM, defaultHeightCM)
	return saveDrawing(path, w, h, opt.dpi(), p.Draw)
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
		t := clipTrace(s.xs(), s.Y, b, opt.LogY)
		name := s.Name
		if name == "" {
			name = fmt.Sprintf("series %d", i+1)
		}
		l.traces = append(l.traces, t)
		l.labels = append(l.labels, name+t.suffix())
	}
	return l, nil
}

// linesPlot builds the Lines picture; the legend is returned for tests
// (it is nil when no legend is drawn).
func linesPlot(series []Series, opt Options) (*plot.Plot, *legendBox, error) {
	l, err := layoutLines(series, opt)
	if err != nil {
		return nil, nil, err
	}
	p := newPlot(opt)
	addGrid(p)
	leg := &legendBox{pos: opt.Legend}
	showLegend := len(series) > 1
	for i, t := range l.traces {
		sty := lineStyle(i, vg.Points(1.6))
		if series[i].Name != "" || t.suffix() != "" {
			showLegend = true
		}
		for _, piece := range t.pieces {
			if len(piece) == 1 {
				sc, err := plotter.NewScatter(xys(piece))
				if err != nil {
					return nil, nil, fmt.Errorf("plot: %s: %w", series[i].label(i), err)
				}
				sc.GlyphStyle = stepMarker(sty.Color)
				sc.GlyphStyle.Radius = sty.Width * 1.2
				p.Add(sc)
				leg.dots = append(leg.dots, piece[0])
				continue
			}
			ln, err := plotter.NewLine(xys(piece))
			if err != nil {
				return nil, nil, fmt.Errorf("plot: %s: %w", series[i].label(i), err)
			}
			ln.LineStyle = sty
			p.Add(ln)
			leg.lines = append(leg.lines, piece)
		}
		thumbs := []plot.Thumbnailer{lineThumb(sty)}
		if t.exit != nil {
			sc, err := plotter.NewScatter(xys([]pt{*t.exit}))
			if err != nil {
				return nil, nil, fmt.Errorf("plot: %s: %w", series[i].label(i), err)
			}
			sc.GlyphStyle = exitMarker(sty.Color)
			p.Add(sc)
			leg.dots = append(leg.dots, *t.exit)
			thumbs = append(thumbs, glyphThumb(exitMarker(sty.Color)))
		}
		leg.add(l.labels[i], thumbs...)
	}
	if math.IsInf(p.Y.Min, 1) && !math.IsInf(l.top, 1) {
		// Everything is above YMax: show the empty band below it, not a broken axis.
		p.Y.Min, p.Y.Max = l.top-math.Max(math.Abs(l.top), 1), l.top
		if opt.LogY {
			p.Y.Min = l.top / 10
		}
	}
	fixLogRange(p, opt.LogY)
	if !showLegend {
		return p, nil, nil
	}
	p.Add(leg)
	return p, leg, nil
}

// fixLogRange keeps a log axis drawable when every value is the same.
func fixLogRange(p *plot.Plot, logY bool) {
	if logY && p.Y.Min == p.Y.Max && p.Y.Min > 0 {
		p.Y.Min /= 2
		p.Y.Max *= 2
	}
}

// xys converts points to gonum's plotter.XYs.
func xys(ps []pt) plotter.XYs {
	out := make(plotter.XYs, len(ps))
	for i, q := range ps {
		out[i].X, out[i].Y = q.x, q.y
	}
	return out
}
