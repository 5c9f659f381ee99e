package plot

import (
	"math"

	"gonum.org/v1/plot"
)

// logTicks labels a log₁₀ axis: powers of ten when the range spans at least
// two of them (every 2nd, 3rd, 5th, 10th… when there are many, counted from
// the lowest; 2 and 5 times them too when there are only two), otherwise 1, 2 and 5 times powers of ten, otherwise round
// linear ticks. Unlike plot.LogTicks it never panics, always labels at
// least two ticks inside a short range, and labels its lowest tick: a
// reader needs a value at the bottom of a loss axis. An unlabelled tick
// below the lowest label is labelled when it is far enough from it
// (lowGap of the axis, in decades) and dropped otherwise, so the two
// labels never collide.
//
// Every loop runs over decade exponents, at most 650 of them (10⁻³²⁴ to
// 10³⁰⁸), or over the few mantissas 1…9, so any range returns at once.
type logTicks struct{}

var _ plot.Ticker = logTicks{}

const (
	// maxDecadeLabels bounds the number of labelled powers of ten.
	maxDecadeLabels = 8
	// maxDecadeTicks bounds the unlabelled powers of ten drawn between labels.
	maxDecadeTicks = 40
	// lowGap is the smallest distance, as a fraction of the axis in
	// decades, between a labelled lowest tick and the next label.
	lowGap = 0.08
)

// Ticks implements plot.Ticker.
func (logTicks) Ticks(min, max float64) []plot.Tick {
	return logTicks{}.ticks(min, max).ticks()
}

func (logTicks) ticks(min, max float64) tickSet {
	if !(min > 0) || !(max > min) || math.IsInf(max, 0) {
		return tickSet{}
	}
	lo := int(math.Floor(math.Log10(min)))
	hi := int(math.Ceil(math.Log10(max)))
	in := func(v float64) bool { return v >= min*(1-1e-12) && v <= max*(1+1e-12) }
	clamp := func(v float64) float64 { return math.Min(math.Max(v, min), max) }

	var powers []int
	for e := lo; e <= hi; e++ {
		if v := math.Pow10(e); v > 0 && in(v) {
			powers = append(powers, e)
		}
	}
	type tick struct {
		v        float64
		labelled bool
	}
	var ts []tick
	if len(powers) >= 2 {
		// Label every step-th power from the lowest, step a round number of decades.
		step := 1
		for _, m := range []int{1, 2, 3, 5, 10, 20, 30, 50, 100, 200} {
			step = m
			if (len(powers)+m-1)/m <= maxDecadeLabels {
				break
			}
		}
		minors := step == 1 && len(powers) <= maxDecadeLabels+1
		for _, e := range append([]int{powers[0] - 1}, powers...) {
			v := math.Pow10(e)
			if e >= powers[0] {
				k := e - powers[0]
				if k%step == 0 || len(powers) <= maxDecadeTicks {
					ts = append(ts, tick{clamp(v), k%step == 0})
				}
			}
			if minors {
				for m := 2; m < 10; m++ {
					if w := float64(m) * v; in(w) {
						// Two decades or less: label 2 and 5 too, or the axis has too few values.
						ts = append(ts, tick{clamp(w), len(powers) <= 2 && (m == 2 || m == 5)})
					}
				}
			}
		}
	} else {
		labelled := 0
		for e := lo - 1; e <= hi; e++ {
			for m := 1; m < 10; m++ {
				v := float64(m) * math.Pow10(e)
				if !(v > 0) || !in(v) {
					continue
				}
				lab := m == 1 || m == 2 || m == 5
				if lab {
					labelled++
				}
				ts = append(ts, tick{clamp(v), lab})
			}
		}
		if labelled < 2 {
			// A narrow range: round linear ticks, no minor ticks below the lowest label.
			s := niceTicks{}.ticks(min, max)
			if len(s.major) > 0 {
				kept := s.minor[:0]
				for _, v := range s.minor {
					if v > s.major[0] {
						kept = append(kept, v)
					}
				}
				s.minor = kept
			}
			return s
		}
	}
	sortTicks := func() {
		for i := 1; i < len(ts); i++ { // insertion sort: short and nearly sorted
			for j := i; j > 0 && ts[j].v < ts[j-1].v; j-- {
				ts[j], ts[j-1] = ts[j-1], ts[j]
			}
		}
	}
	sortTicks()
	// Label the lowest tick, or drop what lies too close below the lowest label.
	first := -1
	for i, t := range ts {
		if t.labelled {
			first = i
			break
		}
	}
	if first > 0 {
		gap := math.Log10(ts[first].v) - math.Log10(ts[0].v)
		if gap >= lowGap*(math.Log10(max)-math.Log10(min)) {
			ts[0].labelled = true
		} else {
			ts = ts[first:]
		}
	}
	var s tickSet
	for _, t := range ts {
		if t.labelled {
			if len(s.major) == 0 || t.v > s.major[len(s.major)-1] {
				s.major = append(s.major, t.v)
			}
		} else {
			s.minor = append(s.minor, t.v)
		}
	}
	s.labels = formatLog(s.major)
	return s
}
