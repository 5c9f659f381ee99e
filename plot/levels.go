package plot

import (
	"fmt"
	"math"
	"sort"
)

// LevelSpacing says how Contour spaces its contour levels between the
// smallest value m and the largest value M of f on the grid.
// The zero value is SpacingAuto.
type LevelSpacing int

// Level spacings.
const (
	// SpacingAuto uses SpacingLog when the surface is a steep narrow valley
	// (the median of f − m is below 15% of M − m, as for Rosenbrock's
	// and Himmelblau's functions; a bowl or a bumpy surface is near 30–40%) and SpacingLinear otherwise.
	SpacingAuto LevelSpacing = iota
	// SpacingLinear puts at most n levels, evenly spaced at the multiples
	// of a round step (1, 2, 2.5 or 5 × 10ᵏ) that lie strictly inside (m, M).
	SpacingLinear
	// SpacingLog puts at most n levels at m + d, with the offsets d on a
	// round log scale (1, 2, 5 × 10ᵏ, or 1, 3 × 10ᵏ, or powers of ten) from
	// the 1% quantile q of f − m up to M − m, so that the valley floor gets
	// as many contours as the walls. When 0 ≤ m < q (a loss whose minimum
	// is near zero) the levels themselves are the round values in [m+q, M).
	SpacingLog
	// SpacingQuantile puts n levels at the quantiles k/(n+1) of f on the
	// grid, so each band between levels covers the same area.
	SpacingQuantile
)

// String returns the spacing's name, e.g. "log".
func (s LevelSpacing) String() string {
	switch s {
	case SpacingAuto:
		return "auto"
	case SpacingLinear:
		return "linear"
	case SpacingLog:
		return "log"
	case SpacingQuantile:
		return "quantile"
	}
	return fmt.Sprintf("LevelSpacing(%d)", int(s))
}

// skewRatio is the SpacingAuto threshold on median(f − m)/(M − m).
const skewRatio = 0.15

// chooseLevels returns up to n strictly increasing levels strictly inside
// (min, max) of the finite values zs, and the spacing actually used. It
// returns no levels for a constant surface. zs is not modified.
func chooseLevels(zs []float64, n int, s LevelSpacing) ([]float64, LevelSpacing) {
	v := make([]float64, 0, len(zs))
	for _, z := range zs {
		if isFinite(z) {
			v = append(v, z)
		}
	}
	if len(v) == 0 {
		return nil, s
	}
	sort.Float64s(v)
	lo, hi := v[0], v[len(v)-1]
	half := hi/2 - lo/2 // half the span: finite even when hi − lo overflows
	if !(half > 0) || 2*half <= flatRel*math.Max(math.Abs(lo), math.Abs(hi)) || 2*half < tinyAbs {
		// Constant, or constant to 9 significant digits: no level could be
		// labelled apart from its neighbours.
		return nil, s
	}
	span := hi - lo
	if math.IsInf(span, 0) {
		// Values near ±1.8e308: only linear levels are computed on halves.
		return linearLevels(lo, hi, n), SpacingLinear
	}
	if s == SpacingAuto {
		s = SpacingLinear
		if med := quantile7(v, 0.5); (med-lo)/span < skewRatio {
			s = SpacingLog
		}
	}
	var levels []float64
	switch s {
	case SpacingLinear:
		levels = linearLevels(lo, hi, n)
	case SpacingLog:
		d0 := quantile7(v, 0.01) - lo
		d0 = math.Max(d0, span*1e-6)
		if lo >= 0 && lo < d0 {
			// A minimum near zero (a loss): round levels read better than lo + round.
			levels = logLevels(lo+d0, hi, n)
		} else {
			for _, d := range logLevels(d0, span, n) {
				levels = append(levels, lo+d)
			}
		}
	case SpacingQuantile:
		for k := 1; k <= n; k++ {
			levels = append(levels, quantile7(v, float64(k)/float64(n+1)))
		}
	}
	// Drop repeats and anything not strictly inside (lo, hi): a flat region
	// makes quantiles coincide.
	out := levels[:0]
	for _, l := range levels {
		if l > lo && l < hi && (len(out) == 0 || l > out[len(out)-1]) {
			out = append(out, l)
		}
	}
	return out, s
}

// linearLevels returns the multiples of the smallest round step
// (1, 2, 2.5 or 5 × 10ᵏ) of which at most n lie strictly inside (lo, hi).
// The multiples are counted before any is made, so a range of a few ulps
// (where k·step + step rounds back to k·step) cannot loop forever.
func linearLevels(lo, hi float64, n int) []float64 {
	half := hi/2 - lo/2
	if !(half > 0) || half < minSpan || half*2 <= flatRel*math.Max(math.Abs(lo), math.Abs(hi)) {
		return nil
	}
	mag := math.Pow10(int(math.Floor(math.Log10(half) + math.Log10(2) - math.Log10(float64(n+1)))))
	for _, m := range []float64{1, 2, 2.5, 5, 10, 20, 25, 50, 100} {
		step := m * mag
		if math.IsInf(step, 0) {
			break
		}
		first := math.Floor(lo/step) + 1
		last := math.Ceil(hi/step) - 1
		if last-first+1 > float64(n) {
			continue
		}
		var out []float64
		for _, v := range multiples(first, last, step, lo, hi, false) {
			if v > lo && v < hi {
				out = append(out, v)
			}
		}
		return out
	}
	return nil
}

// logLevels returns the densest round log sequence in [d0, span) with at
// most n members: 1-2-5 per decade, then 1-3, then one per decade, then one
// every 2, 3, … decades. It falls back to a geometric sequence.
func logLevels(d0, span float64, n int) []float64 {
	e0 := int(math.Floor(math.Log10(d0)))
	e1 := int(math.Ceil(math.Log10(span)))
	type scheme struct {
		mant   []float64
		stride int
	}
	schemes := []scheme{{[]float64{1, 2, 5}, 1}, {[]float64{1, 3}, 1}}
	for stride := 1; stride <= e1-e0+1; stride++ {
		schemes = append(schemes, scheme{[]float64{1}, stride})
	}
	for _, sc := range schemes {
		var out []float64
		for e := e0; e <= e1; e++ {
			if ((e%sc.stride)+sc.stride)%sc.stride != 0 {
				continue
			}
			for _, m := range sc.mant {
				if d := m * math.Pow10(e); d >= d0 && d < span {
					out = append(out, d)
				}
			}
		}
		if len(out) <= n {
			if len(out) >= 2 {
				return out
			}
			break
		}
	}
	out := make([]float64, n)
	r := math.Log(span / d0)
	for k := range out {
		out[k] = d0 * math.Exp(r*float64(k)/float64(n))
	}
	return out
}

// quantile7 is the p-quantile of sorted values by linear interpolation
// between order statistics (Hyndman & Fan's type 7, the default of R and
// NumPy; gonum/stat offers only the empirical and type 4 definitions):
// with h = (N−1)·p, it is v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]).
//
// Hyndman, R. J. and Fan, Y., "Sample quantiles in statistical packages",
// The American Statistician 50(4), 1996.
func quantile7(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	i := int(math.Floor(h))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}
