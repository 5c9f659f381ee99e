package plot

import (
	"math"
	"testing"
)

// FuzzNiceTicks checks the linear tick generator's contract (see
// checkTicks) on any pair of floats, on real and integer axes, and that it
// returns at once: a float loop that cannot advance would hang the fuzzer.
// Seeds: testdata/fuzz/FuzzNiceTicks.
func FuzzNiceTicks(f *testing.F) {
	for _, r := range hostileRanges {
		f.Add(r[0], r[1], false)
	}
	f.Add(1.0, 20000.0, true)
	f.Fuzz(func(t *testing.T, min, max float64, integer bool) {
		ticks := niceTicks{integer: integer}.Ticks(min, max)
		name := "niceTicks"
		if integer {
			name += " integer"
			for _, tk := range ticks {
				if tk.Value != math.Trunc(tk.Value) {
					t.Errorf("integer niceTicks(%v, %v): tick at %v", min, max, tk.Value)
				}
			}
		}
		checkTicks(t, name, min, max, ticks, false)
		checkOneFormat(t, name, min, max, labels(ticks), true)
	})
}

// FuzzLogTicks checks the log tick generator's contract (see checkTicks)
// and that its lowest tick is labelled. Seeds: testdata/fuzz/FuzzLogTicks.
func FuzzLogTicks(f *testing.F) {
	for _, r := range hostileRanges {
		f.Add(r[0], r[1])
	}
	f.Fuzz(func(t *testing.T, min, max float64) {
		ticks := logTicks{}.Ticks(min, max)
		checkTicks(t, "logTicks", min, max, ticks, true)
		checkOneFormat(t, "logTicks", min, max, labels(ticks), false)
		if len(ticks) > 0 {
			lowest := ticks[0]
			for _, tk := range ticks {
				if tk.Value < lowest.Value {
					lowest = tk
				}
			}
			if lowest.Label == "" {
				t.Errorf("logTicks(%v, %v): lowest tick %v unlabelled", min, max, lowest.Value)
			}
		}
	})
}
