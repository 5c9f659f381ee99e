package graph

import "math"

func sum[T Float](a []T) T {
	var s T
	for _, v := range a {
		s += v
	}
	return s
}

// colSums writes the sum of each column of the rows×cols matrix a.
func colSums[T Float](out, a []T, rows, cols int) {
	if cols == 1 {
		out[0] = sum(a[:rows])
		return
	}
	clear(out[:cols])
	for r := 0; r < rows; r++ {
		row := a[r*cols : r*cols+cols]
		for c, v := range row {
			out[c] += v
		}
	}
}

// rowSums writes the sum of each row of the rows×cols matrix a.
func rowSums[T Float](out, a []T, rows, cols int) {
	for r := 0; r < rows; r++ {
		out[r] = sum(a[r*cols : r*cols+cols])
	}
}

// repeat writes np.repeat of the r×c matrix a, each element repeated
// fr times down and fc times across.
func repeat[T Float](out, a []T, r, c, fr, fc int) {
	if len(a) == 1 {
		v := a[0]
		for i := range out {
			out[i] = v
		}
		return
	}
	if fr == 1 && fc == 1 {
		copy(out, a)
		return
	}
	if c == 1 && fc == 1 { // a column, each value repeated fr times down
		for i, v := range a[:r] {
			d := out[i*fr : i*fr+fr]
			for j := range d {
				d[j] = v
			}
		}
		return
	}
	oc := c * fc
	for i := 0; i < r*fr; i++ {
		src := a[(i/fr)*c : (i/fr)*c+c]
		dst := out[i*oc : i*oc+oc]
		if fc == 1 {
			copy(dst, src)
			continue
		}
		for j := range dst {
			dst[j] = src[j/fc]
		}
	}
}

// softmax writes the softmax (or log-softmax) of each row of a into out,
// and the probabilities softmax(a) into probs, one exp per element.
func softmax[T Float](out, probs, a []T, rows, cols int, isLog bool) {
	for r := 0; r < rows; r++ {
		x := a[r*cols : r*cols+cols]
		y := out[r*cols : r*cols+cols]
		pr := probs[r*cols : r*cols+cols]
		m := x[0]
		for _, v := range x {
			m = max(m, v)
		}
		var s float64
		for j, v := range x {
			e := math.Exp(float64(v - m))
			pr[j] = T(e)
			s += e
		}
		inv := 1 / s
		for j := range pr {
			pr[j] = T(float64(pr[j]) * inv)
		}
		if isLog {
			lse := m + T(math.Log(s))
			for j, v := range x {
				y[j] = v - lse
			}
			continue
		}
		copy(y, pr)
	}
}

// softmaxDiff writes the gradient of softmax or log-softmax with respect to
// its input from the kept probabilities p and the output gradient g:
// softmax: p ⊙ (g − Σ g⊙p); log-softmax: g − p·Σ g.
func softmaxDiff[T Float](out, p, g []T, rows, cols int, isLog bool) {
	for r := 0; r < rows; r++ {
		pr := p[r*cols : r*cols+cols]
		gr := g[r*cols : r*cols+cols]
		o := out[r*cols : r*cols+cols]
		var s T
		if isLog {
			for _, v := range gr {
				s += v
			}
			for j := range o {
				o[j] = gr[j] - pr[j]*s
			}
			continue
		}
		for j := range gr {
			s += gr[j] * pr[j]
		}
		for j := range o {
			o[j] = pr[j] * (gr[j] - s)
		}
	}
}
