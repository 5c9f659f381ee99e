package plot

import (
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// supText is gonum's plain text handler that also draws "m×10^n" with n
// as a superscript (Liberation Sans has no superscript digits ⁰ and ⁹ or
// minus ⁻, so they are drawn smaller and raised). Text without "^", text
// on several lines and rotated text are drawn as text.Plain draws them.
type supText struct{ text.Plain }

var _ text.Handler = supText{}

const (
	supScale = 0.72 // superscript size, relative to the text
	supRise  = 0.42 // superscript baseline above the text's, in font sizes
)

// newSupText returns the handler on gonum's default font cache.
func newSupText() supText { return supText{text.Plain{Fonts: font.DefaultCache}} }

// splitSup cuts "base^exp" into its parts.
func splitSup(txt string) (base, exp string, ok bool) {
	if strings.Contains(txt, "\n") {
		return "", "", false
	}
	return strings.Cut(txt, "^")
}

func supFont(f font.Font) font.Font {
	f.Size = f.Size * supScale
	return f
}

// Box implements text.Handler.
func (h supText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	base, exp, ok := splitSup(txt)
	if !ok {
		return h.Plain.Box(txt, fnt)
	}
	wb, hb, db := h.Plain.Box(base, fnt)
	we, he, _ := h.Plain.Box(exp, supFont(fnt))
	return wb + we, max(hb, fnt.Size*supRise+he), db
}

// Draw implements text.Handler.
func (h supText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	base, exp, ok := splitSup(txt)
	if !ok || sty.Rotation != 0 {
		h.Plain.Draw(c, txt, sty, pt)
		return
	}
	face := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	sf := supFont(sty.Font)
	sface := h.Fonts.Lookup(sf, sf.Size)
	w, _, _ := h.Box(txt, sty.Font)
	// Place the baseline as text.Plain does for one line, in the taller box.
	x := pt.X + vg.Length(sty.XAlign)*w
	y := pt.Y + sty.Height(txt)*vg.Length(sty.YAlign) - face.Extents().Ascent + sty.Font.Size
	c.SetColor(sty.Color)
	c.FillString(face, vg.Point{X: x, Y: y}, base)
	c.FillString(sface, vg.Point{X: x + face.Width(base), Y: y + sty.Font.Size*supRise}, exp)
}
