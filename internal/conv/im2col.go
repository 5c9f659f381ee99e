package conv

// span returns the output positions o in [lo, hi) whose input position
// o·stride + off lies inside [0, size), for o < out.
func span(off, stride, size, out int) (lo, hi int) {
	if off < 0 {
		lo = min(out, (-off+stride-1)/stride)
	}
	if last := size - 1 - off; last >= 0 {
		hi = min(out, last/stride+1)
	}
	return lo, max(lo, hi)
}

// im2col writes the patches of the nb images in x into col, a matrix of
// C·KH·KW rows (channel, kernel row, kernel column) and nb·OH·OW columns
// (image, output row, output column): col[(c,i,j), (n,oh,ow)] =
// x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW], zero outside the image.
func im2col[T Float](c *Conv, col, x []T, nb int) {
	sp := c.OH * c.OW
	cols := nb * sp
	hw := c.H * c.W
	r := 0
	for ch := 0; ch < c.C; ch++ {
		for ki := 0; ki < c.KH; ki++ {
			for kj := 0; kj < c.KW; kj++ {
				row := col[r*cols : (r+1)*cols]
				r++
				offW := kj*c.DilW - c.PadW
				lo, hi := span(offW, c.StrideW, c.W, c.OW)
				for n := 0; n < nb; n++ {
					plane := x[(n*c.C+ch)*hw : (n*c.C+ch+1)*hw]
					dst := row[n*sp : (n+1)*sp]
					for oh := 0; oh < c.OH; oh++ {
						d := dst[oh*c.OW : (oh+1)*c.OW]
						ih := oh*c.StrideH - c.PadH + ki*c.DilH
						if ih < 0 || ih >= c.H {
							clear(d)
							continue
						}
						src := plane[ih*c.W : (ih+1)*c.W]
						clear(d[:lo])
						if lo == hi {
							// No kernel column lands inside the image.
						} else if c.StrideW == 1 {
							copy(d[lo:hi], src[lo+offW:hi+offW])
						} else {
							for ow := lo; ow < hi; ow++ {
								d[ow] = src[ow*c.StrideW+offW]
							}
						}
						clear(d[hi:])
					}
				}
			}
		}
	}
}

// col2im is im2col's adjoint: it zeroes the nb images in dx and adds each
// entry of col back at the input position it was read from.
func col2im[T Float](c *Conv, dx, col []T, nb int) {
	sp := c.OH * c.OW
	cols := nb * sp
	hw := c.H * c.W
	clear(dx[:nb*c.C*hw])
	r := 0
	for ch := 0; ch < c.C; ch++ {
		for ki := 0; ki < c.KH; ki++ {
			for kj := 0; kj < c.KW; kj++ {
				row := col[r*cols : (r+1)*cols]
				r++
				offW := kj*c.DilW - c.PadW
				lo, hi := span(offW, c.StrideW, c.W, c.OW)
				if lo == hi {
					continue
				}
				for n := 0; n < nb; n++ {
					plane := dx[(n*c.C+ch)*hw : (n*c.C+ch+1)*hw]
					src := row[n*sp : (n+1)*sp]
					for oh := 0; oh < c.OH; oh++ {
						ih := oh*c.StrideH - c.PadH + ki*c.DilH
						if ih < 0 || ih >= c.H {
							continue
						}
						s := src[oh*c.OW+lo : oh*c.OW+hi]
						d := plane[ih*c.W : (ih+1)*c.W]
						if c.StrideW == 1 {
							d = d[lo+offW : hi+offW]
							for i, v := range s {
								d[i] += v
							}
						} else {
							for i, v := range s {
								d[(lo+i)*c.StrideW+offW] += v
							}
						}
					}
				}
			}
		}
	}
}

// scatter copies the GEMM's output yp, K rows of nb·S columns, into the nb
// NCHW images of y, adding bias[k] to channel k when bias is not nil.
func scatter[T Float](y, yp, bias []T, nb, k, sp int) {
	cols := nb * sp
	for n := 0; n < nb; n++ {
		for ch := 0; ch < k; ch++ {
			d := y[(n*k+ch)*sp : (n*k+ch+1)*sp]
			s := yp[ch*cols+n*sp : ch*cols+(n+1)*sp]
			if bias == nil {
				copy(d, s)
				continue
			}
			b := bias[ch]
			for i, v := range s {
				d[i] = v + b
			}
		}
	}
}

// gather is scatter's inverse without bias: dyp[k, (n, s)] = dy[n, k, s].
func gather[T Float](dyp, dy []T, nb, k, sp int) {
	cols := nb * sp
	for n := 0; n < nb; n++ {
		for ch := 0; ch < k; ch++ {
			copy(dyp[ch*cols+n*sp:ch*cols+(n+1)*sp], dy[(n*k+ch)*sp:(n*k+ch+1)*sp])
		}
	}
}
