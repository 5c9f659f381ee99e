package plot

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// polylines draws the pieces of one series in one style: a single plotter
// however many gaps the series has (a series with a NaN at every other
// step would otherwise add one gonum plotter per piece).
type polylines struct {
	pieces [][]pt
	style  draw.LineStyle
}

var _ plot.Plotter = polylines{}

// Plot implements plot.Plotter.
func (l polylines) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	var buf []vg.Point
	for _, piece := range l.pieces {
		if len(piece) < 2 {
			continue
		}
		buf = buf[:0]
		for _, q := range piece {
			buf = append(buf, vg.Point{X: trX(q.x), Y: trY(q.y)})
		}
		c.StrokeLines(l.style, c.ClipLinesXY(buf)...)
	}
}
