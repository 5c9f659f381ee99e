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
// the iterates' coordinates; there may be no paths.
//
// f is sampled on an opt.Resolution² grid. Levels are chosen by
// opt.Spacing (log-spaced for a steep valley such as Rosenbrock's, linear
// for a bumpy surface). Non-finite values of f are left blank. A path that
// leaves xr × yr is clipped at the frame and marked "(clipped)", or
// "(diverged, clipped)" if it ends outside or non-finite, with a triangle
// where it left. Unless both opt.Width and opt.Height are set, the picture
// keeps equal x and y scales.
//
// Errors: nil f, a range that is not finite and increasing, f with no finite
// value on the grid, a panic inside f (naming the point), a path that is
// empty, lacks X, has X and Y of different lengths or no finite point, bad
// options, a bad extension, or an unwritable path.
func Contour(path string, f func(x, y float64) float64, xr, yr [2]float64, paths []Series, opt Options) (err error) {
	defer recoverTo(&err, "contour")
	cp, err := newContourPicture(f, xr, yr, paths, opt)
	if err != nil {
		return err
	}
	w, h := cp.size(opt)
	return saveDrawing(path, w, h, opt.dpi(), cp.draw)
}

// contourPicture is the main plot plus its colour bar, and what was decided.
type contourPicture struct {
	p       *plot.Plot
	bar     colorBar
	xr, yr  [2]float64
	spacing LevelSpacing // the spacing used (never SpacingAuto)
	traces  []trace
	labels  []string
}

func newContourPicture(f func(x, y float64) float64, xr, yr [2]float64, paths []Series, opt Options) (*contourPicture, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	if f == nil {
		return nil, fmt.Errorf("plot: contour: f is nil")
	}
	for _, r := range []struct {
		name string
		v    [2]float64
	}{{"xr", xr}, {"yr", yr}} {
		if !isFinite(r.v[0]) || !isFinite(r.v[1]) || !(r.v[0] < r.v[1]) {
			return nil, fmt.Errorf("plot: contour: %s must be finite with %s[0] < %s[1], got [%g, %g]", r.name, r.name, r.name, r.v[0], r.v[1])
		}
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

	cp := &contourPicture{p: newPlot(opt), xr: xr, yr: yr, spacing: spacing}
	p := cp.p
	cols := surfaceColors(len(levels) + 1)
	hm := plotter.NewHeatMap(bands{g, levels}, colorList(cols))
	hm.Max = math.Max(hm.Max, 1) // one band still gets its colour
	hm.Rasterized = true
	p.Add(unpadded{hm})
	if len(levels) > 0 {
		span := math.Max(zhi-zlo, 1)
		ct := plotter.NewContour(newTamed(g, zlo-span, zhi+span), levels, nil)
		ct.LineStyles = []draw.LineStyle{{Color: color.NRGBA{A: 0x60}, Width: vg.Points(0.5)}}
		p.Add(unpadded{ct})
		if g.hasNaN() {
			mask := plotter.NewHeatMap(nanMask{g}, colorList{color.White})
			mask.Rasterized = true
			p.Add(unpadded{mask})
		}
	}
	cp.bar = colorBar{colors: cols, levels: levels, caption: opt.ZLabel, style: p.Y.Tick.Label}

	b := box{xr[0], xr[1], yr[0], yr[1]}
	leg := &legendBox{pos: opt.Legend}
	var halos, lines, marks []plot.Plotter
	for i, s := range paths {
		t := clipTrace(s.X, s.Y, b, false)
		col := pathColor(i)
		sty := draw.LineStyle{Color: col, Width: vg.Points(1.8)}
		for _, piece := range t.pieces {
			if len(piece) < 2 {
				continue
			}
			halo, err := plotter.NewLine(xys(piece))
			if err != nil {
				return nil, fmt.Errorf("plot: contour: %s: %w", s.label(i), err)
			}
			halo.LineStyle = draw.LineStyle{Color: haloColor, Width: sty.Width + vg.Points(2)}
			ln, _ := plotter.NewLine(xys(piece))
			ln.LineStyle = sty
			halos, lines = append(halos, halo), append(lines, ln)
			leg.lines = append(leg.lines, piece)
		}
		var steps, ends []pt
		for k, y := range s.Y {
			q := pt{s.X[k], y}
			if isFinite(q.x) && isFinite(q.y) && q.x >= b.xlo && q.x <= b.xhi && q.y >= b.ylo && q.y <= b.yhi {
				steps = append(steps, q)
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
		if q := (pt{s.X[last], s.Y[last]}); !t.escaped && len(steps) > 0 && steps[len(steps)-1] == q {
			marks = append(marks, scatter([]pt{q}, endMarker(col)))
			ends = append(ends, q)
		}
		if t.exit != nil {
			marks = append(marks, scatter([]pt{*t.exit}, exitMarker(col)))
			ends = append(ends, *t.exit)
		}
		leg.dots = append(leg.dots, ends...)
		name := s.Name
		if name == "" {
			name = fmt.Sprintf("path %d", i+1)
		}
		cp.traces = append(cp.traces, t)
		cp.labels = append(cp.labels, name+t.suffix())
		leg.add(name+t.suffix(), thumbs...)
	}
	p.Add(halos...)
	p.Add(lines...)
	p.Add(marks...)
	if len(paths) > 0 {
		ink := color.Gray{Y: 0x30}
		leg.add("start", glyphThumb(startMarker(ink)))
		leg.add("end", glyphThumb(endMarker(ink)))
		p.Add(leg)
	}
	p.X.Min, p.X.Max = xr[0], xr[1]
	p.Y.Min, p.Y.Max = yr[0], yr[1]
	return cp, nil
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
// or, given only the height, the matching width (5–40 cm).
func (cp *contourPicture) size(opt Options) (w, h vg.Length) {
	if opt.Width != 0 && opt.Height != 0 {
		return opt.size(0, 0)
	}
	const trialCM = 12.0
	xspan, yspan := cp.xr[1]-cp.xr[0], cp.yr[1]-cp.yr[0]
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
	c := draw.Canvas{Canvas: new(recorder.Canvas), Rectangle: vg.Rectangle{Max: vg.Point{X: w - cp.bar.width(), Y: h}}}
	d := cp.p.DataCanvas(c)
	return d.Max.X - d.Min.X, d.Max.Y - d.Min.Y
}

// draw draws the plot and, to its right, the colour bar level with the data area.
func (cp *contourPicture) draw(c draw.Canvas) {
	c.SetColor(color.White)
	var bg vg.Path
	bg.Move(c.Min)
	bg.Line(vg.Point{X: c.Max.X, Y: c.Min.Y})
	bg.Line(c.Max)
	bg.Line(vg.Point{X: c.Min.X, Y: c.Max.Y})
	bg.Close()
	c.Fill(bg)

	main := c
	main.Max.X -= cp.bar.width()
	data := cp.p.DataCanvas(main)
	cp.p.Draw(main)
	cp.bar.draw(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: main.Max.X, Y: data.Min.Y},
		Max: vg.Point{X: c.Max.X, Y: data.Max.Y},
	}})
}
