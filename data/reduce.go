package data

import (
	"fmt"
	"math"
)

// Reducer sums buffers over the processes of a data-parallel run: after
// AllreduceSum64(buf) every process holds buf[i] = Σ over processes of
// their buf[i]. Every process calls it with buffers of the same length, in
// the same order. dist.Comm is one; a nil Reducer is one process.
type Reducer interface {
	Rank() int
	Size() int
	AllreduceSum64(buf []float64) error
}

// Gather returns every process's v, process by process: out[q·len(v)+i]
// is process q's v[i]. Every process passes a v of the same length. With
// a nil Reducer it returns a copy of v.
func Gather(r Reducer, v []float64) ([]float64, error) {
	if r == nil || r.Size() == 1 {
		return append([]float64(nil), v...), nil
	}
	out := make([]float64, r.Size()*len(v))
	copy(out[r.Rank()*len(v):], v)
	if err := r.AllreduceSum64(out); err != nil {
		return nil, err
	}
	return out, nil
}

// FitStatsShared is FitStats over the rows of every process together: each
// process passes its own n×d rows (n may be 0), and every process gets
// the same statistics, those FitStats gives on all the rows, to rounding.
// It takes two passes over the rows and two allreduces, as FitStats does
// in one process (gonum's corrected two-pass algorithm, Chan, Golub &
// LeVeque 1983):
//
//	pass 1: N = Σ_r n_r, S_j = Σ x_ij,             mean_j = S_j / N
//	pass 2: Q_j = Σ (x_ij − mean_j)², C_j = Σ (x_ij − mean_j),
//	        var_j = (Q_j − C_j²/N) / N
//
// the sums running over every process's rows. The first allreduce also
// gathers each process's column minima and maxima, so that a column whose
// values are all equal gets Std 1 and Mean that value exactly, as FitStats
// does. With a nil Reducer it is FitStats, up to the order of additions.
func FitStatsShared(X []float64, n, d int, r Reducer) (Stats, error) {
	if n < 0 || d < 0 || len(X) < n*d {
		return Stats{}, fmt.Errorf("data: stats of %d×%d need len(X) >= %d, got %d", n, d, n*d, len(X))
	}
	// Pass 1: [n, sums…, minima…, maxima…] of every process.
	local := make([]float64, 1+3*d)
	local[0] = float64(n)
	sum, lo, hi := local[1:1+d], local[1+d:1+2*d], local[1+2*d:]
	for j := range d {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
	}
	for i := range n {
		for j, v := range X[i*d : i*d+d] {
			sum[j] += v
			lo[j] = math.Min(lo[j], v)
			hi[j] = math.Max(hi[j], v)
		}
	}
	if n == 0 { // no values: leave the slots at 0 so sums stay finite
		clear(lo)
		clear(hi)
	}
	s, total, constant, err := firstPass(r, local, d)
	if err != nil || total == 0 {
		return s, err
	}
	for j := range d {
		if constant[j] {
			s.Mean[j] = s.Std[j] // the column's one value, exactly
		}
	}
	// Pass 2: Σ(x − mean)² and Σ(x − mean).
	sq := make([]float64, 2*d)
	for i := range n {
		for j, v := range X[i*d : i*d+d] {
			dv := v - s.Mean[j]
			sq[j] += dv * dv
			sq[d+j] += dv
		}
	}
	if r != nil && r.Size() > 1 {
		if err := r.AllreduceSum64(sq); err != nil {
			return Stats{}, err
		}
	}
	for j := range d {
		if constant[j] {
			s.Std[j] = 1
			continue
		}
		s.Std[j] = math.Sqrt((sq[j] - sq[d+j]*sq[d+j]/total) / total)
	}
	return s, nil
}

// firstPass gathers every process's first-pass summary local, [n, column
// sums…, column minima…, column maxima…] of d columns (a process with no
// rows contributes nothing), and returns the total row count and Stats whose
// Mean is Σ sums/N; for a column whose values are all equal on every
// process, constant[j] is set and Std[j] holds that value (a placeholder
// the caller replaces). With no rows at all it returns Mean 0 and Std 1.
func firstPass(r Reducer, local []float64, d int) (s Stats, total float64, constant []bool, err error) {
	all, err := Gather(r, local)
	if err != nil {
		return Stats{}, 0, nil, err
	}
	s = Stats{Mean: make([]float64, d), Std: make([]float64, d)}
	constant = make([]bool, d)
	first := true
	for q := 0; q < len(all); q += len(local) {
		p := all[q : q+len(local)]
		if p[0] == 0 {
			continue
		}
		total += p[0]
		for j := range d {
			s.Mean[j] += p[1+j]
			l, h := p[1+d+j], p[1+2*d+j]
			if first {
				constant[j], s.Std[j] = l == h, l
			} else {
				constant[j] = constant[j] && l == h && l == s.Std[j]
			}
		}
		first = false
	}
	if total == 0 {
		for j := range d {
			s.Mean[j], s.Std[j] = 0, 1
		}
		return s, 0, constant, nil
	}
	for j := range d {
		s.Mean[j] /= total
	}
	return s, total, constant, nil
}
