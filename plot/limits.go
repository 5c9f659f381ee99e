package plot

import "math"

// divergeFactor is how far above the largest starting value a series must
// climb before the automatic Y limit treats it as diverged.
const divergeFactor = 1e3

// autoTop is the automatic top of the Y axis for Lines (Options.YMax = 0).
//
// A series explodes when it holds a NaN or +Inf, or when its largest finite
// value exceeds divergeFactor × s, where s is the largest |first finite
// value| over all series. When nothing explodes the result is +Inf (no
// clipping). Otherwise the top is set from the series that did not explode:
// their largest value plus 30% of their span (in log₁₀ units on a log axis),
// so that the exploding curves visibly leave through the top. When every
// series explodes, the top is 10 × s. The top never exceeds math.MaxFloat64.
func autoTop(ys [][]float64, logY bool) float64 {
	ok := func(y float64) bool { return isFinite(y) && (!logY || y > 0) }
	scale := 0.0
	for _, s := range ys {
		for _, y := range s {
			if ok(y) {
				scale = math.Max(scale, math.Abs(y))
				break
			}
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	exploded := false
	for _, s := range ys {
		boom := false
		slo, shi := math.Inf(1), math.Inf(-1)
		for _, y := range s {
			switch {
			case math.IsNaN(y) || math.IsInf(y, 1):
				boom = true
			case ok(y):
				slo, shi = math.Min(slo, y), math.Max(shi, y)
			}
		}
		if scale > 0 && shi > divergeFactor*scale {
			boom = true
		}
		if boom {
			exploded = true
			continue
		}
		lo, hi = math.Min(lo, slo), math.Max(hi, shi)
	}
	switch {
	case !exploded:
		return math.Inf(1)
	case math.IsInf(hi, -1): // every series exploded
		if scale > 0 {
			return clampFloat(10 * scale)
		}
		return math.Inf(1)
	case logY:
		span := math.Max(math.Log10(hi)-math.Log10(lo), 1)
		return clampFloat(math.Pow(10, math.Log10(hi)+0.3*span))
	default:
		half := hi/2 - lo/2 // half the span, finite even near ±MaxFloat64
		if half == 0 {
			half = math.Max(math.Abs(hi), 1) / 2
		}
		return clampFloat(hi + 0.6*half)
	}
}
