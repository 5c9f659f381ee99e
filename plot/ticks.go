package plot

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceTicks labels a linear axis at multiples of a round step, 1, 2, 2.5
// or 5 × 10ᵏ, with 2 to maxLabels labels and unlabelled minor ticks
// between. gonum's DefaultTicks aims for three labels and may start them
// off-round (0.05, 0.25, 0.45); a learner reads values off these axes, so
// round ones help. With integer set (an epoch axis) the step is a whole
// number ≥ 1 and so is every tick.
//
// The labels share one format, chosen by formatLinear. Every loop is
// bounded by a count computed up front, never by incrementing a float (a
// float above 2⁵³ does not change when 1 is added), so any range, however
// narrow or wide, yields at most maxTicks ticks at once. A range narrower
// than minRelSpan of its magnitude cannot be labelled with distinct round
// values; it gets one labelled tick at its midpoint.
type niceTicks struct {
	integer bool
}

var _ plot.Ticker = niceTicks{}

const (
	maxLabels = 6
	// maxTicks bounds the ticks (labelled and minor) any ticker returns.
	maxTicks = 200
	// minRelSpan is the narrowest range, relative to its magnitude
	// max(|min|, |max|), that niceTicks labels with round steps: at 10⁻¹²,
	// labels need 13 significant digits, near the 15.9 of a float64.
	minRelSpan = 1e-12
	// minSpan is the narrowest absolute range niceTicks labels with round
	// steps; below it the steps would be subnormal and inexact.
	minSpan = 1e-290
)

// stepScheme is a label step m·10ᵉ and the minor step between its labels.
type stepScheme struct{ step, minor float64 }

var (
	realSteps = []stepScheme{{1, 0.2}, {2, 0.5}, {2.5, 0.5}, {5, 1}, {10, 2}, {20, 5}, {25, 5}, {50, 10}}
	// unitSteps replace realSteps at e = 0 on an integer axis: no 2.5, no minor ticks between integers 1 apart.
	unitSteps = []stepScheme{{1, 0}, {2, 1}, {5, 1}, {10, 2}, {20, 5}, {25, 5}, {50, 10}}
)

// Ticks implements plot.Ticker.
func (t niceTicks) Ticks(min, max float64) []plot.Tick {
	return t.ticks(min, max).ticks()
}

// tickSet is what a ticker chose: the labelled values in increasing order
// with their labels, and the minor (unlabelled) values.
type tickSet struct {
	major  []float64
	labels []string
	minor  []float64
}

// ticks returns the set as gonum ticks, majors first.
func (s tickSet) ticks() []plot.Tick {
	if len(s.major) == 0 && len(s.minor) == 0 {
		return nil
	}
	out := make([]plot.Tick, 0, len(s.major)+len(s.minor))
	for i, v := range s.major {
		out = append(out, plot.Tick{Value: v, Label: s.labels[i]})
	}
	for _, v := range s.minor {
		out = append(out, plot.Tick{Value: v})
	}
	return out
}

// ticks chooses the ticks of [min, max].
func (t niceTicks) ticks(min, max float64) tickSet {
	if !isFinite(min) || !isFinite(max) || !(max > min) {
		return tickSet{}
	}
	half := max/2 - min/2 // the span halved: finite even when max - min overflows
	mag := math.Max(math.Abs(min), math.Abs(max))
	if !(half > 0) || half < minSpan/2 || half < mag*minRelSpan/2 {
		return midTick(min, max, t.integer)
	}
	e := int(math.Floor(math.Log10(half) + math.Log10(2) - math.Log10(maxLabels)))
	if t.integer && e < 0 {
		e = 0
	}
	schemes := realSteps
	if t.integer && e == 0 {
		schemes = unitSteps
	}
	for _, m := range schemes {
		step := m.step * math.Pow10(e)
		if math.IsInf(step, 0) {
			break
		}
		first, last := math.Ceil(min/step-1e-9), math.Floor(max/step+1e-9)
		if last-first+1 > maxLabels {
			continue
		}
		s := tickSet{major: multiples(first, last, step, min, max, t.integer)}
		if m.minor > 0 {
			minor := m.minor * math.Pow10(e)
			ratio := math.Round(m.step / m.minor)
			fm, lm := math.Ceil(min/minor-1e-9), math.Floor(max/minor+1e-9)
			for _, v := range multiples(fm, lm, minor, min, max, t.integer) {
				if k := math.Round(v / minor); math.Mod(k, ratio) != 0 {
					s.minor = append(s.minor, v)
				}
			}
		}
		s.labels = formatLinear(s.major, m.step, e)
		return s
	}
	return tickSet{}
}

// multiples returns k·step for the whole numbers k in [first, last],
// rounded to 15 significant digits (so 3 × 0.1 is 0.3) and clamped into
// [min, max] (the callers' bounds allow a 10⁻⁹ step of slack), or, when
// exact is set (whole-number ticks must stay whole), with those outside
// left out. It returns nothing when there would be more than maxTicks.
func multiples(first, last, step, min, max float64, exact bool) []float64 {
	n := last - first + 1
	if !(n >= 1) || n > maxTicks {
		return nil
	}
	out := make([]float64, 0, int(n))
	for i := range int(n) {
		v := snap((first + float64(i)) * step)
		if v == 0 {
			v = 0 // no "-0"
		}
		if exact && (v < min || v > max) {
			continue
		}
		v = math.Min(math.Max(v, min), max)
		if len(out) == 0 || v > out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

// snap rounds v to 15 significant digits.
func snap(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil || !isFinite(r) {
		return v
	}
	return r
}

// midTick is the one labelled tick of a range too narrow to step through:
// its midpoint, written with as many digits as tell it apart (an integer
// axis gets the nearest whole number inside, or nothing).
func midTick(min, max float64, integer bool) tickSet {
	v := min/2 + max/2
	if integer {
		v = math.Round(v)
		if v < min || v > max {
			return tickSet{}
		}
	}
	v = math.Min(math.Max(v, min), max)
	return tickSet{major: []float64{v}, labels: []string{formatValue(v, 17)}}
}
