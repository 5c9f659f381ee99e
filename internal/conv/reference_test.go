package conv

import (
	"math"
	"math/rand/v2"
)

// The references below are direct loops over every index, written from
// torch's definitions and independent of im2col, GEMM and the fast paths.

// refConv is the 7-loop direct convolution (plus the bias).
func refConv(c *Conv, x, w, b []float64) []float64 {
	y := make([]float64, c.OutputSize())
	cg, kg := c.C/c.Groups, c.K/c.Groups
	for n := 0; n < c.N; n++ {
		for k := 0; k < c.K; k++ {
			g := k / kg
			for oh := 0; oh < c.OH; oh++ {
				for ow := 0; ow < c.OW; ow++ {
					var s float64
					if b != nil {
						s = b[k]
					}
					for ci := 0; ci < cg; ci++ {
						ch := g*cg + ci
						for i := 0; i < c.KH; i++ {
							for j := 0; j < c.KW; j++ {
								ih := oh*c.StrideH - c.PadH + i*c.DilH
								iw := ow*c.StrideW - c.PadW + j*c.DilW
								if ih < 0 || ih >= c.H || iw < 0 || iw >= c.W {
									continue
								}
								s += w[((k*cg+ci)*c.KH+i)*c.KW+j] * x[((n*c.C+ch)*c.H+ih)*c.W+iw]
							}
						}
					}
					y[((n*c.K+k)*c.OH+oh)*c.OW+ow] = s
				}
			}
		}
	}
	return y
}

// refConvGrads is the adjoint of refConv: the same loops, each product's
// factor collecting the other factor times dy.
func refConvGrads(c *Conv, x, w, dy []float64) (dx, dw, db []float64) {
	dx = make([]float64, c.InputSize())
	dw = make([]float64, c.WeightSize())
	db = make([]float64, c.K)
	cg, kg := c.C/c.Groups, c.K/c.Groups
	for n := 0; n < c.N; n++ {
		for k := 0; k < c.K; k++ {
			g := k / kg
			for oh := 0; oh < c.OH; oh++ {
				for ow := 0; ow < c.OW; ow++ {
					d := dy[((n*c.K+k)*c.OH+oh)*c.OW+ow]
					db[k] += d
					for ci := 0; ci < cg; ci++ {
						ch := g*cg + ci
						for i := 0; i < c.KH; i++ {
							for j := 0; j < c.KW; j++ {
								ih := oh*c.StrideH - c.PadH + i*c.DilH
								iw := ow*c.StrideW - c.PadW + j*c.DilW
								if ih < 0 || ih >= c.H || iw < 0 || iw >= c.W {
									continue
								}
								xi := ((n*c.C+ch)*c.H+ih)*c.W + iw
								wi := ((k*cg+ci)*c.KH+i)*c.KW + j
								dx[xi] += w[wi] * d
								dw[wi] += x[xi] * d
							}
						}
					}
				}
			}
		}
	}
	return dx, dw, db
}

// refPool computes max or average pooling and its input gradient for dy
// directly from the definitions; the max keeps the first maximum in
// row-major window order (a later value wins only if strictly greater).
func refPool(p *Pool, isMax bool, x, dy []float64) (y, dx []float64) {
	y = make([]float64, p.OutputSize())
	dx = make([]float64, p.InputSize())
	for n := 0; n < p.N*p.C; n++ {
		for oh := 0; oh < p.OH; oh++ {
			for ow := 0; ow < p.OW; ow++ {
				o := (n*p.OH+oh)*p.OW + ow
				best, at, sum, count := math.Inf(-1), -1, 0.0, 0
				for i := 0; i < p.KH; i++ {
					for j := 0; j < p.KW; j++ {
						ih := oh*p.StrideH - p.PadH + i*p.DilH
						iw := ow*p.StrideW - p.PadW + j*p.DilW
						if ih < 0 || ih >= p.H || iw < 0 || iw >= p.W {
							continue
						}
						xi := (n*p.H+ih)*p.W + iw
						if at < 0 || x[xi] > best {
							best, at = x[xi], xi
						}
						sum += x[xi]
						count++
					}
				}
				if isMax {
					y[o] = best
					if at >= 0 {
						dx[at] += dy[o]
					}
					continue
				}
				div := float64(p.KH * p.KW)
				if p.ExcludePad {
					div = float64(count)
				}
				y[o] = sum / div
				for i := 0; i < p.KH; i++ {
					for j := 0; j < p.KW; j++ {
						ih := oh*p.StrideH - p.PadH + i
						iw := ow*p.StrideW - p.PadW + j
						if ih >= 0 && ih < p.H && iw >= 0 && iw < p.W {
							dx[(n*p.H+ih)*p.W+iw] += dy[o] / div
						}
					}
				}
			}
		}
	}
	return y, dx
}

func randSlice(r *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 2*r.Float64() - 1
	}
	return v
}

func to32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// maxAbs is max(1, max |v|), the scale tolerances are taken against.
func maxAbs(v []float64) float64 {
	m := 1.0
	for _, x := range v {
		m = max(m, math.Abs(x))
	}
	return m
}

// diff returns the largest |got−want| and where it is.
func diff[T Float](got []T, want []float64) (float64, int) {
	worst, at := 0.0, -1
	for i := range want {
		d := math.Abs(float64(got[i]) - want[i])
		if float64(got[i]) == want[i] {
			d = 0
		}
		if d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	return worst, at
}
