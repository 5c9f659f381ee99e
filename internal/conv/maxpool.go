package conv

import "math"

// MaxPoolForward computes y[n, c, oh, ow] = max over the window
// x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW], 0 ≤ i < KH, 0 ≤ j < KW,
// ignoring positions outside the image (torch's implicit −∞ padding). A NaN
// in a window makes its maximum NaN, as in torch. y is written, never read.
// With torch's rule, the maximum is the window's first maximum in
// row-major order, or its last NaN.
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
// first position of its maximum in row-major window order (or to its last
// NaN), as in torch, so a window of equal values sends it to its first
// element only. Windows that overlap add up. y is MaxPoolForward's output
// for x: the common 2×2 case finds each window's maximum by comparing with
// it, the others find the maxima again. dx is written, never read.
func MaxPoolBackward[T Float](p *Pool, dx, x, y, dy []T) error {
	if err := p.check(len(x), len(dy)); err != nil {
		return err
	}
	if err := p.check(len(dx), len(y)); err != nil {
		return err
	}
	clear(dx)
	hw, ohw := p.H*p.W, p.OH*p.OW
	for pl := 0; pl < p.N*p.C; pl++ {
		xp, dxp := x[pl*hw:(pl+1)*hw], dx[pl*hw:(pl+1)*hw]
		yp, dyp := y[pl*ohw:(pl+1)*ohw], dy[pl*ohw:(pl+1)*ohw]
		if p.fast2() {
			maxPool2Back(dxp, xp, yp, dyp, p.OH, p.OW, p.W)
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

// maxPool2 is MaxPoolForward on one plane for 2×2 windows at stride 2. The
// builtin max takes no branch and returns NaN if any value is NaN, as
// torch does; it returns +0 for a window of zeros, where torch returns the
// window's first zero, so that case is fixed up.
func maxPool2[T Float](y, x []T, oh, ow, w int) {
	for i := 0; i < oh; i++ {
		r0 := x[2*i*w : 2*i*w+2*ow]
		r1 := x[(2*i+1)*w : (2*i+1)*w+2*ow]
		yr := y[i*ow : (i+1)*ow]
		for j := range yr {
			a, b, c, d := r0[2*j], r0[2*j+1], r1[2*j], r1[2*j+1]
			m := max(a, b, c, d)
			if m == 0 {
				switch {
				case a == 0:
					m = a
				case b == 0:
					m = b
				case c == 0:
					m = c
				default:
					m = d
				}
			}
			yr[j] = m
		}
	}
}

// maxPool2Back is MaxPoolBackward on one plane for 2×2 windows at stride 2.
// Each window's maximum is its first value equal to y (its last NaN when y
// is NaN), found without a branch on the data, which matters after a ReLU,
// where ties at zero are everywhere. The windows do not overlap, so each
// gradient is stored, not added.
func maxPool2Back[T Float](dx, x, y, dy []T, oh, ow, w int) {
	for i := 0; i < oh; i++ {
		r0 := x[2*i*w : 2*i*w+2*ow]
		r1 := x[(2*i+1)*w : (2*i+1)*w+2*ow]
		d := dx[2*i*w : (2*i+1)*w+2*ow]
		yr := y[i*ow : (i+1)*ow]
		for j, g := range dy[i*ow : (i+1)*ow] {
			a, b, c, m := r0[2*j], r0[2*j+1], r1[2*j], yr[j]
			// k = 0 if a == m, else 1 if b == m, else 2 if c == m, else 3.
			k := (1 - bit(a == m)) * (1 + (1-bit(b == m))*(1+(1-bit(c == m))))
			if m != m {
				k = lastNaN(a, b, c, r1[2*j+1])
			}
			d[(k>>1)*w+2*j+k&1] = g
		}
	}
}

// lastNaN returns the position of the last NaN among a, b, c, d (0 if none).
func lastNaN[T Float](a, b, c, d T) int {
	k := 0
	for i, v := range [4]T{a, b, c, d} {
		if v != v {
			k = i
		}
	}
	return k
}

// bit is 1 for true and 0 for false; the compiler makes it a SETcc.
func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}
