package plot

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlatCurvesInsideFrame: a run that learns nothing (a flat curve, or
// one that moves by a few ulps) is drawn inside the data area, never along
// its border; so is the converged tail of a falling curve.
func TestFlatCurvesInsideFrame(t *testing.T) {
	ulps := []float64{0.6931471805599453, 0.6931471805599454, 0.6931471805599455, 0.6931471805599454}
	tests := []struct {
		name   string
		series []Series
		logY   bool
	}{
		{"one flat curve", []Series{{Name: "loss", Y: []float64{0.7, 0.7, 0.7}}}, false},
		{"two flat curves", []Series{{Name: "training", Y: []float64{0.5, 0.5, 0.5}}, {Name: "validation", Y: []float64{0.7, 0.7, 0.7}}}, false},
		{"flat at zero", []Series{{Name: "loss", Y: []float64{0, 0, 0}}}, false},
		{"a few ulps", []Series{{Name: "loss", Y: ulps}}, false},
		{"a few ulps, log", []Series{{Name: "loss", Y: ulps}}, true},
		{"two flat curves, log", []Series{{Name: "training", Y: []float64{0.5, 0.5}}, {Name: "validation", Y: []float64{0.7, 0.7}}}, true},
		{"converged tail", []Series{{Name: "loss", Y: []float64{3, 1, 0.2, 0.1, 0.1, 0.1}}}, false},
		{"single point", []Series{{Name: "loss", Y: []float64{4}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := linesFigure(tt.series, Options{LogY: tt.logY})
			if err != nil {
				t.Fatal(err)
			}
			lo, hi := f.p.Y.Min, f.p.Y.Max
			norm := func(y float64) float64 { return (y - lo) / (hi - lo) }
			if tt.logY {
				norm = func(y float64) float64 { return (math.Log(y) - math.Log(lo)) / (math.Log(hi) - math.Log(lo)) }
			}
			for _, s := range tt.series {
				for _, y := range s.Y {
					if v := norm(y); !(v >= 0.02 && v <= 0.98) {
						t.Errorf("y = %v sits at %.3f of the axis [%v, %v], on or near the frame", y, v, lo, hi)
					}
				}
			}
			// Ticks still label the axis.
			if len(labels(f.p.Y.Tick.Marker.Ticks(lo, hi))) == 0 {
				t.Errorf("no labelled tick on [%v, %v]", lo, hi)
			}
		})
	}
}

// TestLinesIntegerX: an epoch axis gets whole-number ticks only, even for
// a run of three epochs, and a single epoch still gets an axis.
func TestLinesIntegerX(t *testing.T) {
	for _, xs := range [][]float64{{1, 2, 3}, {1}, {1, 2, 3, 4, 5, 6, 7}, {10, 11}} {
		ys := make([]float64, len(xs))
		for i := range ys {
			ys[i] = 1 / float64(i+1)
		}
		f, err := linesFigure([]Series{{Name: "loss", X: xs, Y: ys}}, Options{IntegerX: true})
		if err != nil {
			t.Fatal(err)
		}
		ticks := f.p.X.Tick.Marker.Ticks(f.p.X.Min, f.p.X.Max)
		if len(labels(ticks)) == 0 {
			t.Errorf("epochs %v: no labelled tick on [%v, %v]", xs, f.p.X.Min, f.p.X.Max)
		}
		for _, tk := range ticks {
			if tk.Value != math.Trunc(tk.Value) {
				t.Errorf("epochs %v: tick at %v (label %q)", xs, tk.Value, tk.Label)
			}
		}
	}
}

// TestHeader: the title and subtitle take room above the plot, and a
// title too wide for the picture wraps instead of running off it.
func TestHeader(t *testing.T) {
	s := []Series{{Name: "loss", Y: []float64{3, 2, 1}}}
	c := testCanvas(16, 10)
	plain, err := linesFigure(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	titled, err := linesFigure(s, Options{Title: "Loss by epoch", Subtitle: "diabetes · mlp:64 · adam · lr 0.001"})
	if err != nil {
		t.Fatal(err)
	}
	lp, lt := plain.layout(c), titled.layout(c)
	if lp.head.Max.Y-lp.head.Min.Y != 0 {
		t.Errorf("no title, yet %v pt of header", lp.head.Max.Y-lp.head.Min.Y)
	}
	rows := titled.head.rows(c.Max.X - c.Min.X)
	if len(rows) != 2 || rows[0].text != "Loss by epoch" || rows[1].text != "diabetes · mlp:64 · adam · lr 0.001" || rows[1].sty.Font.Size >= rows[0].sty.Font.Size {
		t.Errorf("rows = %+v, want the title then a smaller subtitle", rows)
	}
	if need := rows[0].sty.Height(rows[0].text) + rows[1].sty.Height(rows[1].text); lt.main.Max.Y > c.Max.Y-need {
		t.Errorf("plot top %v leaves less than %v pt for the header", lt.main.Max.Y, need)
	}
	long := strings.Repeat("a long title word ", 20)
	wide, err := linesFigure(s, Options{Title: long})
	if err != nil {
		t.Fatal(err)
	}
	width := c.Max.X - c.Min.X
	rows = wide.head.rows(width)
	if len(rows) < 2 {
		t.Fatalf("a %d-character title was not wrapped", len(long))
	}
	for _, r := range rows {
		if w := r.sty.Width(r.text); w > width {
			t.Errorf("row %q is %v pt wide, more than the picture's %v", r.text, w, width)
		}
	}
}

// TestMarks: a mark is drawn inside the data area, the X axis widens to
// show it, and its label stays inside the data area at either edge.
func TestMarks(t *testing.T) {
	s := []Series{{Name: "training loss", X: []float64{1, 2, 3, 4, 5, 6, 7, 8}, Y: []float64{8, 5, 3, 2, 1.5, 1.3, 1.2, 1.1}}}
	f, err := linesFigure(s, Options{IntegerX: true, Marks: []Mark{{X: 6, Label: "early stop: best epoch 6"}, {X: 12, Label: "planned end"}, {X: 1, Label: "warm-up ends"}}})
	if err != nil {
		t.Fatal(err)
	}
	if f.p.X.Max < 12 {
		t.Errorf("x axis ends at %v, before the mark at 12", f.p.X.Max)
	}
	l := f.layout(testCanvas(16, 10))
	placed := f.leg.marks.placed(l.data, f.p)
	if len(placed) != 3 {
		t.Fatalf("%d marks placed, want 3", len(placed))
	}
	for _, m := range placed {
		r := m.label
		if r.Min.X < l.data.Min.X || r.Max.X > l.data.Max.X || r.Min.Y < l.data.Min.Y || r.Max.Y > l.data.Max.Y {
			t.Errorf("label %q at %v leaves the data area %v", m.text, r, l.data.Rectangle)
		}
	}
	dir := t.TempDir()
	if err := Lines(filepath.Join(dir, "m.svg"), s, Options{Marks: []Mark{{X: 3, Label: "stop"}}}); err != nil {
		t.Fatal(err)
	}
	checkSVG(t, filepath.Join(dir, "m.svg"))
}

// TestContourMinima: known minima are starred and named in the legend;
// minima outside the picture are left out.
func TestContourMinima(t *testing.T) {
	tests := []struct {
		minima []Point
		paths  []Series
		drawn  int
		entry  string
	}{
		{[]Point{{1, 1}}, nil, 1, "minimum"},
		{[]Point{{1, 1}, {-1, 2}}, []Series{{Name: "gd", X: []float64{-1.5, 0}, Y: []float64{2, 0}}}, 2, "minima"},
		{[]Point{{1, 1}, {9, 9}}, nil, 1, "minimum"},
		{[]Point{{9, 9}}, nil, 0, ""},
	}
	for _, tt := range tests {
		cp, err := newContourPicture(rosenbrock, [2]float64{-2, 2}, [2]float64{-1, 3}, tt.paths, Options{Resolution: 21, Minima: tt.minima})
		if err != nil {
			t.Fatal(err)
		}
		if len(cp.minima) != tt.drawn {
			t.Errorf("minima %v: %d drawn, want %d", tt.minima, len(cp.minima), tt.drawn)
		}
		var names []string
		for _, e := range cp.fig.leg.entries {
			names = append(names, e.name)
		}
		last := ""
		if len(names) > 0 {
			last = names[len(names)-1]
		}
		if last != tt.entry {
			t.Errorf("minima %v: legend %q, want it to end with %q", tt.minima, names, tt.entry)
		}
	}
}

func TestNewOptionErrors(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "x.png")
	s := []Series{{Y: []float64{1, 2}}}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"NaN mark", Lines(png, s, Options{Marks: []Mark{{X: 1}, {X: math.NaN()}}}), "plot: Options.Marks[1].X must be finite, got NaN"},
		{"infinite minimum", Contour(png, bumpy, [2]float64{-1, 1}, [2]float64{-1, 1}, nil, Options{Minima: []Point{{math.Inf(1), 0}}}),
			"plot: Options.Minima[0] must be finite, got (+Inf, 0)"},
		{"negative lr", Lines(png, []Series{{Name: "adam", LR: -0.1, Y: []float64{1}}}, Options{}), `plot: series "adam": LR must be 0 (not shown) or positive and finite, got -0.1`},
		{"narrow contour", Contour(png, bumpy, [2]float64{1, 1.0000000000000002}, [2]float64{-1, 1}, nil, Options{}),
			"plot: contour: xr = [1, 1.0000000000000002] is too narrow to draw"},
		{"contour width overflows", Contour(png, bumpy, [2]float64{-1, 1}, [2]float64{-1.7e308, 1.7e308}, nil, Options{}),
			"plot: contour: yr = [-1.7e+308, 1.7e+308] is too wide: its width overflows float64"},
		{"too many marks", Lines(png, s, Options{Marks: make([]Mark, maxMarks+1)}), "plot: Options.Marks has 101 marks, more than 100"},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one containing %q", tt.name, tt.err, tt.want)
		}
	}
}

// TestSupText: a label with an exponent is measured and drawn with the
// exponent raised and smaller; plain labels are untouched.
func TestSupText(t *testing.T) {
	h := newSupText()
	f := fontSize(sans, 10)
	wPlain, hPlain, _ := h.Box("2×10", f)
	w, ht, _ := h.Box("2×10^-6", f)
	wExp, _, _ := h.Plain.Box("-6", f)
	if !(w > wPlain && w < wPlain+wExp) {
		t.Errorf("width %v: want more than the base's %v and less than base plus a full-size exponent %v", w, wPlain, wPlain+wExp)
	}
	if !(ht > hPlain) {
		t.Errorf("height %v: the raised exponent should make it taller than %v", ht, hPlain)
	}
	if a, b, c := h.Box("0.5", f); a == 0 || b == 0 || c == 0 {
		t.Errorf("plain Box = %v %v %v", a, b, c)
	}
}
