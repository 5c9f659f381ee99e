package plot

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// figure is a whole picture: the header (title and subtitle), a gonum plot
// (axes and data), for Contour a colour bar to its right, and the legend,
// inside a corner of the data area or outside, to the right of all else.
type figure struct {
	p    *plot.Plot
	head header
	leg  *legendBox // nil: no legend
	bar  *colorBar  // nil: no colour bar

	// legendMode forces the legend's placement under LegendAuto:
	// autoPlace decides by what a corner covers, cornerOnly takes the best
	// corner whatever it covers, outsideOnly puts it outside.
	legendMode placeMode
}

type placeMode int

const (
	autoPlace placeMode = iota
	cornerOnly
	outsideOnly
)

// figLayout is where each part of a figure goes on a canvas.
type figLayout struct {
	head   draw.Canvas    // the header block at the top
	main   draw.Canvas    // the gonum plot
	data   draw.Canvas    // its data area
	bar    draw.Canvas    // the colour bar, level with the data area
	legend vg.Rectangle   // the legend box
	at     LegendPosition // where the legend is; LegendNone when none is drawn
}

// outsideGap is the room between the plot and a legend outside it.
const outsideGap = vg.Length(8)

// layout places every part of f on c.
func (f *figure) layout(c draw.Canvas) figLayout {
	var l figLayout
	body := c
	body.Max.Y -= f.head.height(c.Max.X - c.Min.X)
	l.head = c
	l.head.Min.Y = body.Max.Y

	main := body
	var barW vg.Length
	if f.bar != nil {
		barW = f.bar.width()
		main.Max.X -= barW
	}
	l.at = LegendNone
	var size vg.Point
	if f.leg.shown() {
		size = f.leg.size()
		pos := f.leg.pos
		if pos == LegendAuto {
			switch f.legendMode {
			case outsideOnly:
				pos = LegendOutside
			default:
				var covered int
				pos, covered = f.leg.best(f.p.DataCanvas(main), f.p, size)
				if covered > 0 && f.legendMode == autoPlace {
					pos = LegendOutside
				}
			}
		}
		if pos == LegendOutside {
			main.Max.X -= size.X + f.xOverhang() + outsideGap
		}
		l.at = pos
	}
	l.main = main
	l.data = f.p.DataCanvas(main)
	if f.bar != nil {
		l.bar = draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: main.Max.X, Y: l.data.Min.Y},
			Max: vg.Point{X: main.Max.X + barW, Y: l.data.Max.Y},
		}}
	}
	switch l.at {
	case LegendNone:
	case LegendOutside:
		x := main.Max.X + barW + f.xOverhang() + outsideGap
		l.legend = vg.Rectangle{
			Min: vg.Point{X: x, Y: l.data.Max.Y - size.Y},
			Max: vg.Point{X: x + size.X, Y: l.data.Max.Y},
		}
	default:
		l.legend = cornerRect(l.data.Rectangle, l.at, size)
	}
	if f.leg != nil {
		f.leg.chosen = l.at
	}
	return l
}

// xOverhang is how far the last X tick label may reach right of the plot:
// half its width (it is centred on its tick, which may be at the end).
func (f *figure) xOverhang() vg.Length {
	last, label := 0.0, ""
	for _, t := range f.p.X.Tick.Marker.Ticks(f.p.X.Min, f.p.X.Max) {
		if t.Label != "" && (label == "" || t.Value > last) {
			last, label = t.Value, t.Label
		}
	}
	return f.p.X.Tick.Label.Width(label) / 2
}

// draw draws the figure on c, on a white background.
func (f *figure) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	l := f.layout(c)
	f.head.draw(l.head, (l.data.Min.X+l.data.Max.X)/2)
	f.p.Draw(l.main)
	if f.bar != nil {
		f.bar.draw(l.bar)
	}
	if l.at != LegendNone {
		f.leg.drawAt(c.Canvas, l.legend)
	}
}
