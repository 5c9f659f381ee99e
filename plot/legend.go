package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LegendPosition says where the legend goes. The zero value is LegendAuto.
type LegendPosition int

// Legend positions. The corner positions are inside the data area.
const (
	LegendAuto        LegendPosition = iota // a corner that covers no data, else LegendOutside
	LegendTopRight                          // top right corner
	LegendTopLeft                           // top left corner
	LegendBottomRight                       // bottom right corner
	LegendBottomLeft                        // bottom left corner
	LegendNone                              // no legend
	LegendOutside                           // to the right of the plot, outside the data area
)

// String returns the position's name, e.g. "top right".
func (p LegendPosition) String() string {
	switch p {
	case LegendAuto:
		return "auto"
	case LegendTopRight:
		return "top right"
	case LegendTopLeft:
		return "top left"
	case LegendBottomRight:
		return "bottom right"
	case LegendBottomLeft:
		return "bottom left"
	case LegendNone:
		return "none"
	case LegendOutside:
		return "outside"
	}
	return fmt.Sprintf("LegendPosition(%d)", int(p))
}

// corners lists the automatic candidates in order of preference: a falling
// loss curve leaves the top right empty.
var corners = []LegendPosition{LegendTopRight, LegendTopLeft, LegendBottomRight, LegendBottomLeft}

// legendEntry is one legend row: a name and the thumbnails drawn beside it.
type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

// legendBox is the legend: its entries, and what it must not cover (the
// drawn lines, points and marks). The figure places it (see place) and
// draws it on a translucent white box, on top of everything else.
type legendBox struct {
	pos     LegendPosition
	entries []legendEntry
	lines   [][]pt     // drawn polylines to keep clear of, in data coordinates
	dots    []pt       // drawn points to keep clear of
	marks   *markLines // drawn marks to keep clear of; nil if none
	style   text.Style

	chosen LegendPosition // where the last layout put it
}

const (
	legendPad    = vg.Length(4) // inside the box
	legendMargin = vg.Length(5) // between the box and the data area's edge
	legendThumb  = vg.Length(22)
)

var (
	legendFill   = color.NRGBA{R: 255, G: 255, B: 255, A: 225}
	legendBorder = color.Gray{Y: 0xA0}
)

func (l *legendBox) add(name string, thumbs ...plot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{name, thumbs})
}

// shown reports whether the legend is drawn at all.
func (l *legendBox) shown() bool {
	return l != nil && l.pos != LegendNone && len(l.entries) > 0
}

// legend builds gonum's legend of the entries.
func (l *legendBox) legend() plot.Legend {
	lg := plot.NewLegend()
	lg.TextStyle = l.style
	lg.ThumbnailWidth = legendThumb
	lg.Padding = vg.Points(2)
	lg.Top, lg.Left = true, true
	for _, e := range l.entries {
		lg.Add(e.name, e.thumbs...)
	}
	return lg
}

// size is the size of the legend box, padding included.
func (l *legendBox) size() vg.Point {
	lg := l.legend()
	// Rectangle only measures; any canvas larger than the legend will do.
	size := lg.Rectangle(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: 1e4, Y: 1e4}}}).Size()
	size.Y += lg.TextStyle.FontExtents().Descent
	size.X += 2 * legendPad
	size.Y += 2 * legendPad
	return size
}

// drawAt draws the legend in the box r.
func (l *legendBox) drawAt(c vg.Canvas, r vg.Rectangle) {
	dc := draw.Canvas{Canvas: c, Rectangle: r}
	path := r.Path()
	dc.SetColor(legendFill)
	dc.Fill(path)
	dc.SetLineStyle(draw.LineStyle{Color: legendBorder, Width: vg.Points(0.5)})
	dc.Stroke(path)
	inner := draw.Canvas{Canvas: c, Rectangle: vg.Rectangle{
		Min: vg.Point{X: r.Min.X + legendPad, Y: r.Min.Y + legendPad},
		Max: vg.Point{X: r.Max.X - legendPad, Y: r.Max.Y - legendPad},
	}}
	lg := l.legend()
	lg.Draw(inner)
}

// cornerRect is the box of the given size in corner pos of area.
func cornerRect(area vg.Rectangle, pos LegendPosition, size vg.Point) vg.Rectangle {
	var r vg.Rectangle
	switch pos {
	case LegendTopLeft, LegendBottomLeft:
		r.Min.X = area.Min.X + legendMargin
	default:
		r.Min.X = area.Max.X - legendMargin - size.X
	}
	switch pos {
	case LegendBottomLeft, LegendBottomRight:
		r.Min.Y = area.Min.Y + legendMargin
	default:
		r.Min.Y = area.Max.Y - legendMargin - size.Y
	}
	r.Max = vg.Point{X: r.Min.X + size.X, Y: r.Min.Y + size.Y}
	return r
}

// best returns the corner of the data area whose box covers the fewest
// drawn segments, points and marks (the first in corners on a tie), and
// how many it covers.
func (l *legendBox) best(data draw.Canvas, plt *plot.Plot, size vg.Point) (LegendPosition, int) {
	best, bestScore := corners[0], math.MaxInt
	for _, pos := range corners {
		if s := l.covered(data, plt, cornerRect(data.Rectangle, pos, size)); s < bestScore {
			best, bestScore = pos, s
		}
	}
	return best, bestScore
}

// covered counts what the legend box r would cover in the data area: line
// segments that cross it, points inside it, mark lines and mark labels
// that meet it. The box is grown by legendMargin first: a line that runs
// just outside the border still crowds the text.
func (l *legendBox) covered(data draw.Canvas, plt *plot.Plot, r vg.Rectangle) int {
	trX, trY := plt.Transforms(&data)
	at := func(p pt) (pt, bool) {
		q := pt{float64(trX(p.x)), float64(trY(p.y))}
		return q, isFinite(q.x) && isFinite(q.y)
	}
	g := float64(legendMargin)
	xlo, xhi := float64(r.Min.X)-g, float64(r.Max.X)+g
	ylo, yhi := float64(r.Min.Y)-g, float64(r.Max.Y)+g
	crosses := func(a, b pt) bool {
		t0, t1, ok := liangBarsky(a, b, xlo, xhi, ylo, yhi)
		return ok && t0 <= t1
	}
	n := 0
	for _, line := range l.lines {
		prev, okPrev := pt{}, false
		for i, p := range line {
			q, ok := at(p)
			if ok && okPrev && crosses(prev, q) {
				n++
			} else if ok && len(line) == 1 && i == 0 && crosses(q, q) {
				n++
			}
			prev, okPrev = q, ok
		}
	}
	for _, d := range l.dots {
		if q, ok := at(d); ok && crosses(q, q) {
			n++
		}
	}
	if l.marks != nil {
		for _, m := range l.marks.placed(data, plt) {
			x := float64(m.x)
			if crosses(pt{x, float64(data.Min.Y)}, pt{x, float64(data.Max.Y)}) {
				n++
			}
			if m.label.Max.X >= vg.Length(xlo) && m.label.Min.X <= vg.Length(xhi) &&
				m.label.Max.Y >= vg.Length(ylo) && m.label.Min.Y <= vg.Length(yhi) && m.text != "" {
				n++
			}
		}
	}
	return n
}
