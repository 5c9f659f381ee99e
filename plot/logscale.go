package plot

// SpansDecades reports whether the positive values span more than two
// decades, so that a log Y axis reads better; values of 1e300 and more
// (an overflowing, diverged run) are left out.
func SpansDecades(v ...[]float64) bool {
	lo, hi := 0.0, 0.0
	for _, s := range v {
		for _, x := range s {
			if x > 0 && (lo == 0 || x < lo) {
				lo = x
			}
			if x > hi && x < 1e300 {
				hi = x
			}
		}
	}
	return lo > 0 && hi/lo > 100
}
