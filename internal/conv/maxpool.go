package conv

import (
	"math"

	"github.com/descent-ml/descent/internal/vec"
)

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
	if p.fast2() {
		planes, rows := p.stacked()
		for pl := 0; pl < planes; pl++ {
			xp, yp := x[pl*hw:], y[pl*ohw:]
			did := 0
			if y32, ok := any(yp).([]float32); ok {
				did = vec.MaxPool2x2F32(y32, any(xp).([]float32), rows, p.OW, p.W)
			}
			maxPool2(yp, xp, rows, p.OW, p.W, did)
		}
		return nil
	}
	for pl := 0; pl < p.N*p.C; pl++ {
		xp, yp := x[pl*hw:(pl+1)*hw], y[pl*ohw:(pl+1)*ohw]
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
	hw, ohw := p.H*p.W, p.OH*p.OW
	if p.fast2() {
		// Every window's four positions are written; only the last row
		// or column of an odd-sized plane lies outside them all.
		if p.H != 2*p.OH || p.W != 2*p.OW {
			clear(dx)
		}
		planes, rows := p.stacked()
		for pl := 0; pl < planes; pl++ {
			xp, dxp, yp, dyp := x[pl*hw:], dx[pl*hw:], y[pl*ohw:], dy[pl*ohw:]
			did := 0
			if dx32, ok := any(dxp).([]float32); ok {
				did = vec.MaxPool2x2BackF32(dx32, any(xp).([]float32), any(yp).([]float32), any(dyp).([]float32), rows, p.OW, p.W)
			}
			maxPool2Back(dxp, xp, yp, dyp, rows, p.OW, p.W, did)
		}
		return nil
	}
	clear(dx)
	for pl := 0; pl < p.N*p.C; pl++ {
		xp, dxp, dyp := x[pl*hw:(pl+1)*hw], dx[pl*hw:(pl+1)*hw], dy[pl*ohw:(pl+1)*ohw]
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

// stacked says how the 2×2 loops see the batch: planes of rows output rows
// each. Planes of even height stack into one tall plane (rows 2i and
// 2i+1 of the stack always lie in one plane), so the loops run without a
// break between planes, which for the digits network's 8×8 and 4×4 planes
// cost as much as the work.
func (p *Pool) stacked() (planes, rows int) {
	if p.H == 2*p.OH {
		return 1, p.N * p.C * p.OH
	}
	return p.N * p.C, p.OH
}

// fast2 reports whether the pooling is the common 2×2, stride 2, unpadded,
// undilated case, which has a loop of its own.
func (p *Pool) fast2() bool {
	return p.KH == 2 && p.KW == 2 && p.StrideH == 2 && p.StrideW == 2 &&
		p.PadH == 0 && p.PadW == 0 && p.DilH == 1 && p.DilW == 1
}

// maxPool2 is MaxPoolForward for 2×2 windows at stride 2 on oh rows of
// outputs from output column from on (the vector loop of internal/vec did
// the ones before). The builtin max takes no branch and returns NaN if any
// value is NaN, as torch does; it returns +0 for a window of zeros, where
// torch returns the window's first zero, so that case is fixed up.
func maxPool2[T Float](y, x []T, oh, ow, w, from int) {
	if from >= ow {
		return
	}
	for i := 0; i < oh; i++ {
		r0 := x[2*i*w : 2*i*w+2*ow]
		r1 := x[(2*i+1)*w : (2*i+1)*w+2*ow]
		yr := y[i*ow : (i+1)*ow]
		for j := from; j < len(yr); j++ {
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

// maxPool2Back is MaxPoolBackward for 2×2 windows at stride 2 on oh rows of
// outputs from output column from on. Each window's maximum is its first
// value equal to y (its last NaN when y is NaN), found without a branch on
// the data, which matters after a ReLU, where ties at zero are everywhere.
// The windows do not overlap: each window's four positions are written,
// the gradient at its maximum and zeros elsewhere.
func maxPool2Back[T Float](dx, x, y, dy []T, oh, ow, w, from int) {
	if from >= ow {
		return
	}
	for i := 0; i < oh; i++ {
		r0 := x[2*i*w : 2*i*w+2*ow]
		r1 := x[(2*i+1)*w : (2*i+1)*w+2*ow]
		d := dx[2*i*w : (2*i+1)*w+2*ow]
		yr := y[i*ow : (i+1)*ow]
		dyr := dy[i*ow : (i+1)*ow]
		for j := from; j < len(dyr); j++ {
			g := dyr[j]
			a, b, c, m := r0[2*j], r0[2*j+1], r1[2*j], yr[j]
			// k = 0 if a == m, else 1 if b == m, else 2 if c == m, else 3.
			k := (1 - bit(a == m)) * (1 + (1-bit(b == m))*(1+(1-bit(c == m))))
			if m != m {
				k = lastNaN(a, b, c, r1[2*j+1])
			}
			d[2*j], d[2*j+1], d[w+2*j], d[w+2*j+1] = 0, 0, 0, 0
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
