package plot

import (
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// TestLegendAutoPlacement: the legend goes to the emptiest corner.
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
			p, leg, err := linesPlot([]Series{{Name: "a fairly long legend entry", Y: tt.ys}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			c := draw.Canvas{Canvas: new(recorder.Canvas), Rectangle: vg.Rectangle{Max: vg.Point{X: 16 * vg.Centimeter, Y: 10 * vg.Centimeter}}}
			p.Draw(c)
			if leg == nil {
				t.Fatal("no legend")
			}
			if leg.chosen != tt.want {
				t.Errorf("legend at %v, want %v", leg.chosen, tt.want)
			}
		})
	}
}

func TestLegendFixedAndNone(t *testing.T) {
	for _, pos := range []LegendPosition{LegendTopLeft, LegendBottomLeft, LegendBottomRight, LegendTopRight, LegendNone} {
		p, leg, err := linesPlot([]Series{{Name: "a", Y: []float64{1, 2}}}, Options{Legend: pos})
		if err != nil {
			t.Fatal(err)
		}
		c := draw.Canvas{Canvas: new(recorder.Canvas), Rectangle: vg.Rectangle{Max: vg.Point{X: 300, Y: 200}}}
		p.Draw(c)
		if want := pos; pos == LegendNone {
			want = LegendAuto // never drawn, never chosen
			if leg.chosen != want {
				t.Errorf("LegendNone: chosen = %v, want it untouched", leg.chosen)
			}
		} else if leg.chosen != want {
			t.Errorf("legend at %v, want %v", leg.chosen, want)
		}
	}
	if got := LegendBottomLeft.String(); got != "bottom left" {
		t.Errorf("String() = %q", got)
	}
}
