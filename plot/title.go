package plot

import (
	"image/color"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// header is the block above a picture: the title and, smaller and grey,
// the subtitle, each centred over the plot and wrapped at spaces to the
// width of the picture.
type header struct {
	title, subtitle       string
	titleSty, subtitleSty text.Style
}

const (
	subtitleSize = 10.5
	headerGap    = vg.Length(2) // between lines
	headerPad    = vg.Length(6) // below the block
)

func newHeader(opt Options) header {
	ts := text.Style{
		Color:   color.Black,
		Font:    fontSize(sans, titleSize),
		XAlign:  draw.XCenter,
		YAlign:  draw.YTop,
		Handler: text.Plain{Fonts: font.DefaultCache},
	}
	ss := ts
	ss.Font = fontSize(sans, subtitleSize)
	ss.Color = color.Gray{Y: 0x45}
	return header{title: strings.TrimSpace(opt.Title), subtitle: strings.TrimSpace(opt.Subtitle), titleSty: ts, subtitleSty: ss}
}

// row is one line of the header in its style.
type row struct {
	text string
	sty  text.Style
}

// rows returns the header's lines wrapped to width.
func (h header) rows(width vg.Length) []row {
	var out []row
	for _, part := range []struct {
		s   string
		sty text.Style
	}{{h.title, h.titleSty}, {h.subtitle, h.subtitleSty}} {
		for _, para := range strings.Split(part.s, "\n") {
			for _, line := range wrap(para, width, part.sty) {
				out = append(out, row{line, part.sty})
			}
		}
	}
	return out
}

// height is the vertical room the header takes in a picture of this width.
func (h header) height(width vg.Length) vg.Length {
	rows := h.rows(width)
	if len(rows) == 0 {
		return 0
	}
	var y vg.Length
	for _, r := range rows {
		y += r.sty.Height(r.text) + headerGap
	}
	return y + headerPad
}

// draw writes the header from the top of c down, each line centred at cx
// but kept inside c.
func (h header) draw(c draw.Canvas, cx vg.Length) {
	y := c.Max.Y
	for _, r := range h.rows(c.Max.X - c.Min.X) {
		w := r.sty.Width(r.text)
		x := min(max(cx, c.Min.X+w/2), c.Max.X-w/2)
		c.FillText(r.sty, vg.Point{X: x, Y: y}, r.text)
		y -= r.sty.Height(r.text) + headerGap
	}
}

// wrap breaks s at spaces into lines no wider than width; a word wider
// than width gets a line of its own.
func wrap(s string, width vg.Length, sty text.Style) []string {
	words := strings.Fields(s)
	var out []string
	line := ""
	for _, w := range words {
		switch {
		case line == "":
			line = w
		case sty.Width(line+" "+w) <= width:
			line += " " + w
		default:
			out = append(out, line)
			line = w
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
