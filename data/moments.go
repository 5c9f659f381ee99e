package data

import "math"

// moments are the count, means, sums of squared deviations and ranges of
// d columns over a set of rows that is seen block by block: the one-pass
// form of FitStats, for data streamed from a file. Each block is summed
// in two passes (its mean, then its deviations, with gonum's correction
// term) and merged into the running totals with the pairwise update of
// Chan, Golub & LeVeque (1979, "Updating formulae and a pairwise
// algorithm for computing sample variances"):
//
//	n = nₐ + n_b,  δ = mean_b − meanₐ,  mean = meanₐ + δ·n_b/n,
//	M2 = M2ₐ + M2_b + δ²·nₐ·n_b/n
type moments struct {
	n              float64
	mean, m2       []float64
	lo, hi         []float64
	bmean, bm2, bc []float64 // a block's, reused
}

func newMoments(d int) *moments {
	m := &moments{mean: make([]float64, d), m2: make([]float64, d), lo: make([]float64, d), hi: make([]float64, d),
		bmean: make([]float64, d), bm2: make([]float64, d), bc: make([]float64, d)}
	for j := range d {
		m.lo[j], m.hi[j] = math.Inf(1), math.Inf(-1)
	}
	return m
}

// add merges n rows of X (row-major, stride values a row, the columns
// starting at off) into the moments.
func (m *moments) add(X []float64, n, stride, off int) {
	if n == 0 {
		return
	}
	d := len(m.mean)
	clear(m.bmean)
	clear(m.bm2)
	clear(m.bc)
	for i := range n {
		row := X[i*stride+off : i*stride+off+d]
		for j, v := range row {
			m.bmean[j] += v
			m.lo[j] = math.Min(m.lo[j], v)
			m.hi[j] = math.Max(m.hi[j], v)
		}
	}
	nb := float64(n)
	for j := range d {
		m.bmean[j] /= nb
	}
	for i := range n {
		row := X[i*stride+off : i*stride+off+d]
		for j, v := range row {
			dv := v - m.bmean[j]
			m.bm2[j] += dv * dv
			m.bc[j] += dv
		}
	}
	for j := range d {
		m.bm2[j] -= m.bc[j] * m.bc[j] / nb
	}
	m.merge(nb, m.bmean, m.bm2)
}

// merge adds a set of nb rows with means bmean and sums of squared
// deviations bm2.
func (m *moments) merge(nb float64, bmean, bm2 []float64) {
	if nb == 0 {
		return
	}
	n := m.n + nb
	for j := range m.mean {
		delta := bmean[j] - m.mean[j]
		m.mean[j] += delta * nb / n
		m.m2[j] += bm2[j] + delta*delta*m.n*nb/n
	}
	m.n = n
}

// stats turns the moments of every process into standardization
// statistics, as FitStatsShared does: means and sums of squared
// deviations about the global mean are added with allreduce, and a column
// whose values are all equal, on every process, gets Std 1 and Mean that
// value.
func (m *moments) stats(r Reducer) (Stats, error) {
	d := len(m.mean)
	local := make([]float64, 1+3*d)
	local[0] = m.n
	for j := range d {
		local[1+j] = m.n * m.mean[j]
		if m.n > 0 {
			local[1+d+j], local[1+2*d+j] = m.lo[j], m.hi[j]
		}
	}
	s, total, constant, err := firstPass(r, local, d)
	if err != nil || total == 0 {
		return s, err
	}
	// Σ over processes of M2 + n·(mean_r − mean)².
	sq := make([]float64, d)
	for j := range d {
		dm := m.mean[j] - s.Mean[j]
		sq[j] = m.m2[j] + m.n*dm*dm
	}
	if r != nil && r.Size() > 1 {
		if err := r.AllreduceSum64(sq); err != nil {
			return Stats{}, err
		}
	}
	for j := range d {
		if constant[j] {
			s.Mean[j], s.Std[j] = s.Std[j], 1 // firstPass left the column's value in Std
			continue
		}
		s.Std[j] = math.Sqrt(math.Max(sq[j], 0) / total)
	}
	return s, nil
}
