package plot

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// testCanvas is a recording canvas of w × h centimetres.
func testCanvas(w, h float64) draw.Canvas {
	return draw.Canvas{Canvas: new(recorder.Canvas), Rectangle: vg.Rectangle{Max: vg.Point{X: vg.Length(w) * vg.Centimeter, Y: vg.Length(h) * vg.Centimeter}}}
}

// TestLegendAutoPlacement: the legend goes to a corner it leaves the data clear in.
func TestLegendAutoPlacement(t *testing.T) {
	tests := []struct {
		name string
		ys   []float64
		want LegendPosition
	}{
		{"falling loss leaves the top right free", []float64{10, 3, 1, 0.5, 0.3, 0.2, 0.1}, LegendTopRight},
		{"rising curve: top left", []float64{0, 1, 2, 3, 4, 5, 6}, LegendTopLeft},
		{"flat along the top, drop at the end: bottom left", []float64{10, 10, 10, 10, 10, 10, 0}, LegendBottomLeft},
		{"rise then flat along the top: bottom right", []float64{0, 6, 6, 6, 6, 6, 6}, LegendBottomRight},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := linesFigure([]Series{{Name: "a fairly long legend entry", Y: tt.ys}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if f.leg == nil {
				t.Fatal("no legend")
			}
			f.draw(testCanvas(16, 10))
			if f.leg.chosen != tt.want {
				t.Errorf("legend at %v, want %v", f.leg.chosen, tt.want)
			}
		})
	}
}

func TestLegendFixedAndNone(t *testing.T) {
	for _, pos := range []LegendPosition{LegendTopLeft, LegendBottomLeft, LegendBottomRight, LegendTopRight, LegendOutside, LegendNone} {
		f, err := linesFigure([]Series{{Name: "a", Y: []float64{1, 2}}}, Options{Legend: pos})
		if err != nil {
			t.Fatal(err)
		}
		f.draw(testCanvas(10, 7))
		if f.leg.chosen != pos {
			t.Errorf("legend at %v, want %v", f.leg.chosen, pos)
		}
	}
	if got := LegendBottomLeft.String(); got != "bottom left" {
		t.Errorf("String() = %q", got)
	}
	if got := LegendOutside.String(); got != "outside" {
		t.Errorf("String() = %q", got)
	}
}

// TestLegendNeverCoversData checks geometrically, on the drawn canvas, that
// no drawn line segment, point or mark meets the legend box: in a corner
// when one is free, outside the data area when every corner is occupied.
func TestLegendNeverCoversData(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	noise := func(n int) []float64 {
		y := make([]float64, n)
		for i := range y {
			y[i] = r.Float64()
		}
		return y
	}
	optimizers := func() []Series {
		var out []Series
		for i, name := range []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"} {
			s := Series{Name: name, LR: []float64{0.1, 0.05, 0.05, 0.5, 0.001, 0.001, 0.001}[i]}
			for k := range 300 {
				s.Y = append(s.Y, 2*math.Exp(-float64(k)*float64(i+1)/200)+0.1*math.Sin(float64(k)/9+float64(i)))
			}
			out = append(out, s)
		}
		return out
	}
	tests := []struct {
		name    string
		series  []Series
		opt     Options
		outside int // 1: must be outside, 0: must be in a corner, -1: either
	}{
		{"falling loss", []Series{{Name: "training", Y: []float64{5, 2, 1, 0.5, 0.4, 0.35}}, {Name: "validation", Y: []float64{5, 2.5, 1.5, 1, 0.9, 0.95}}}, Options{}, 0},
		{"noise fills every corner", []Series{{Name: "a", Y: noise(400)}, {Name: "b", Y: noise(400)}}, Options{}, 1},
		{"seven optimizers with lr", optimizers(), Options{}, -1},
		{"seven optimizers, log", optimizers(), Options{LogY: true}, -1},
		{"mark at the top right", []Series{{Name: "training loss", X: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, Y: []float64{9, 5, 3, 2, 1.5, 1.2, 1.1, 1.05, 1.02, 1.01}}},
			Options{Marks: []Mark{{X: 9, Label: "early stop: epoch 9"}}, IntegerX: true}, 0},
		{"flat run", []Series{{Name: "training loss", Y: []float64{0.7, 0.7, 0.7, 0.7}}, {Name: "validation loss", Y: []float64{0.71, 0.71, 0.71, 0.71}}}, Options{}, -1},
		{"one flat run", []Series{{Name: "training loss", Y: []float64{0.7, 0.7, 0.7, 0.7}}}, Options{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := linesFigure(tt.series, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			c := testCanvas(16, 10)
			l := f.layout(c)
			if out := l.at == LegendOutside; tt.outside >= 0 && out != (tt.outside == 1) {
				t.Errorf("legend at %v, want outside = %v", l.at, tt.outside == 1)
			}
			if l.at == LegendOutside && l.legend.Min.X < l.data.Max.X {
				t.Errorf("outside legend %v overlaps the data area %v", l.legend, l.data.Rectangle)
			}
			if l.legend.Max.X > c.Max.X || l.legend.Min.Y < c.Min.Y {
				t.Errorf("legend %v leaves the picture %v", l.legend, c.Rectangle)
			}
			assertClear(t, f, l)
		})
	}
}

// assertClear fails if anything drawn in the data area meets the legend box.
func assertClear(t *testing.T, f *figure, l figLayout) {
	t.Helper()
	data := l.data
	trX, trY := f.p.Transforms(&data)
	r := l.legend
	meets := func(a, b pt) bool {
		t0, t1, ok := liangBarsky(a, b, float64(r.Min.X), float64(r.Max.X), float64(r.Min.Y), float64(r.Max.Y))
		return ok && t0 <= t1
	}
	at := func(q pt) pt { return pt{float64(trX(q.x)), float64(trY(q.y))} }
	for _, line := range f.leg.lines {
		for i := 1; i < len(line); i++ {
			if a, b := at(line[i-1]), at(line[i]); meets(a, b) {
				t.Fatalf("legend %v covers the segment %v–%v", r, line[i-1], line[i])
			}
		}
	}
	for _, d := range f.leg.dots {
		if q := at(d); meets(q, q) {
			t.Fatalf("legend %v covers the point %v", r, d)
		}
	}
	if f.leg.marks != nil {
		for _, m := range f.leg.marks.placed(data, f.p) {
			x := float64(m.x)
			if meets(pt{x, float64(data.Min.Y)}, pt{x, float64(data.Max.Y)}) {
				t.Fatalf("legend %v covers the mark at %v", r, m.x)
			}
			lr := m.label
			if lr.Min.X < r.Max.X && lr.Max.X > r.Min.X && lr.Min.Y < r.Max.Y && lr.Max.Y > r.Min.Y {
				t.Fatalf("legend %v covers the mark label %v", r, lr)
			}
		}
	}
}

// TestLegendFitsLongLabels: entries like "adam (lr 0.001) (diverged,
// clipped)" fit inside the legend box and the picture.
func TestLegendFitsLongLabels(t *testing.T) {
	var series []Series
	for i, name := range []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"} {
		y := []float64{1, 0.5, 0.3}
		if i == 6 {
			y = append(y, math.Inf(1))
		}
		series = append(series, Series{Name: name, LR: 0.001 * float64(i+1), Y: y})
	}
	f, err := linesFigure(series, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := testCanvas(16, 10)
	l := f.layout(c)
	for _, e := range f.leg.entries {
		w := f.leg.style.Width(e.name) + legendThumb + 2*legendPad
		if w > l.legend.Max.X-l.legend.Min.X+0.01 {
			t.Errorf("entry %q (%.1f pt) is wider than the legend box (%.1f pt)", e.name, w, l.legend.Max.X-l.legend.Min.X)
		}
	}
	if l.legend.Max.X > c.Max.X {
		t.Errorf("legend %v leaves the picture", l.legend)
	}
	want := "adamw (lr 0.007) (diverged, clipped)"
	if got := f.leg.entries[6].name; got != want {
		t.Errorf("entry = %q, want %q", got, want)
	}
	if got := fmt.Sprint(formatLR(1e-5), " ", formatLR(3e-4), " ", formatLR(0.001)); got != "1e-5 0.0003 0.001" {
		t.Errorf("formatLR = %q", got)
	}
}
