package plot

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// haloColor outlines markers and paths so they stay visible on any fill.
var haloColor color.Color = color.White

// haloGlyph draws shape over a white copy of itself grown by halo.
type haloGlyph struct {
	shape draw.GlyphDrawer
	halo  vg.Length
}

var _ draw.GlyphDrawer = haloGlyph{}

// DrawGlyph implements draw.GlyphDrawer.
func (g haloGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, p vg.Point) {
	under := sty
	under.Color = haloColor
	under.Radius += g.halo
	c.SetColor(under.Color)
	g.shape.DrawGlyph(c, under, p)
	c.SetColor(sty.Color)
	g.shape.DrawGlyph(c, sty, p)
}

// ringGlyph draws an open circle: a white disc with a ring of the given
// stroke width, which reads as "start here" and does not hide the colour.
type ringGlyph struct{ width vg.Length }

var _ draw.GlyphDrawer = ringGlyph{}

// DrawGlyph implements draw.GlyphDrawer.
func (g ringGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, p vg.Point) {
	disc := func(r vg.Length) vg.Path {
		var pa vg.Path
		pa.Move(vg.Point{X: p.X + r, Y: p.Y})
		pa.Arc(p, r, 0, 2*math.Pi)
		pa.Close()
		return pa
	}
	c.SetColor(haloColor)
	c.Fill(disc(sty.Radius + g.width/2 + 1))
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: g.width})
	c.Stroke(disc(sty.Radius))
}

// Marker styles shared by the drawing functions.
func startMarker(col color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: col, Radius: vg.Points(4), Shape: ringGlyph{width: vg.Points(1.8)}}
}

func endMarker(col color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: col, Radius: vg.Points(4.5), Shape: haloGlyph{draw.BoxGlyph{}, vg.Points(1.2)}}
}

func exitMarker(col color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: col, Radius: vg.Points(4), Shape: haloGlyph{draw.PyramidGlyph{}, vg.Points(1.2)}}
}

func stepMarker(col color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: col, Radius: vg.Points(1.7), Shape: draw.CircleGlyph{}}
}
