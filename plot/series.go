package plot

import (
	"fmt"
	"math"
)

// Series is one named curve, the points (X[i], Y[i]).
//
// A nil X means the steps 0, 1, …, len(Y)-1, which is what a loss history
// recorded once per step needs. Non-finite values are allowed: they mark
// divergence and are handled by each drawing function as documented there.
type Series struct {
	Name string
	X, Y []float64
}

// label names the series in error messages: its quoted name, or its
// position when it has none.
func (s Series) label(i int) string {
	if s.Name != "" {
		return fmt.Sprintf("series %q", s.Name)
	}
	return fmt.Sprintf("series #%d (unnamed)", i)
}

// xs returns X, or the steps 0..len(Y)-1 when X is nil.
func (s Series) xs() []float64 {
	if s.X != nil {
		return s.X
	}
	x := make([]float64, len(s.Y))
	for i := range x {
		x[i] = float64(i)
	}
	return x
}

// check reports an empty series or one whose X and Y lengths differ.
// Series i is named in the error; what says what the series is for.
func (s Series) check(i int, needX bool) error {
	switch {
	case len(s.Y) == 0:
		return fmt.Errorf("plot: %s is empty (Y has no values)", s.label(i))
	case s.X == nil && needX:
		return fmt.Errorf("plot: %s needs X (got nil); a path is a sequence of (x, y) points", s.label(i))
	case s.X != nil && len(s.X) != len(s.Y):
		return fmt.Errorf("plot: %s: X has %d values but Y has %d", s.label(i), len(s.X), len(s.Y))
	}
	return nil
}

// usable reports whether the series has at least one point that can be drawn:
// finite X and Y, and Y > 0 on a log axis.
func (s Series) usable(logY bool) bool {
	xs := s.xs()
	for i, y := range s.Y {
		if isFinite(xs[i]) && isFinite(y) && (!logY || y > 0) {
			return true
		}
	}
	return false
}

// noPoints is the error for a series with nothing drawable.
func (s Series) noPoints(i int, logY bool) error {
	if logY {
		return fmt.Errorf("plot: %s has no finite positive points to draw on a log-scale Y axis", s.label(i))
	}
	return fmt.Errorf("plot: %s has no finite points", s.label(i))
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
