package plot

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// seriesColors is the Okabe–Ito palette without its yellow (too pale for a
// line on white; Contour uses it for the minimum's star), ordered for
// contrast between neighbours: seven colours, one per optimizer of a
// comparison, that stay distinguishable under the common colour-vision
// deficiencies (TestSevenSeriesColours checks ΔE ≥ 12 between every pair
// under simulated protanopia, deuteranopia and tritanopia).
//
// Okabe, M. and Ito, K., "Color Universal Design (CUD): How to make
// figures and presentations that are friendly to colorblind people",
// J*Fly, 2002/2008, https://jfly.uni-koeln.de/color/.
var seriesColors = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xFF}, // blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	color.RGBA{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	color.RGBA{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	color.RGBA{0xE6, 0x9F, 0x00, 0xFF}, // orange
	color.RGBA{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	color.RGBA{0x00, 0x00, 0x00, 0xFF}, // black
}

// seriesDashes cycle once the colours run out, so series i and
// i+len(seriesColors) still differ.
var seriesDashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(2), vg.Points(2)},
	{vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)},
}

// lineStyle is the style of the i-th series.
func lineStyle(i int, width vg.Length) draw.LineStyle {
	n := len(seriesColors)
	return draw.LineStyle{
		Color:  seriesColors[i%n],
		Width:  width,
		Dashes: seriesDashes[(i/n)%len(seriesDashes)],
	}
}

// Font sizes, in points, chosen for a 16 cm wide figure read on screen.
const (
	titleSize  = 13
	labelSize  = 11
	tickSize   = 10
	legendSize = 10
)

var gridColor = color.Gray{Y: 0xE0}

// sans is the typeface of every text: a sans-serif reads better than
// gonum's default serif at small sizes on screen.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot returns a plot with the labels, fonts, scales and tick
// generators of opt. The title is not gonum's: the figure's header draws
// it (see header). Axis ranges are set by the caller.
func newPlot(opt Options) *plot.Plot {
	p := plot.New()
	p.X.Label.Text = opt.XLabel
	p.Y.Label.Text = opt.YLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = fontSize(sans, labelSize)
		a.Tick.Label.Font = fontSize(sans, tickSize)
		a.Tick.Label.Handler = newSupText()
		a.Tick.Length = vg.Points(4)
		a.Tick.Marker = niceTicks{}
		a.Padding = vg.Points(2)
	}
	p.X.Tick.Marker = niceTicks{integer: opt.IntegerX}
	p.X.Label.Padding = vg.Points(2)
	p.Y.Label.Padding = vg.Points(4)
	if opt.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
	}
	p.Legend.TextStyle.Font = fontSize(sans, legendSize)
	return p
}

// newFigure returns the figure of p with opt's header and a legend styled
// like p's, placed at opt.Legend.
func newFigure(p *plot.Plot, opt Options) *figure {
	return &figure{p: p, head: newHeader(opt), leg: &legendBox{pos: opt.Legend, style: p.Legend.TextStyle}}
}

// addGrid draws light major grid lines under the data.
func addGrid(p *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Color = gridColor
	g.Horizontal.Color = gridColor
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
}

// fontSize returns a copy of f at size s.
func fontSize(f font.Font, s vg.Length) font.Font {
	f.Size = s
	return f
}
