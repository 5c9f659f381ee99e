package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LegendPosition says where the legend goes. The zero value is LegendAuto.
type LegendPosition int

// Legend positions. The corner positions are inside the data area.
const (
	LegendAuto        LegendPosition = iota // the corner that hides the fewest drawn points
	LegendTopRight                          // top right corner
	LegendTopLeft                           // top left corner
	LegendBottomRight                       // bottom right corner
	LegendBottomLeft                        // bottom left corner
	LegendNone                              // no legend
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

// legendBox is a plot.Plotter that draws the legend on a translucent white
// box in a corner of the data area. Under LegendAuto it scores each corner
// by how much of the drawn lines and dots the box would cover, and takes the
// lowest (the first in corners on a tie). Add it last so it is drawn on top.
type legendBox struct {
	pos     LegendPosition
	entries []legendEntry
	lines   [][]pt // drawn polylines to keep clear of, in data coordinates
	dots    []pt   // drawn points to keep clear of

	chosen LegendPosition // the corner used by the last Plot call
}

var _ plot.Plotter = (*legendBox)(nil)

const (
	legendPad    = vg.Length(4) // inside the box
	legendMargin = vg.Length(5) // between the box and the data area's edge
	sampleStep   = vg.Length(2) // spacing of the samples taken along lines when scoring
	dotWeight    = 4            // a covered dot counts as this many line samples
)

var (
	legendFill   = color.NRGBA{R: 255, G: 255, B: 255, A: 225}
	legendBorder = color.Gray{Y: 0xA0}
)

func (l *legendBox) add(name string, thumbs ...plot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{name, thumbs})
}

// Plot implements plot.Plotter.
func (l *legendBox) Plot(c draw.Canvas, plt *plot.Plot) {
	if l.pos == LegendNone || len(l.entries) == 0 {
		return
	}
	lg := plot.NewLegend()
	lg.TextStyle = plt.Legend.TextStyle
	lg.ThumbnailWidth = vg.Points(22)
	lg.Padding = vg.Points(2)
	lg.Top, lg.Left = true, true
	for _, e := range l.entries {
		lg.Add(e.name, e.thumbs...)
	}
	size := lg.Rectangle(c).Size()
	size.Y += lg.TextStyle.FontExtents().Descent
	size.X += 2 * legendPad
	size.Y += 2 * legendPad

	pos := l.pos
	if pos == LegendAuto {
		pos = l.best(c, plt, size)
	}
	l.chosen = pos
	r := cornerRect(c.Rectangle, pos, size)

	var path vg.Path
	path.Move(r.Min)
	path.Line(vg.Point{X: r.Max.X, Y: r.Min.Y})
	path.Line(r.Max)
	path.Line(vg.Point{X: r.Min.X, Y: r.Max.Y})
	path.Close()
	c.SetColor(legendFill)
	c.Fill(path)
	c.SetLineStyle(draw.LineStyle{Color: legendBorder, Width: vg.Points(0.5)})
	c.Stroke(path)

	inner := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: r.Min.X + legendPad, Y: r.Min.Y + legendPad},
		Max: vg.Point{X: r.Max.X - legendPad, Y: r.Max.Y - legendPad},
	}}
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

// best returns the corner whose box covers the least of what is drawn.
func (l *legendBox) best(c draw.Canvas, plt *plot.Plot, size vg.Point) LegendPosition {
	trX, trY := plt.Transforms(&c)
	at := func(p pt) (vg.Point, bool) {
		q := vg.Point{X: trX(p.x), Y: trY(p.y)}
		ok := !math.IsNaN(float64(q.X)) && !math.IsNaN(float64(q.Y)) &&
			!math.IsInf(float64(q.X), 0) && !math.IsInf(float64(q.Y), 0)
		return q, ok
	}
	best, bestScore := corners[0], math.Inf(1)
	for _, pos := range corners {
		r := cornerRect(c.Rectangle, pos, size)
		// Grow the box over its margin: a line just outside the border, or
		// running along the frame, still crowds the text.
		g := legendMargin + sampleStep
		r.Min.X, r.Min.Y = r.Min.X-g, r.Min.Y-g
		r.Max.X, r.Max.Y = r.Max.X+g, r.Max.Y+g
		in := func(q vg.Point) bool {
			return q.X >= r.Min.X && q.X <= r.Max.X && q.Y >= r.Min.Y && q.Y <= r.Max.Y
		}
		score := 0.0
		for _, line := range l.lines {
			for i := 1; i < len(line); i++ {
				a, ok1 := at(line[i-1])
				b, ok2 := at(line[i])
				if !ok1 || !ok2 {
					continue
				}
				n := int(math.Ceil(float64(math.Hypot(float64(b.X-a.X), float64(b.Y-a.Y))) / float64(sampleStep)))
				n = max(1, min(n, 10000))
				for k := 0; k <= n; k++ {
					f := vg.Length(float64(k) / float64(n))
					if in(vg.Point{X: a.X + f*(b.X-a.X), Y: a.Y + f*(b.Y-a.Y)}) {
						score++
					}
				}
			}
		}
		for _, d := range l.dots {
			if q, ok := at(d); ok && in(q) {
				score += dotWeight
			}
		}
		if score < bestScore {
			best, bestScore = pos, score
		}
	}
	return best
}
