package plot

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Series is one named curve, the points (X[i], Y[i]).
//
// A nil X means the steps 0, 1, …, len(Y)-1, which is what a loss history
// recorded once per step needs. Non-finite values are allowed: they mark
// divergence and are handled by each drawing function as documented there.
type Series struct {
	Name string
	X, Y []float64

	// LR, when > 0, is the learning rate the curve was trained with; the
	// legend then reads "Name (lr 0.001)". 0 (the default) shows nothing.
	LR float64
}

// legendName is the series' legend entry: its name, or fallback when it
// has none, followed by its learning rate when LR is set.
func (s Series) legendName(fallback string) string {
	name := s.Name
	if name == "" {
		name = fallback
	}
	if s.LR > 0 {
		name += " (lr " + formatLR(s.LR) + ")"
	}
	return name
}

// formatLR writes a learning rate with up to three significant digits:
// 0.001, 0.0003, 1e-05 becomes 1e-5.
func formatLR(lr float64) string {
	s := strconv.FormatFloat(lr, 'g', 3, 64)
	if m, e, ok := strings.Cut(s, "e"); ok {
		n, _ := strconv.Atoi(e)
		s = m + "e" + strconv.Itoa(n)
	}
	return s
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
	case !(s.LR >= 0) || math.IsInf(s.LR, 1):
		return fmt.Errorf("plot: %s: LR must be 0 (not shown) or positive and finite, got %v", s.label(i), s.LR)
	}
	return nil
}

// usable reports whether the series has at least one point that can be drawn:
// finite X and Y, and Y > 0 on a log axis.
func (s Series) usable(logY bool) bool {
	for i, y := range s.Y {
		x := float64(i)
		if s.X != nil {
			x = s.X[i]
		}
		if isFinite(x) && isFinite(y) && (!logY || y > 0) {
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
