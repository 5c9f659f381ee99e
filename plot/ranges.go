package plot

import "math"

// extent is the smallest box holding a set of finite points.
type extent struct {
	xlo, xhi, ylo, yhi float64
}

// emptyExtent holds nothing; add grows it.
func emptyExtent() extent {
	return extent{math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)}
}

// add grows e to hold (x, y); non-finite coordinates are skipped one by one.
func (e *extent) add(x, y float64) {
	if isFinite(x) {
		e.xlo, e.xhi = math.Min(e.xlo, x), math.Max(e.xhi, x)
	}
	if isFinite(y) {
		e.ylo, e.yhi = math.Min(e.ylo, y), math.Max(e.yhi, y)
	}
}

func (e extent) hasX() bool { return e.xlo <= e.xhi }
func (e extent) hasY() bool { return e.ylo <= e.yhi }

const (
	// flatRel is the relative width below which a range counts as flat:
	// its values agree to 9 significant digits, more than a tick label
	// shows, so the data are drawn as one level line.
	flatRel = 1e-9
	// tinyAbs: values smaller than this in magnitude are treated as 0 when
	// padding a flat range, so steps never become subnormal.
	tinyAbs = 1e-280
	// rangePad is the fraction of the data's span left empty beyond each
	// padded end, so no curve runs along the frame.
	rangePad = 0.05
)

// axisRange returns the range [a, b] an axis shows for data in [lo, hi]
// (finite, lo ≤ hi), with a < b both finite, b − a representable after
// halving, and tick labels able to tell its ends apart:
//
//   - A flat range (all values equal to 9 significant digits) is padded
//     by 5% of its value on each side, or by 1 when the value is 0 or the
//     axis is an integer axis, so a constant curve sits in the middle,
//     never on the frame. On a log axis it becomes [v/2, 2v].
//   - Otherwise each end with pad set moves out by 5% of the span (of the
//     span in decades on a log axis); the others stay.
//
// Ends are clamped to ±math.MaxFloat64 (and above 0 on a log axis).
func axisRange(lo, hi float64, log, integer, padLo, padHi bool) (float64, float64) {
	if log {
		return logRange(lo, hi, padLo, padHi)
	}
	half := hi/2 - lo/2
	mag := math.Max(math.Abs(lo), math.Abs(hi))
	if half*2 <= flatRel*mag || half < tinyAbs {
		mid := lo/2 + hi/2
		pad := rangePad * math.Abs(mid)
		if integer || math.Abs(mid) < tinyAbs {
			pad = 1
		}
		a, b := mid-pad, mid+pad
		switch {
		case !padHi && padLo:
			a, b = mid-2*pad, mid
		case !padLo && padHi:
			a, b = mid, mid+2*pad
		}
		return clampFloat(a), clampFloat(b)
	}
	a, b := lo, hi
	if padLo {
		a = lo - 2*rangePad*half
	}
	if padHi {
		b = hi + 2*rangePad*half
	}
	return clampFloat(a), clampFloat(b)
}

// logRange is axisRange for a log axis; lo must be > 0.
func logRange(lo, hi float64, padLo, padHi bool) (float64, float64) {
	l, h := math.Log10(lo), math.Log10(hi)
	if h-l < flatRel {
		a, b := lo/2, hi*2
		if !padHi && padLo {
			a, b = lo/4, hi
		} else if !padLo && padHi {
			a, b = lo, hi*4
		}
		if !(a > 0) {
			a = lo
		}
		return a, clampFloat(b)
	}
	a, b := lo, hi
	if padLo {
		if v := math.Pow(10, l-rangePad*(h-l)); v > 0 {
			a = v
		}
	}
	if padHi {
		b = clampFloat(math.Pow(10, h+rangePad*(h-l)))
	}
	return a, b
}

func clampFloat(v float64) float64 {
	return math.Max(-math.MaxFloat64, math.Min(math.MaxFloat64, v))
}
