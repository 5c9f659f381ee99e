package plot

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// logTicks labels a log₁₀ axis: powers of ten when the range spans at least
// two of them (every 2nd, 3rd, 5th, 10th… when there are many), otherwise
// 1, 2 and 5 times powers of ten, otherwise round linear ticks. Unlike plot.LogTicks it never
// panics and always labels at least two ticks inside a short range.
type logTicks struct{}

var _ plot.Ticker = logTicks{}

// maxDecadeLabels bounds the number of labelled powers of ten.
const maxDecadeLabels = 8

// Ticks implements plot.Ticker.
func (logTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max >= min) || math.IsInf(max, 0) {
		return nil
	}
	lo := int(math.Floor(math.Log10(min)))
	hi := int(math.Ceil(math.Log10(max)))
	in := func(v float64) bool { return v >= min*(1-1e-12) && v <= max*(1+1e-12) }

	inside := 0
	for e := lo; e <= hi; e++ {
		if in(math.Pow10(e)) {
			inside++
		}
	}
	if inside >= 2 {
		// Label every step-th power, step a round number of decades.
		step := 1
		for _, m := range []int{1, 2, 3, 5, 10, 20, 30, 50, 100} {
			step = m
			if (inside+m-1)/m <= maxDecadeLabels {
				break
			}
		}
		var ticks []plot.Tick
		for e := lo; e <= hi; e++ {
			v := math.Pow10(e)
			if in(v) {
				lab := ""
				if ((e%step)+step)%step == 0 {
					lab = formatTick(v)
				}
				ticks = append(ticks, plot.Tick{Value: v, Label: lab})
			}
			if step == 1 && hi-lo <= maxDecadeLabels {
				for m := 2; m < 10; m++ {
					if w := float64(m) * v; in(w) {
						ticks = append(ticks, plot.Tick{Value: w})
					}
				}
			}
		}
		return ticks
	}

	var ticks []plot.Tick
	labelled := 0
	for e := lo - 1; e <= hi; e++ {
		for m := 1; m < 10; m++ {
			v := float64(m) * math.Pow10(e)
			if !in(v) {
				continue
			}
			lab := ""
			if m == 1 || m == 2 || m == 5 {
				lab = formatTick(v)
				labelled++
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: lab})
		}
	}
	if labelled >= 2 {
		return ticks
	}
	return niceTicks{}.Ticks(min, max)
}

// formatTick writes v plainly when 10⁻³ ≤ |v| < 10⁵ and as "2.5e-06" style otherwise.
func formatTick(v float64) string {
	if v == 0 {
		return "0"
	}
	e := int(math.Floor(math.Log10(math.Abs(v))))
	if e >= -3 && e <= 4 {
		// Round to 12 significant digits first so 3×0.1 prints as 0.3.
		r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	m := v / math.Pow10(e)
	m = math.Round(m*100) / 100
	return fmt.Sprintf("%se%d", strconv.FormatFloat(m, 'f', -1, 64), e)
}
