package plot

import (
	"math"
	"testing"
)

func TestClipTrace(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	top4 := unbounded
	top4.yhi = 4
	xbox := box{-1, 3, math.Inf(-1), math.Inf(1)}
	tests := []struct {
		name    string
		xs, ys  []float64
		b       box
		logY    bool
		pieces  [][]pt
		exit    *pt
		suffix  string
		escaped bool
		dropped int
	}{
		{name: "inside", ys: []float64{4, 2, 1}, b: unbounded,
			pieces: [][]pt{{{0, 4}, {1, 2}, {2, 1}}}},
		{name: "diverges to NaN above the top", ys: []float64{1, 2, 8, nan}, b: top4,
			pieces: [][]pt{{{0, 1}, {1, 2}, {4.0 / 3, 4}}}, exit: &pt{4.0 / 3, 4},
			suffix: " (diverged, clipped)", escaped: true},
		{name: "spike above the top comes back", ys: []float64{1, 10, 1}, b: top4,
			pieces: [][]pt{{{0, 1}, {1.0 / 3, 4}}, {{5.0 / 3, 4}, {2, 1}}}, suffix: " (clipped)"},
		{name: "+Inf in the middle", ys: []float64{1, inf, 1}, b: top4,
			pieces: [][]pt{{{0, 1}, {1, 4}}, {{1, 4}, {2, 1}}}, suffix: " (clipped)"},
		{name: "ends above a finite top", ys: []float64{1, 3, 5, 7}, b: top4,
			pieces: [][]pt{{{0, 1}, {1, 3}, {1.5, 4}}}, exit: &pt{1.5, 4},
			suffix: " (diverged, clipped)", escaped: true},
		{name: "log axis drops zero", ys: []float64{1, 0.1, 0, 0.01}, b: unbounded, logY: true,
			pieces: [][]pt{{{0, 1}, {1, 0.1}}, {{3, 0.01}}}, dropped: 1},
		{name: "log axis clips in log space", ys: []float64{1, 100}, b: box{math.Inf(-1), math.Inf(1), 0, 10}, logY: true,
			pieces: [][]pt{{{0, 1}, {0.5, 10}}}, exit: &pt{0.5, 10}, suffix: " (diverged, clipped)", escaped: true},
		{name: "path leaves through the right edge", xs: []float64{0, 2, 4}, ys: []float64{0, 0, 0}, b: xbox,
			pieces: [][]pt{{{0, 0}, {2, 0}, {3, 0}}}, exit: &pt{3, 0}, suffix: " (diverged, clipped)", escaped: true},
		{name: "segment crossing the whole box", xs: []float64{-2, 4}, ys: []float64{1, 1}, b: xbox,
			pieces: [][]pt{{{-1, 1}, {3, 1}}}, exit: &pt{3, 1}, suffix: " (diverged, clipped)", escaped: true},
		{name: "-Inf breaks the line", ys: []float64{1, math.Inf(-1), 1}, b: unbounded,
			pieces: [][]pt{{{0, 1}}, {{2, 1}}}},
		{name: "NaN x breaks the line", xs: []float64{0, nan, 2}, ys: []float64{1, 1, 1}, b: unbounded,
			pieces: [][]pt{{{0, 1}}, {{2, 1}}}},
		{name: "nothing finite", ys: []float64{nan, nan}, b: top4,
			suffix: " (diverged, clipped)", escaped: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xs := tt.xs
			if xs == nil {
				xs = Series{Y: tt.ys}.xs()
			}
			got := clipTrace(xs, tt.ys, tt.b, tt.logY)
			if len(got.pieces) != len(tt.pieces) {
				t.Fatalf("pieces = %v, want %v", got.pieces, tt.pieces)
			}
			for i := range got.pieces {
				if !ptsNear(got.pieces[i], tt.pieces[i]) {
					t.Errorf("piece %d = %v, want %v", i, got.pieces[i], tt.pieces[i])
				}
			}
			switch {
			case (got.exit == nil) != (tt.exit == nil):
				t.Errorf("exit = %v, want %v", got.exit, tt.exit)
			case got.exit != nil && !ptsNear([]pt{*got.exit}, []pt{*tt.exit}):
				t.Errorf("exit = %v, want %v", *got.exit, *tt.exit)
			}
			if got.suffix() != tt.suffix {
				t.Errorf("suffix = %q, want %q", got.suffix(), tt.suffix)
			}
			if got.escaped != tt.escaped {
				t.Errorf("escaped = %v, want %v", got.escaped, tt.escaped)
			}
			if got.dropped != tt.dropped {
				t.Errorf("dropped = %d, want %d", got.dropped, tt.dropped)
			}
		})
	}
}

func ptsNear(a, b []pt) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i].x-b[i].x) > 1e-9 || math.Abs(a[i].y-b[i].y) > 1e-9*math.Max(1, math.Abs(b[i].y)) {
			return false
		}
	}
	return true
}

func TestLiangBarsky(t *testing.T) {
	tests := []struct {
		name   string
		a, b   pt
		t0, t1 float64
		ok     bool
	}{
		{"inside", pt{0.2, 0.2}, pt{0.8, 0.8}, 0, 1, true},
		{"enters and leaves", pt{-1, 0.5}, pt{2, 0.5}, 1.0 / 3, 2.0 / 3, true},
		{"misses", pt{-1, 2}, pt{2, 2}, 0, 0, false},
		{"parallel outside", pt{2, 0}, pt{2, 1}, 0, 0, false},
		{"diagonal through a corner region", pt{-0.5, 0}, pt{0.5, 1}, 0.5, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t0, t1, ok := liangBarsky(tt.a, tt.b, 0, 1, 0, 1)
			if ok != tt.ok || (ok && (math.Abs(t0-tt.t0) > 1e-12 || math.Abs(t1-tt.t1) > 1e-12)) {
				t.Errorf("got (%v, %v, %v), want (%v, %v, %v)", t0, t1, ok, tt.t0, tt.t1, tt.ok)
			}
		})
	}
}

func TestAutoTop(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name string
		ys   [][]float64
		logY bool
		want float64
	}{
		{"nothing explodes", [][]float64{{3, 2, 1}, {4, 3, 2}}, false, inf},
		{"NaN explodes; 30% above the calm span", [][]float64{{1, 0.5, 0.25}, {1, 5, nan}}, false, 1 + 0.3*0.75},
		{"1000x the largest start explodes", [][]float64{{10, 5, 1}, {10, 100, 20000}}, false, 10 + 0.3*9},
		{"900x does not", [][]float64{{10, 5, 1}, {10, 100, 9000}}, false, inf},
		{"all explode: 10x the start", [][]float64{{2, nan}}, false, 20},
		{"log: 30% of the decades above", [][]float64{{1, 0.1, 0.01}, {1, nan}}, true, math.Pow(10, 0.6)},
		{"log: at least a decade of span", [][]float64{{1, 1}, {1, inf}}, true, math.Pow(10, 0.3)},
		{"log ignores non-positive values", [][]float64{{0, 1, 0.1, 0.01}, {-1, 1, nan}}, true, math.Pow(10, 0.6)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := autoTop(tt.ys, tt.logY)
			if !(got == tt.want || math.Abs(got-tt.want) < 1e-12*math.Abs(tt.want)) {
				t.Errorf("autoTop = %v, want %v", got, tt.want)
			}
		})
	}
}
