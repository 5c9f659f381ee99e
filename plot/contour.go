package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// Contour draws the surface f over xr × yr as filled contour bands with
// contour lines, a colour bar keyed by level, and each descent path on top
// (a line through its iterates, an open circle at the start and a filled
// square at the end), and writes it to path (see Save). paths[i].X and Y are
// the iterates' coordinates; there may be no paths. opt.Minima are drawn
// as stars, with a legend entry "minimum".
//
// f is sampled on an opt.Resolution² grid. Levels are chosen by
// opt.Spacing (log-spaced for a steep valley such as Rosenbrock's, linear
// for a bumpy surface). Non-finite values of f are left blank. A path that
// leaves xr × yr is clipped at the frame and marked "(clipped)", or
// "(diverged, clipped)" if it ends outside or non-finite, with a triangle
// where it left; a path longer than 16384 iterates is decimated keeping
// each stretch's extremes. Unless both opt.Width and opt.Height are set,
// the picture keeps equal x and y scales.
//
// Errors: nil f, a range that is not finite and increasing, a range too
// narrow to sample (its width at most 10⁻⁹ of its magnitude, or below
// 10⁻²⁸⁰) or so wide that its width overflows, f with no finite value on
// the grid, a panic inside f (naming the point), a path that is empty,
// lacks X, has X and Y of different lengths or no finite point, bad
// options, a bad extension, or an unwritable path.
func Contour(path string, f func(x, y float64) float64, xr, yr [2]float64, paths []Series, opt Options) (err error) {
	defer recoverTo(&err, "contour")
	cp, err := newContourPicture(f, xr, yr, paths, opt)
	if err != nil {
		return err
	}
	w, h := cp.size(opt)
	return saveDrawing(path, w, h, opt.dpi(), cp.fig.draw)
}

// contourPicture is the figure (plot, colour bar, legend) and what was decided.
type contourPicture struct {
	fig     *figure
	p       *plot.Plot
	bar     colorBar
	xr, yr  [2]float64
	spacing LevelSpacing // the spacing used (never SpacingAuto)
	traces  []trace
	labels  []string
	minima  []pt // the minima drawn
}

// checkRange validates a Contour range.
func checkRange(name string, r [2]float64) error {
	if !isFinite(r[0]) || !isFinite(r[1]) || !(r[0] < r[1]) {
		return fmt.Errorf("plot: contour: %s must be finite with %s[0] < %s[1], got [%g, %g]", name, name, name, r[0], r[1])
	}
	if math.IsInf(r[1]-r[0], 0) {
		return fmt.Errorf("plot: contour: %s = [%g, %g] is too wide: its width overflows float64", name, r[0], r[1])
	}
	if w, mag := r[1]-r[0], math.Max(math.Abs(r[0]), math.Abs(r[1])); w <= flatRel*mag || w < tinyAbs {
		return fmt.Errorf("plot: contour: %s = [%.17g, %.17g] is too narrow to draw: its width must exceed 1e-9 of its magnitude and 1e-280", name, r[0], r[1])
	}
	return nil
}

func newContourPicture(f func(x, y float64) float64, xr, yr [2]float64, paths []Series, opt Options) (*contourPicture, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	if f == nil {
		return nil, fmt.Errorf("plot: contour: f is nil")
	}
	if err := checkRange("xr", xr); err != nil {
		return nil, err
	}
	if err := checkRange("yr", yr); err != nil {
		return nil, err
	}
	for i, s := range paths {
		if err := s.check(i, true); err != nil {
			return nil, err
		}
		if !s.usable(false) {
			return nil, s.noPoints(i, false)
		}
	}

	// Sample at cell centres, so the filled cells cover exactly xr × yr.
	n := opt.grid()
	hx, hy := (xr[1]-xr[0])/float64(2*n), (yr[1]-yr[0])/float64(2*n)
	g, err := sample(f, [2]float64{xr[0] + hx, xr[1] - hx}, [2]float64{yr[0] + hy, yr[1] - hy}, n)
	if err != nil {
		return nil, err
	}
	zlo, zhi, ok := g.finiteRange()
	if !ok {
		return nil, fmt.Errorf("plot: contour: f has no finite value on the grid over [%g, %g] × [%g, %g]", xr[0], xr[1], yr[0], yr[1])
	}
	levels, spacing := chooseLevels(g.z, opt.levels(), opt.Spacing)

	p := newPlot(opt)
	cp := &contourPicture{fig: newFigure(p, opt), p: p, xr: xr, yr: yr, spacing: spacing}
	cols := surfaceColors(len(levels) + 1)
	hm := plotter.NewHeatMap(bands{g, levels}, colorList(cols))
	hm.Max = math.Max(hm.Max, 1) // one band still gets its colour
	hm.Rasterized = true
	p.Add(unpadded{hm})
	if len(levels) > 0 {
		span := math.Max(zhi/2-zlo/2, 1)
		ct := plotter.NewContour(newTamed(g, clampFloat(zlo-span), clampFloat(zhi+span)), levels, nil)
		ct.LineStyles = []draw.LineStyle{{Color: color.NRGBA{A: 0x60}, Width: vg.Points(0.5)}}
		p.Add(unpadded{ct})
		if g.hasNaN() {
			mask := plotter.NewHeatMap(nanMask{g}, colorList{color.White})
			mask.Rasterized = true
			p.Add(unpadded{mask})
		}
	}
	cp.bar = colorBar{colors: cols, levels: levels, caption: opt.ZLabel, style: p.Y.Tick.Label}
	cp.fig.bar = &cp.bar

	b := box{xr[0], xr[1], yr[0], yr[1]}
	leg := cp.fig.leg
	var halos, lines, marks []plot.Plotter
	for i, s := range paths {
		t := clipTrace(s.X, s.Y, b, false)
		col := pathColor(i)
		sty := draw.LineStyle{Color: col, Width: vg.Points(1.8)}
		var polys [][]pt
		for _, piece := range t.pieces {
			if len(piece) >= 2 {
				polys = append(polys, decimate(piece))
			}
		}
		halos = append(halos, polylines{polys, draw.LineStyle{Color: haloColor, Width: sty.Width + vg.Points(2)}})
		lines = append(lines, polylines{polys, sty})
		leg.lines = append(leg.lines, polys...)
		var steps, ends []pt
		for k, y := range s.Y {
			q := pt{s.X[k], y}
			if isFinite(q.x) && isFinite(q.y) && q.x >= b.xlo && q.x <= b.xhi && q.y >= b.ylo && q.y <= b.yhi {
				steps = append(steps, q)
				if len(steps) > maxStepMarks && k < len(s.Y)-1 {
					break // only the count matters from here; the last is checked below
				}
			}
		}
		thumbs := []plot.Thumbnailer{lineThumb(sty)}
		if len(steps) <= maxStepMarks {
			marks = append(marks, scatter(steps, stepMarker(col)))
			leg.dots = append(leg.dots, steps...)
			thumbs = append(thumbs, glyphThumb(stepMarker(col)))
		}
		if q := (pt{s.X[0], s.Y[0]}); len(steps) > 0 && steps[0] == q {
			marks = append(marks, scatter([]pt{q}, startMarker(col)))
			ends = append(ends, q)
		}
		last := len(s.Y) - 1
		if q := (pt{s.X[last], s.Y[last]}); !t.escaped && inBox(q, b) {
			marks = append(marks, scatter([]pt{q}, endMarker(col)))
			ends = append(ends, q)
		}
		if t.exit != nil {
			marks = append(marks, scatter([]pt{*t.exit}, exitMarker(col)))
			ends = append(ends, *t.exit)
		}
		leg.dots = append(leg.dots, ends...)
		name := s.legendName(fmt.Sprintf("path %d", i+1)) + t.suffix()
		cp.traces = append(cp.traces, t)
		cp.labels = append(cp.labels, name)
		leg.add(name, thumbs...)
	}
	for _, m := range opt.Minima {
		if q := (pt{m.X, m.Y}); inBox(q, b) {
			cp.minima = append(cp.minima, q)
		}
	}
	p.Add(halos...)
	p.Add(lines...)
	p.Add(marks...)
	if len(cp.minima) > 0 {
		p.Add(scatter(cp.minima, minimumMarker()))
		leg.dots = append(leg.dots, cp.minima...)
	}
	if len(paths) > 0 {
		ink := color.Gray{Y: 0x30}
		leg.add("start", glyphThumb(startMarker(ink)))
		leg.add("end", glyphThumb(endMarker(ink)))
	}
	if len(cp.minima) > 0 {
		name := "minimum"
		if len(cp.minima) > 1 {
			name = "minima"
		}
		leg.add(name, glyphThumb(minimumMarker()))
	}
	p.X.Min, p.X.Max = xr[0], xr[1]
	p.Y.Min, p.Y.Max = yr[0], yr[1]
	return cp, nil
}

// inBox reports whether q is finite and inside b (edges included).
func inBox(q pt, b box) bool {
	return isFinite(q.x) && isFinite(q.y) && q.x >= b.xlo && q.x <= b.xhi && q.y >= b.ylo && q.y <= b.yhi
}

// maxStepMarks is the most iterates a path may have and still get a dot per
// iterate; longer paths are drawn as lines only.
const maxStepMarks = 150

// pathColors are the series colours reordered so the first paths contrast
// with the blue–tan surface.
var pathColors = []color.Color{seriesColors[1], seriesColors[6], seriesColors[3], seriesColors[2], seriesColors[0], seriesColors[4], seriesColors[5]}

func pathColor(i int) color.Color { return pathColors[i%len(pathColors)] }

// scatter draws finite points with the given glyph. Unlike a bare
// plotter.Scatter it reports no glyph boxes, so markers on the frame do not
// pad the data area away from the axes (the filled surface must touch them).
func scatter(ps []pt, g draw.GlyphStyle) plot.Plotter {
	return unpadded{&plotter.Scatter{XYs: xys(ps), GlyphStyle: g}}
}

// unpadded hides everything of a plotter but its Plot method.
type unpadded struct{ p plot.Plotter }

// Plot implements plot.Plotter.
func (u unpadded) Plot(c draw.Canvas, plt *plot.Plot) { u.p.Plot(c, plt) }

// size returns the picture size: opt's, or 16 cm wide with the height that
// makes one unit of x as long as one unit of y on the page (5–30 cm);
// or, given only the height, the matching width (5–40 cm). When the
// legend covers a path or marker in every corner at that size, it goes
// outside and the size is worked out again for the narrower data area.
func (cp *contourPicture) size(opt Options) (w, h vg.Length) {
	if opt.Width != 0 && opt.Height != 0 {
		return opt.size(0, 0)
	}
	cp.fig.legendMode = cornerOnly
	w, h = cp.aspectSize(opt)
	if cp.fig.leg.shown() && cp.fig.leg.pos == LegendAuto {
		c := draw.Canvas{Canvas: new(recorder.Canvas), Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}
		cp.fig.legendMode = autoPlace
		if cp.fig.layout(c).at == LegendOutside {
			cp.fig.legendMode = outsideOnly
			w, h = cp.aspectSize(opt)
		}
	}
	return w, h
}

// aspectSize is size for the figure's current legend placement.
func (cp *contourPicture) aspectSize(opt Options) (w, h vg.Length) {
	const trialCM = 12.0
	xspan, yspan := cp.xr[1]/2-cp.xr[0]/2, cp.yr[1]/2-cp.yr[0]/2
	cm := vg.Centimeter
	if opt.Height == 0 {
		w, _ = opt.size(defaultWidthCM, 0)
		dw, dh := cp.dataSize(w, trialCM*cm)
		h = trialCM*cm - dh + vg.Length(float64(dw)*yspan/xspan)
		return w, min(max(h, 5*cm), 30*cm)
	}
	_, h = opt.size(0, 0)
	dw, dh := cp.dataSize(defaultWidthCM*cm, h)
	w = defaultWidthCM*cm - dw + vg.Length(float64(dh)*xspan/yspan)
	return min(max(w, 5*cm), 40*cm), h
}

// dataSize is the size of the data area in a w × h picture.
func (cp *contourPicture) dataSize(w, h vg.Length) (dw, dh vg.Length) {
	c := draw.Canvas{Canvas: new(recorder.Canvas), Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}
	d := cp.fig.layout(c).data
	return d.Max.X - d.Min.X, d.Max.Y - d.Min.Y
}
