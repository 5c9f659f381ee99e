package plot

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// surfaceLightness is how far the surface colours are mixed towards white,
// so that the descent paths drawn on them keep their contrast.
const surfaceLightness = 0.35

// surfaceColors returns n colours from Moreland's blue–tan diverging map,
// low values blue, lightened by surfaceLightness.
//
// Moreland, K., "Diverging Color Maps for Scientific Visualization", 2009.
func surfaceColors(n int) []color.Color {
	cm := moreland.SmoothBlueTan()
	cm.SetMin(0)
	cm.SetMax(1)
	var raw []color.Color
	if n == 1 {
		c, _ := cm.At(0.5)
		raw = []color.Color{c}
	} else {
		raw = cm.Palette(n).Colors()
	}
	out := make([]color.Color, n)
	for i, c := range raw {
		out[i] = lighten(c, surfaceLightness)
	}
	return out
}

// lighten mixes c with white: f = 0 keeps c, f = 1 gives white.
func lighten(c color.Color, f float64) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 {
		return uint8(math.Round((float64(v>>8)*(1-f) + 255*f)))
	}
	return color.RGBA{mix(r), mix(g), mix(b), 0xFF}
}

// colorList is a fixed palette.Palette.
type colorList []color.Color

var _ palette.Palette = colorList(nil)

// Colors implements palette.Palette.
func (c colorList) Colors() []color.Color { return c }

// colorBar draws the key to a banded surface: one swatch per band between
// contour levels, labelled with the level values at the band edges.
type colorBar struct {
	colors  []color.Color // len(levels)+1, lowest band first
	levels  []float64
	caption string
	style   text.Style // for labels; the caption uses it too
}

const (
	barStrip = vg.Length(0.45 * float64(vg.Centimeter))
	barGap   = vg.Length(0.35 * float64(vg.Centimeter))
	barTick  = vg.Length(3)
)

// width is the horizontal room the bar needs, gap included.
func (b colorBar) width() vg.Length {
	w := barGap + barStrip + barTick + 2
	var lw vg.Length
	for _, s := range formatLevels(b.levels) {
		lw = max(lw, b.style.Width(s))
	}
	w += lw
	if b.caption != "" {
		w += 4 + b.style.Height(b.caption)
	}
	return w + 4
}

// draw draws the bar in c, whose vertical extent should match the data area.
func (b colorBar) draw(c draw.Canvas) {
	x0 := c.Min.X + barGap
	x1 := x0 + barStrip
	n := len(b.colors)
	bandH := (c.Max.Y - c.Min.Y) / vg.Length(n)
	yAt := func(k int) vg.Length { return c.Min.Y + vg.Length(k)*bandH }
	rect := func(xa, ya, xb, yb vg.Length) vg.Path {
		var p vg.Path
		p.Move(vg.Point{X: xa, Y: ya})
		p.Line(vg.Point{X: xb, Y: ya})
		p.Line(vg.Point{X: xb, Y: yb})
		p.Line(vg.Point{X: xa, Y: yb})
		p.Close()
		return p
	}
	for k, col := range b.colors {
		c.SetColor(col)
		// Overlap neighbours by a hair so no seam shows between bands.
		c.Fill(rect(x0, yAt(k)-0.2, x1, yAt(k+1)+0.2))
	}
	c.SetLineStyle(draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)})
	c.Stroke(rect(x0, c.Min.Y, x1, c.Max.Y))

	// Label every step-th level edge so labels never overlap.
	lh := b.style.Height("0")
	step := max(1, int(math.Ceil(float64(lh*1.4/bandH))))
	lab := b.style
	lab.XAlign, lab.YAlign = draw.XLeft, draw.YCenter
	var lw vg.Length
	for k, s := range formatLevels(b.levels) {
		lw = max(lw, lab.Width(s))
		if k%step != 0 {
			continue
		}
		y := yAt(k + 1)
		c.StrokeLine2(draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}, x1, y, x1+barTick, y)
		c.FillText(lab, vg.Point{X: x1 + barTick + 2, Y: y}, s)
	}
	if b.caption != "" {
		cap := b.style
		cap.Rotation = math.Pi / 2
		cap.XAlign, cap.YAlign = draw.XCenter, draw.YTop
		c.FillText(cap, vg.Point{X: x1 + barTick + 2 + lw + 4, Y: (c.Min.Y + c.Max.Y) / 2}, b.caption)
	}
}
