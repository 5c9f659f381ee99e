package bench

import "math"

// Adam's constants, as torch.optim.Adam's defaults.
const (
	adamBeta1 = 0.9
	adamBeta2 = 0.999
	adamEps   = 1e-8
)

// updater applies the problem's optimizer to parameter slices in place
// without allocating: plain SGD, w ← w − lr·g, or Adam (Kingma & Ba 2015,
// arXiv:1412.6980):
//
//	m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²
//	w ← w − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)
type updater struct {
	lr   float64
	adam bool
	t    int
	m, v [][]float64 // Adam moments, one pair per parameter
}

// newUpdater prepares an updater for parameters of the given sizes.
func newUpdater(p Problem, sizes []int) *updater {
	u := &updater{lr: p.LR, adam: p.Optimizer == "adam"}
	if u.adam {
		for _, n := range sizes {
			u.m = append(u.m, make([]float64, n))
			u.v = append(u.v, make([]float64, n))
		}
	}
	return u
}

// tick starts a step; call it once before the apply calls of that step.
func (u *updater) tick() { u.t++ }

// apply updates parameter number i, w, with its gradient g.
func (u *updater) apply(i int, w, g []float64) {
	g = g[:len(w)]
	if !u.adam {
		for j := range w {
			w[j] -= u.lr * g[j]
		}
		return
	}
	m, v := u.m[i][:len(w)], u.v[i][:len(w)]
	c1 := 1 - math.Pow(adamBeta1, float64(u.t))
	c2 := 1 - math.Pow(adamBeta2, float64(u.t))
	for j, gj := range g {
		m[j] = adamBeta1*m[j] + (1-adamBeta1)*gj
		v[j] = adamBeta2*v[j] + (1-adamBeta2)*gj*gj
		w[j] -= u.lr * (m[j] / c1) / (math.Sqrt(v[j]/c2) + adamEps)
	}
}
