package plot

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// markLines draws Options.Marks: a dashed vertical line across the data
// area at each mark's X, and its label in a small white box at the top,
// right of the line (left of it when there is no room). Labels that would
// overlap an earlier one move down a row.
type markLines struct {
	marks []Mark
	style text.Style
}

var _ plot.Plotter = (*markLines)(nil)

var (
	markColor = color.Gray{Y: 0x30}
	markLine  = draw.LineStyle{Color: markColor, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	markFill  = color.NRGBA{R: 255, G: 255, B: 255, A: 220}
)

const markPad = vg.Length(2.5)

// placedMark is a mark where it is drawn in a data canvas.
type placedMark struct {
	x     vg.Length
	text  string
	label vg.Rectangle // the label's box (empty text: zero box)
}

// placed returns the marks inside the data area c, with their label boxes.
func (m *markLines) placed(c draw.Canvas, plt *plot.Plot) []placedMark {
	trX, _ := plt.Transforms(&c)
	var out []placedMark
	var boxes []vg.Rectangle
	for _, mk := range m.marks {
		x := trX(mk.X)
		if !(x >= c.Min.X-0.5 && x <= c.Max.X+0.5) {
			continue
		}
		pm := placedMark{x: x, text: mk.Label}
		if mk.Label != "" {
			w := m.style.Width(mk.Label) + 2*markPad
			h := m.style.Height(mk.Label) + 2*markPad
			left := x + markPad
			if left+w > c.Max.X {
				left = x - markPad - w
			}
			top := c.Max.Y - markPad
			for {
				r := vg.Rectangle{Min: vg.Point{X: left, Y: top - h}, Max: vg.Point{X: left + w, Y: top}}
				clash := false
				for _, b := range boxes {
					if r.Min.X < b.Max.X && r.Max.X > b.Min.X && r.Min.Y < b.Max.Y && r.Max.Y > b.Min.Y {
						clash = true
						break
					}
				}
				if !clash || top-h < c.Min.Y {
					pm.label = r
					break
				}
				top -= h + 1
			}
			boxes = append(boxes, pm.label)
		}
		out = append(out, pm)
	}
	return out
}

// Plot implements plot.Plotter.
func (m *markLines) Plot(c draw.Canvas, plt *plot.Plot) {
	for _, pm := range m.placed(c, plt) {
		c.StrokeLine2(markLine, pm.x, c.Min.Y, pm.x, c.Max.Y)
		if pm.text == "" {
			continue
		}
		c.SetColor(markFill)
		c.Fill(pm.label.Path())
		sty := m.style
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
		c.FillText(sty, vg.Point{X: pm.label.Min.X + markPad, Y: pm.label.Min.Y + markPad}, pm.text)
	}
}
