package plot

import "math"

const (
	// decimateBuckets is how many buckets a long polyline is cut into.
	decimateBuckets = 4096
	// decimateAbove is the length beyond which a polyline is decimated.
	decimateAbove = 4 * decimateBuckets
)

// decimate returns ps unchanged when it has at most decimateAbove points,
// and otherwise a subsequence that draws the same picture at screen
// resolution: ps is cut into decimateBuckets runs of consecutive points,
// and each run keeps its first and last points and those where x and y
// reach their minimum and maximum, in their original order. A spike of
// one point (a divergence) therefore survives, which uniform subsampling
// would miss. This is the M4 aggregation, extended to both coordinates so
// that it also holds for paths whose x goes back and forth:
//
// Jugel, U., Jerzak, Z., Hackenbroich, G. and Markl, V., "M4: A
// Visualization-Oriented Time Series Data Aggregation", PVLDB 7(10), 2014.
func decimate(ps []pt) []pt {
	n := len(ps)
	if n <= decimateAbove {
		return ps
	}
	out := make([]pt, 0, 6*decimateBuckets)
	for b := range decimateBuckets {
		lo, hi := b*n/decimateBuckets, (b+1)*n/decimateBuckets
		if lo >= hi {
			continue
		}
		keep := [6]int{lo, hi - 1, lo, lo, lo, lo} // first, last, argmin x, argmax x, argmin y, argmax y
		for i := lo; i < hi; i++ {
			q := ps[i]
			if q.x < ps[keep[2]].x {
				keep[2] = i
			}
			if q.x > ps[keep[3]].x {
				keep[3] = i
			}
			if q.y < ps[keep[4]].y {
				keep[4] = i
			}
			if q.y > ps[keep[5]].y {
				keep[5] = i
			}
		}
		// Emit in index order, each index once.
		last := -1
		for range keep {
			next := math.MaxInt
			for _, k := range keep {
				if k > last && k < next {
					next = k
				}
			}
			if next == math.MaxInt {
				break
			}
			out = append(out, ps[next])
			last = next
		}
	}
	return out
}
