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

// softmax writes the softmax (or log-softmax) of each row of a.
func softmax[T Float](out, a []T, rows, cols int, isLog bool) {
	for r := 0; r < rows; r++ {
		x := a[r*cols : r*cols+cols]
		y := out[r*cols : r*cols+cols]
		m := x[0]
		for _, v := range x {
			m = max(m, v)
		}
		var s float64
		for _, v := range x {
			s += math.Exp(float64(v - m))
		}
		if isLog {
			lse := m + T(math.Log(s))
			for j, v := range x {
				y[j] = v - lse
			}
			continue
		}
		for j, v := range x {
			y[j] = T(math.Exp(float64(v-m)) / s)
		}
	}
}

// softmaxDiff writes the gradient of softmax (or log-softmax) with respect
// to its input, given its output y and the gradient g of its output:
// softmax: y ⊙ (g − Σ g⊙y); log-softmax: g − exp(y)·Σ g.
func softmaxDiff[T Float](out, y, g []T, rows, cols int, isLog bool) {
	for r := 0; r < rows; r++ {
		yr := y[r*cols : r*cols+cols]
		gr := g[r*cols : r*cols+cols]
		o := out[r*cols : r*cols+cols]
		var s T
		if isLog {
			for _, v := range gr {
				s += v
			}
			for j := range o {
				o[j] = gr[j] - T(math.Exp(float64(yr[j])))*s
			}
			continue
		}
		for j := range gr {
			s += gr[j] * yr[j]
		}
		for j := range o {
			o[j] = yr[j] * (gr[j] - s)
		}
	}
}
