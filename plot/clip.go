package plot

import "math"

// pt is a point in data coordinates.
type pt struct{ x, y float64 }

// box is the visible region of a picture. Bounds may be infinite; Y bounds
// are in data units (not log units) and must be > 0 on a log axis.
type box struct{ xlo, xhi, ylo, yhi float64 }

// unbounded is a box that clips nothing.
var unbounded = box{math.Inf(-1), math.Inf(1), math.Inf(-1), math.Inf(1)}

// trace is a series after clipping: what is drawn and what the legend says.
type trace struct {
	pieces    [][]pt // visible runs, each drawn as one polyline (a lone point as a dot)
	clipped   bool   // some part of the series lies outside the box or is non-finite
	nonFinite bool   // some Y is NaN or ±Inf (or some X is)
	escaped   bool   // the series ends outside the box or non-finite: it diverged
	exit      *pt    // where the series last left the box through its edge, if it escaped
	dropped   int    // values ≤ 0 left out on a log axis
}

// suffix is the legend note for the trace: "", " (clipped)" or " (diverged, clipped)".
func (t trace) suffix() string {
	switch {
	case t.escaped && (t.clipped || t.nonFinite):
		return " (diverged, clipped)"
	case t.clipped:
		return " (clipped)"
	}
	return ""
}

// kind classifies one sample of a series.
type kind uint8

const (
	gap   kind = iota // not drawable and not "above": X non-finite, Y = -Inf, or Y ≤ 0 on a log axis
	above             // Y is NaN or +Inf: off the top of any scale, as a diverged loss is
	point             // finite (in plotting space)
)

// clipTrace cuts the polyline (xs[i], ys[i]) to the box b, working in plotting
// space (log₁₀ y when logY), so that cuts land where the drawn line meets the
// frame. NaN and +Inf in Y count as "above the top": the line is drawn up to
// the top edge at that sample's X, then broken. Values that cannot be placed
// at all (non-finite X, -Inf, y ≤ 0 on a log axis) break the line.
// len(xs) must equal len(ys); a nil xs means the indices 0, 1, ….
func clipTrace(xs, ys []float64, b box, logY bool) trace {
	var t trace
	ty := func(y float64) float64 {
		if logY {
			return math.Log10(y)
		}
		return y
	}
	inv := func(y float64) float64 {
		if logY {
			// log₁₀ and back may round past the largest float.
			return math.Min(math.Pow(10, y), math.MaxFloat64)
		}
		return y
	}
	lo, hi := ty(b.ylo), ty(b.yhi)
	if logY && !(b.ylo > 0) {
		lo = math.Inf(-1)
	}
	inside := func(p pt) bool { return p.x >= b.xlo && p.x <= b.xhi && p.y >= lo && p.y <= hi }

	// The pieces share one backing array, sized for the usual case (every
	// sample kept, a few crossings added), so a long series is not copied
	// again and again as its piece grows.
	buf := make([]pt, 0, len(ys)+16)
	start := 0
	var cur []pt
	flush := func() {
		if len(cur) > 0 {
			t.pieces = append(t.pieces, cur[:len(cur):len(cur)])
		}
		start = len(buf)
		cur = buf[start:]
	}
	add := func(p pt) {
		buf = append(buf, pt{p.x, inv(p.y)})
		cur = buf[start:]
	}
	// segment clips a→b, appending the visible part; it reports whether the
	// visible part ends before b (the line left the box).
	segment := func(a, c pt) (left bool, exit pt) {
		t0, t1, ok := liangBarsky(a, c, b.xlo, b.xhi, lo, hi)
		if !ok || (t1 <= t0 && t0 > 0) {
			// Missed the box, or only grazes its edge.
			flush()
			return false, pt{}
		}
		p0 := lerp(a, c, t0)
		p1 := lerp(a, c, t1)
		if t0 > 0 || len(cur) == 0 {
			flush()
			add(p0)
		}
		add(p1)
		if t1 < 1 {
			flush()
			return true, p1
		}
		return false, pt{}
	}

	prevKind := gap
	var prev pt
	last := gap
	lastInside := false
	for i := range ys {
		x, y := float64(i), ys[i]
		if xs != nil {
			x = xs[i]
		}
		k := point
		switch {
		case !isFinite(x):
			k = gap
			t.nonFinite = true
		case math.IsNaN(y) || math.IsInf(y, 1):
			k = above
			t.nonFinite = true
		case math.IsInf(y, -1):
			k = gap
			t.nonFinite = true
		case logY && y <= 0:
			k = gap
			t.dropped++
		}
		p := pt{x, 0}
		if k == point {
			p.y = ty(y)
		}
		switch {
		case k == point && !inside(p):
			t.clipped = true
		case k == above:
			t.clipped = true
		}

		switch {
		case k == point && prevKind == point:
			if left, e := segment(prev, p); left {
				t.exit = &pt{e.x, inv(e.y)}
			}
		case k == point && prevKind == above && !math.IsInf(hi, 1):
			// Coming back from off the top: enter at the top edge above the previous sample.
			segment(pt{prev.x, hi}, p)
		case k == point:
			flush()
			if inside(p) {
				add(p)
			}
		case k == above && prevKind == point && !math.IsInf(hi, 1):
			// Shooting off the top: draw up to the top edge at this sample's X.
			q := pt{x, hi}
			if left, e := segment(prev, q); left {
				t.exit = &pt{e.x, inv(e.y)}
			} else if len(cur) > 0 {
				t.exit = &pt{q.x, inv(q.y)}
			}
			flush()
		default:
			flush()
		}
		if k != gap {
			last = k
			lastInside = k == point && inside(p)
		}
		prevKind, prev = k, p
	}
	flush()
	t.escaped = last == above || (last == point && !lastInside)
	if !t.escaped {
		t.exit = nil
	}
	return t
}

// lerp is a + t·(b − a), computed on halves so that b − a cannot overflow
// for points near ±math.MaxFloat64.
func lerp(a, b pt, t float64) pt {
	if t == 0 {
		return a
	}
	if t == 1 {
		return b
	}
	hx, hy := t*(b.x/2-a.x/2), t*(b.y/2-a.y/2)
	return pt{a.x + hx + hx, a.y + hy + hy}
}

// liangBarsky returns the parameter interval [t0, t1] ⊆ [0, 1] of the
// segment a→b inside the box [xlo, xhi]×[ylo, yhi], and false when none of it
// is inside. Infinite bounds are allowed. Differences are taken on halves
// (the ratios q/p are unchanged), so coordinates near ±math.MaxFloat64 do
// not overflow.
//
// Liang, Y. D. and Barsky, B. A., "A new concept and method for line clipping",
// ACM Transactions on Graphics 3(1), 1984.
func liangBarsky(a, b pt, xlo, xhi, ylo, yhi float64) (t0, t1 float64, ok bool) {
	dx, dy := b.x/2-a.x/2, b.y/2-a.y/2
	t0, t1 = 0, 1
	for _, e := range [4]struct{ p, q float64 }{
		{-dx, a.x/2 - xlo/2}, {dx, xhi/2 - a.x/2}, {-dy, a.y/2 - ylo/2}, {dy, yhi/2 - a.y/2},
	} {
		if e.p == 0 {
			if e.q < 0 {
				return 0, 0, false
			}
			continue
		}
		r := e.q / e.p
		if e.p < 0 {
			if r > t1 {
				return 0, 0, false
			}
			if r > t0 {
				t0 = r
			}
		} else {
			if r < t0 {
				return 0, 0, false
			}
			if r < t1 {
				t1 = r
			}
		}
	}
	return t0, t1, true
}
