package plot

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot/plotter"
)

// fgrid is a function f(x, y) sampled on a regular n × n grid over
// [xr₀, xr₁] × [yr₀, yr₁]. It implements plotter.GridXYZ.
type fgrid struct {
	xs, ys []float64
	z      []float64 // z[r*len(xs)+c] = f(xs[c], ys[r])
}

var _ plotter.GridXYZ = (*fgrid)(nil)

// sample evaluates f on an n × n grid. A panic inside f is returned as an
// error naming the point.
func sample(f func(x, y float64) float64, xr, yr [2]float64, n int) (*fgrid, error) {
	g := &fgrid{xs: linspace(xr, n), ys: linspace(yr, n), z: make([]float64, n*n)}
	for r, y := range g.ys {
		for c, x := range g.xs {
			v, err := call(f, x, y)
			if err != nil {
				return nil, err
			}
			g.z[r*n+c] = v
		}
	}
	return g, nil
}

// call evaluates f(x, y), turning a panic into an error.
func call(f func(x, y float64) float64, x, y float64) (v float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plot: contour: f panicked at (x, y) = (%g, %g): %v", x, y, r)
		}
	}()
	return f(x, y), nil
}

func linspace(r [2]float64, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = r[0] + (r[1]-r[0])*float64(i)/float64(n-1)
	}
	v[n-1] = r[1]
	return v
}

// Dims implements plotter.GridXYZ.
func (g *fgrid) Dims() (c, r int) { return len(g.xs), len(g.ys) }

// Z implements plotter.GridXYZ.
func (g *fgrid) Z(c, r int) float64 { return g.z[r*len(g.xs)+c] }

// X implements plotter.GridXYZ.
func (g *fgrid) X(c int) float64 { return g.xs[c] }

// Y implements plotter.GridXYZ.
func (g *fgrid) Y(r int) float64 { return g.ys[r] }

// finiteRange returns the smallest and largest finite values on the grid,
// and false when there are none.
func (g *fgrid) finiteRange() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range g.z {
		if isFinite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi, lo <= hi
}

// tamed is the grid made finite for gonum's contour tracer: -Inf becomes
// below (less than every level), +Inf becomes above, and each NaN takes the
// value of its nearest finite neighbour (breadth-first over the grid), so
// that few contours cross an undefined region; nanMask then blanks what does.
type tamed struct {
	*fgrid
	z []float64
}

func newTamed(g *fgrid, below, above float64) tamed {
	t := tamed{fgrid: g, z: make([]float64, len(g.z))}
	cols, rows := g.Dims()
	var queue []int
	known := make([]bool, len(g.z))
	for i, v := range g.z {
		switch {
		case math.IsInf(v, -1):
			t.z[i], known[i] = below, true
		case math.IsInf(v, 1):
			t.z[i], known[i] = above, true
		case !math.IsNaN(v):
			t.z[i], known[i] = v, true
		}
		if known[i] {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		c, r := i%cols, i/cols
		for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
			cc, rr := c+d[0], r+d[1]
			if cc < 0 || cc >= cols || rr < 0 || rr >= rows {
				continue
			}
			if j := rr*cols + cc; !known[j] {
				t.z[j], known[j] = t.z[i], true
				queue = append(queue, j)
			}
		}
	}
	return t
}

// Z implements plotter.GridXYZ.
func (t tamed) Z(c, r int) float64 { return t.z[r*len(t.xs)+c] }

// bands maps each grid value to the number of levels at or below it, an
// integer in [0, len(levels)], so a heat map of it fills the space between
// contours with flat colours. NaN stays NaN (drawn as background).
type bands struct {
	*fgrid
	levels []float64 // increasing
}

// Z implements plotter.GridXYZ.
func (b bands) Z(c, r int) float64 {
	v := b.fgrid.Z(c, r)
	if math.IsNaN(v) {
		return v
	}
	return float64(sort.Search(len(b.levels), func(i int) bool { return b.levels[i] > v }))
}

// Min and Max give the heat map its range, one palette colour per band.
func (b bands) Min() float64 { return 0 }

// Max: see Min.
func (b bands) Max() float64 { return float64(len(b.levels)) }

// nanMask is 0 where f is NaN and NaN elsewhere: a heat map of it in the
// background colour, drawn over the contour lines, blanks the undefined region.
type nanMask struct{ *fgrid }

// Z implements plotter.GridXYZ.
func (m nanMask) Z(c, r int) float64 {
	if math.IsNaN(m.fgrid.Z(c, r)) {
		return 0
	}
	return math.NaN()
}

// Min and Max map every masked cell to the one palette colour.
func (nanMask) Min() float64 { return 0 }

// Max: see Min.
func (nanMask) Max() float64 { return 1 }

// hasNaN reports whether f was undefined anywhere on the grid.
func (g *fgrid) hasNaN() bool {
	for _, v := range g.z {
		if math.IsNaN(v) {
			return true
		}
	}
	return false
}
