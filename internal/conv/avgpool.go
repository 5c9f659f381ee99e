package conv

// AvgPoolForward computes y[n, c, oh, ow] = (1/D)·Σ x over the window
// x[n, c, oh·sH − pH + i, ow·sW − pW + j], 0 ≤ i < KH, 0 ≤ j < KW, with zero
// padding. D is KH·KW (torch's count_include_pad=True) or, with ExcludePad,
// the number of window positions inside the image. y is written, never read.
func AvgPoolForward[T Float](p *Pool, y, x []T) error {
	if err := p.check(len(x), len(y)); err != nil {
		return err
	}
	hw, ohw := p.H*p.W, p.OH*p.OW
	for pl := 0; pl < p.N*p.C; pl++ {
		xp, yp := x[pl*hw:(pl+1)*hw], y[pl*ohw:(pl+1)*ohw]
		for oh := 0; oh < p.OH; oh++ {
			h0 := oh*p.StrideH - p.PadH
			ilo, ihi := span(h0, 1, p.H, p.KH)
			for ow := 0; ow < p.OW; ow++ {
				w0 := ow*p.StrideW - p.PadW
				jlo, jhi := span(w0, 1, p.W, p.KW)
				var s T
				for i := ilo; i < ihi; i++ {
					for _, v := range xp[(h0+i)*p.W+w0+jlo : (h0+i)*p.W+w0+jhi] {
						s += v
					}
				}
				yp[oh*p.OW+ow] = s / divisor[T](p, ihi-ilo, jhi-jlo)
			}
		}
	}
	return nil
}

// AvgPoolBackward computes dx from dy: each window spreads dy/D over the
// input positions it covers. dx is written, never read.
func AvgPoolBackward[T Float](p *Pool, dx, dy []T) error {
	if err := p.check(len(dx), len(dy)); err != nil {
		return err
	}
	clear(dx)
	hw, ohw := p.H*p.W, p.OH*p.OW
	for pl := 0; pl < p.N*p.C; pl++ {
		dxp, dyp := dx[pl*hw:(pl+1)*hw], dy[pl*ohw:(pl+1)*ohw]
		for oh := 0; oh < p.OH; oh++ {
			h0 := oh*p.StrideH - p.PadH
			ilo, ihi := span(h0, 1, p.H, p.KH)
			for ow := 0; ow < p.OW; ow++ {
				w0 := ow*p.StrideW - p.PadW
				jlo, jhi := span(w0, 1, p.W, p.KW)
				g := dyp[oh*p.OW+ow] / divisor[T](p, ihi-ilo, jhi-jlo)
				for i := ilo; i < ihi; i++ {
					d := dxp[(h0+i)*p.W+w0+jlo : (h0+i)*p.W+w0+jhi]
					for j := range d {
						d[j] += g
					}
				}
			}
		}
	}
	return nil
}

// divisor is D for a window covering rows×cols input positions.
func divisor[T Float](p *Pool, rows, cols int) T {
	if p.ExcludePad {
		return T(rows * cols)
	}
	return T(p.KH * p.KW)
}
