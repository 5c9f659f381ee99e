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

// starGlyph draws a five-pointed star with a dark outline over a white
// halo: the known minimum of a surface, unlike any path marker.
type starGlyph struct{}

var _ draw.GlyphDrawer = starGlyph{}

// DrawGlyph implements draw.GlyphDrawer.
func (starGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, p vg.Point) {
	star := func(r vg.Length) vg.Path {
		var pa vg.Path
		for k := range 10 {
			rk := r
			if k%2 == 1 {
				rk = r * 0.45
			}
			a := math.Pi/2 + float64(k)*math.Pi/5
			q := vg.Point{X: p.X + rk*vg.Length(math.Cos(a)), Y: p.Y + rk*vg.Length(math.Sin(a))}
			if k == 0 {
				pa.Move(q)
			} else {
				pa.Line(q)
			}
		}
		pa.Close()
		return pa
	}
	c.SetLineStyle(draw.LineStyle{Color: haloColor, Width: vg.Points(3)})
	c.Stroke(star(sty.Radius))
	c.SetColor(sty.Color)
	c.Fill(star(sty.Radius))
	c.SetLineStyle(draw.LineStyle{Color: minimumEdge, Width: vg.Points(1)})
	c.Stroke(star(sty.Radius))
}

// minimumFill is the Okabe–Ito yellow, left out of the line palette
// (too pale for a line on white) but bright on the contour bands, with
// minimumEdge outlining it.
var (
	minimumFill color.Color = color.RGBA{0xF0, 0xE4, 0x42, 0xFF}
	minimumEdge color.Color = color.Black
)

func minimumMarker() draw.GlyphStyle {
	return draw.GlyphStyle{Color: minimumFill, Radius: vg.Points(7), Shape: starGlyph{}}
}
