package conv

import "math"

// MaxPoolForward computes y[n, c, oh, ow] = max over the window
// x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW], 0 ≤ i < KH, 0 ≤ j < KW,
// ignoring positions outside the image (torch's implicit −∞ padding). A NaN
// in a window makes its maximum NaN, as in torch. y is written, never read.
func MaxPoolForward[T Float](p *Pool, y, x []T) error {
	if err := p.check(len(x), len(y)); err != nil {
		return err
	}
	hw, ohw := p.H*p.W, p.OH*p.OW
	for pl := 0; pl < p.N*p.C; pl++ {
		xp, yp := x[pl*hw:(pl+1)*hw], y[pl*ohw:(pl+1)*ohw]
		if p.fast2() {
			maxPool2(yp, xp, p.OH, p.OW, p.W)
			continue
		}
		for oh := 0; oh < p.OH; oh++ {
			h0 := oh*p.StrideH - p.PadH
			ilo, ihi := span(h0, p.DilH, p.H, p.KH)
			for ow := 0; ow < p.OW; ow++ {
				w0 := ow*p.StrideW - p.PadW
				jlo, jhi := span(w0, p.DilW, p.W, p.KW)
				_, yp[oh*p.OW+ow] = windowMax(p, xp, h0, w0, ilo, ihi, jlo, jhi)
			}
		}
	}
	return nil
}

// MaxPoolBackward computes dx from dy: each window's gradient goes to the
// first position of its maximum in row-major window order, as in torch, so
// a window of equal values sends it to its first element only. Windows that
// overlap add up. The maxima are found again from x. dx is written, never
// read.
func MaxPoolBackward[T Float](p *Pool, dx, x, dy []T) error {
	if err := p.check(len(x), len(dy)); err != nil {
		return err
	}
	if err := p.check(len(dx), len(dy)); err != nil {
		return err
	}
	clear(dx)
	hw, ohw := p.H*p.W, p.OH*p.OW
	for pl := 0; pl < p.N*p.C; pl++ {
		xp, dxp, dyp := x[pl*hw:(pl+1)*hw], dx[pl*hw:(pl+1)*hw], dy[pl*ohw:(pl+1)*ohw]
		if p.fast2() {
			maxPool2Back(dxp, xp, dyp, p.OH, p.OW, p.W)
			continue
		}
		for oh := 0; oh < p.OH; oh++ {
			h0 := oh*p.StrideH - p.PadH
			ilo, ihi := span(h0, p.DilH, p.H, p.KH)
			for ow := 0; ow < p.OW; ow++ {
				w0 := ow*p.StrideW - p.PadW
				jlo, jhi := span(w0, p.DilW, p.W, p.KW)
				if k, _ := windowMax(p, xp, h0, w0, ilo, ihi, jlo, jhi); k >= 0 {
					dxp[k] += dyp[oh*p.OW+ow]
				}
			}
		}
	}
	return nil
}

// windowMax returns the index in the plane of the window's first maximum
// and the maximum; −1 and −∞ for a window with no position in the image.
func windowMax[T Float](p *Pool, xp []T, h0, w0, ilo, ihi, jlo, jhi int) (int, T) {
	best, at := T(math.Inf(-1)), -1
	if ilo < ihi && jlo < jhi {
		at = (h0+ilo*p.DilH)*p.W + w0 + jlo*p.DilW
	}
	for i := ilo; i < ihi; i++ {
		row := (h0 + i*p.DilH) * p.W
		for j := jlo; j < jhi; j++ {
			k := row + w0 + j*p.DilW
			if v := xp[k]; v > best || v != v {
				best, at = v, k
			}
		}
	}
	return at, best
}

// fast2 reports whether the pooling is the common 2×2, stride 2, unpadded,
// undilated case, which has a loop of its own.
func (p *Pool) fast2() bool {
	return p.KH == 2 && p.KW == 2 && p.StrideH == 2 && p.StrideW == 2 &&
		p.PadH == 0 && p.PadW == 0 && p.DilH == 1 && p.DilW == 1
}

// maxPool2 is MaxPoolForward on one plane for 2×2 windows at stride 2.
func maxPool2[T Float](y, x []T, oh, ow, w int) {
	for i := 0; i < oh; i++ {
		r0 := x[2*i*w : 2*i*w+2*ow]
		r1 := x[(2*i+1)*w : (2*i+1)*w+2*ow]
		yr := y[i*ow : (i+1)*ow]
		for j := range yr {
			_, yr[j] = max4(r0[2*j], r0[2*j+1], r1[2*j], r1[2*j+1])
		}
	}
}

// maxPool2Back is MaxPoolBackward on one plane for 2×2 windows at stride 2.
func maxPool2Back[T Float](dx, x, dy []T, oh, ow, w int) {
	for i := 0; i < oh; i++ {
		r0 := x[2*i*w : 2*i*w+2*ow]
		r1 := x[(2*i+1)*w : (2*i+1)*w+2*ow]
		d0 := dx[2*i*w : 2*i*w+2*ow]
		d1 := dx[(2*i+1)*w : (2*i+1)*w+2*ow]
		for j, g := range dy[i*ow : (i+1)*ow] {
			switch k, _ := max4(r0[2*j], r0[2*j+1], r1[2*j], r1[2*j+1]); k {
			case 0:
				d0[2*j] = g
			case 1:
				d0[2*j+1] = g
			case 2:
				d1[2*j] = g
			default:
				d1[2*j+1] = g
			}
		}
	}
}

// max4 returns the position and value of the first maximum of a, b, c, d
// under torch's rule (a later value wins only if greater, or NaN).
func max4[T Float](a, b, c, d T) (int, T) {
	k, m := 0, a
	if b > m || b != b {
		k, m = 1, b
	}
	if c > m || c != c {
		k, m = 2, c
	}
	if d > m || d != d {
		k, m = 3, d
	}
	return k, m
}
