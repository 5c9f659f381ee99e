package plot

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestDecimate: a long series keeps its extremes (a one-point spike and a
// one-point dip), its ends and its order, in a bounded number of points.
func TestDecimate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	n := 1_000_003
	ps := make([]pt, n)
	for i := range ps {
		ps[i] = pt{float64(i), r.Float64()}
	}
	ps[777_777].y = 50
	ps[123_456].y = -50
	out := decimate(ps)
	if len(out) > 6*decimateBuckets {
		t.Fatalf("%d points kept, want at most %d", len(out), 6*decimateBuckets)
	}
	if out[0] != ps[0] || out[len(out)-1] != ps[n-1] {
		t.Errorf("ends not kept: %v … %v", out[0], out[len(out)-1])
	}
	spike, dip := false, false
	for i, q := range out {
		spike = spike || q == ps[777_777]
		dip = dip || q == ps[123_456]
		if i > 0 && !(q.x > out[i-1].x) {
			t.Fatalf("order lost at %d: %v after %v", i, q, out[i-1])
		}
	}
	if !spike || !dip {
		t.Errorf("extremes lost: spike kept %v, dip kept %v", spike, dip)
	}
	// Short series pass through untouched.
	short := ps[:decimateAbove]
	if got := decimate(short); len(got) != len(short) {
		t.Errorf("short series decimated to %d", len(got))
	}
	// A path whose x goes back and forth keeps its x extremes too.
	zig := make([]pt, 100_000)
	for i := range zig {
		zig[i] = pt{math.Sin(float64(i)), float64(i)}
	}
	zig[50_001].x = 9
	found := false
	for _, q := range decimate(zig) {
		found = found || q.x == 9
	}
	if !found {
		t.Error("x extreme of a 2-D path lost")
	}
}

// TestLinesHugeSeries: two million steps with one spike draw promptly, the
// spike survives into what is drawn, and the legend and axes are sane.
func TestLinesHugeSeries(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 2e6-point picture")
	}
	y := make([]float64, 2_000_000)
	for i := range y {
		y[i] = 1 / (1 + float64(i)/1e5)
	}
	y[1_234_567] = 3
	var f *figure
	var err error
	within(t, 20*time.Second, "Lines on 2e6 points", func() {
		f, err = linesFigure([]Series{{Name: "loss", Y: y}}, Options{IntegerX: true})
		if err == nil {
			f.draw(testCanvas(16, 10))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	n, top := 0, 0.0
	for _, l := range f.leg.lines {
		n += len(l)
		for _, q := range l {
			top = math.Max(top, q.y)
		}
	}
	if n > 6*decimateBuckets {
		t.Errorf("%d points drawn, want at most %d", n, 6*decimateBuckets)
	}
	if top != 3 {
		t.Errorf("the spike to 3 was lost (highest drawn %v)", top)
	}
	if f.p.Y.Max < 3 {
		t.Errorf("y axis tops at %v, below the spike", f.p.Y.Max)
	}
}

// BenchmarkLinesHuge measures building and drawing a 1e6-point loss curve
// (decimated to at most 6·4096 points) on a recording canvas.
func BenchmarkLinesHuge(b *testing.B) {
	y := make([]float64, 1_000_000)
	for i := range y {
		y[i] = 1/(1+float64(i)/1e5) + 0.01*math.Sin(float64(i))
	}
	s := []Series{{Name: "loss", Y: y}}
	b.ReportAllocs()
	for b.Loop() {
		f, err := linesFigure(s, Options{})
		if err != nil {
			b.Fatal(err)
		}
		f.draw(testCanvas(16, 10))
	}
}
