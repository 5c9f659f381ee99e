package plot

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

// lineThumb draws a horizontal line across a legend thumbnail.
type lineThumb draw.LineStyle

var _ plot.Thumbnailer = lineThumb{}

// Thumbnail implements plot.Thumbnailer.
func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle(t), c.Min.X, y, c.Max.X, y)
}

// glyphThumb draws one glyph in the middle of a legend thumbnail.
type glyphThumb draw.GlyphStyle

var _ plot.Thumbnailer = glyphThumb{}

// Thumbnail implements plot.Thumbnailer.
func (t glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyphNoClip(draw.GlyphStyle(t), c.Center())
}
