package plot

import (
	"math"

	"gonum.org/v1/plot"
)

// niceTicks labels a linear axis at multiples of 1, 2, 2.5 or 5 × 10ᵏ, at
// most maxLabels of them, with unlabelled minor ticks between. gonum's
// DefaultTicks aims for three labels and may start them off-round (0.05,
// 0.25, 0.45); a learner reads values off these axes, so round ones help.
type niceTicks struct{}

var _ plot.Ticker = niceTicks{}

const maxLabels = 6

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(min, max float64) []plot.Tick {
	if !isFinite(min) || !isFinite(max) || !(max > min) {
		return nil
	}
	span := max - min
	mag := math.Pow(10, math.Floor(math.Log10(span/maxLabels)))
	var step, minor float64
	first, last := 0.0, 0.0
	for _, m := range []struct{ step, minor float64 }{
		{1, 0.2}, {2, 0.5}, {2.5, 0.5}, {5, 1}, {10, 2}, {20, 5}, {25, 5}, {50, 10},
	} {
		step, minor = m.step*mag, m.minor*mag
		first, last = math.Ceil(min/step-1e-9), math.Floor(max/step+1e-9)
		if last-first+1 <= maxLabels {
			break
		}
	}
	var ticks []plot.Tick
	for k := first; k <= last; k++ {
		v := k * step
		if v == 0 { // no "-0"
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: formatTick(v)})
	}
	for k := math.Ceil(min/minor - 1e-9); k <= math.Floor(max/minor+1e-9); k++ {
		v := k * minor
		if r := math.Abs(v/step - math.Round(v/step)); r > 1e-6 {
			ticks = append(ticks, plot.Tick{Value: v})
		}
	}
	return ticks
}
