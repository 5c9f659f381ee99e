package conv

// A chunk of nb images is unrolled batch-innermost: its images are first
// transposed from (nb, C, H, W) to (C, H, W, nb), so that the columns of
// the im2col matrix run over (output row, output column, image) and every
// copy below moves runs of whole image batches, not single rows of a small
// image. With nb = 1 the layouts are the plain ones.

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

// im2col writes the patches of the nb images in xt, laid out (C, H, W, nb),
// into col: C·KH·KW rows (channel, kernel row, kernel column) of
// OH·OW·nb columns (output row, output column, image), with
//
//	col[(c,i,j), (oh,ow,n)] = x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW]
//
// and zero outside the image.
func im2col[T Float](c *Conv, col, xt []T, nb int) {
	cols := c.OH * c.OW * nb
	rowIn, rowOut := c.W*nb, c.OW*nb
	plane := c.H * rowIn
	r := 0
	for ch := 0; ch < c.C; ch++ {
		src := xt[ch*plane : (ch+1)*plane]
		for ki := 0; ki < c.KH; ki++ {
			for kj := 0; kj < c.KW; kj++ {
				dst := col[r*cols : (r+1)*cols]
				r++
				offW := kj*c.DilW - c.PadW
				lo, hi := span(offW, c.StrideW, c.W, c.OW)
				for oh := 0; oh < c.OH; oh++ {
					d := dst[oh*rowOut : (oh+1)*rowOut]
					ih := oh*c.StrideH - c.PadH + ki*c.DilH
					if ih < 0 || ih >= c.H {
						clear(d)
						continue
					}
					s := src[ih*rowIn : (ih+1)*rowIn]
					clear(d[:lo*nb])
					clear(d[hi*nb:])
					switch {
					case lo == hi:
					case c.StrideW == 1:
						copy(d[lo*nb:hi*nb], s[(lo+offW)*nb:(hi+offW)*nb])
					case nb == 1:
						for ow := lo; ow < hi; ow++ {
							d[ow] = s[ow*c.StrideW+offW]
						}
					default:
						for ow := lo; ow < hi; ow++ {
							iw := ow*c.StrideW + offW
							copy(d[ow*nb:(ow+1)*nb], s[iw*nb:(iw+1)*nb])
						}
					}
				}
			}
		}
	}
}

// col2im is im2col's adjoint: it zeroes dxt, laid out (C, H, W, nb), and
// adds each entry of col back at the input position it was read from.
func col2im[T Float](c *Conv, dxt, col []T, nb int) {
	cols := c.OH * c.OW * nb
	rowIn, rowOut := c.W*nb, c.OW*nb
	plane := c.H * rowIn
	clear(dxt[:c.C*plane])
	r := 0
	for ch := 0; ch < c.C; ch++ {
		dst := dxt[ch*plane : (ch+1)*plane]
		for ki := 0; ki < c.KH; ki++ {
			for kj := 0; kj < c.KW; kj++ {
				src := col[r*cols : (r+1)*cols]
				r++
				offW := kj*c.DilW - c.PadW
				lo, hi := span(offW, c.StrideW, c.W, c.OW)
				if lo == hi {
					continue
				}
				for oh := 0; oh < c.OH; oh++ {
					ih := oh*c.StrideH - c.PadH + ki*c.DilH
					if ih < 0 || ih >= c.H {
						continue
					}
					s := src[oh*rowOut : (oh+1)*rowOut]
					d := dst[ih*rowIn : (ih+1)*rowIn]
					switch {
					case c.StrideW == 1:
						addTo(d[(lo+offW)*nb:(hi+offW)*nb], s[lo*nb:hi*nb])
					case nb == 1:
						for ow := lo; ow < hi; ow++ {
							d[ow*c.StrideW+offW] += s[ow]
						}
					default:
						for ow := lo; ow < hi; ow++ {
							iw := ow*c.StrideW + offW
							addTo(d[iw*nb:(iw+1)*nb], s[ow*nb:(ow+1)*nb])
						}
					}
				}
			}
		}
	}
}

// addTo adds s to d elementwise; len(s) ≥ len(d).
func addTo[T Float](d, s []T) {
	s = s[:len(d)]
	i := 0
	for ; i+4 <= len(d); i += 4 {
		d[i] += s[i]
		d[i+1] += s[i+1]
		d[i+2] += s[i+2]
		d[i+3] += s[i+3]
	}
	for ; i < len(d); i++ {
		d[i] += s[i]
	}
}

// transpose writes dst[j·ldd + i] = src[i·lds + j] + add for i < rows,
// j < cols. It writes four contiguous runs of dst at a time from runs of
// four values of src; the rows of src it reads stay in cache from one pass
// to the next. On a chunk's shapes this runs 2–4× faster than one run at a
// time or than cache-blocked tiles, whose strided accesses collide in the
// cache when a stride is a power of two.
func transpose[T Float](dst []T, ldd int, src []T, lds, rows, cols int, add T) {
	j := 0
	for ; j+4 <= cols; j += 4 {
		d0 := dst[j*ldd : j*ldd+rows]
		d1 := dst[(j+1)*ldd : (j+1)*ldd+rows]
		d2 := dst[(j+2)*ldd : (j+2)*ldd+rows]
		d3 := dst[(j+3)*ldd : (j+3)*ldd+rows]
		for i := range d0 {
			s := src[i*lds+j : i*lds+j+4]
			d0[i] = s[0] + add
			d1[i] = s[1] + add
			d2[i] = s[2] + add
			d3[i] = s[3] + add
		}
	}
	for ; j < cols; j++ {
		d := dst[j*ldd : j*ldd+rows]
		for i := range d {
			d[i] = src[i*lds+j] + add
		}
	}
}

// toBatchInner transposes nb images of m values each from (nb, m) to
// (m, nb).
func toBatchInner[T Float](xt, x []T, nb, m int) { transpose(xt, nb, x, m, nb, m, 0) }

// fromBatchInner transposes (m, nb) back to (nb, m).
func fromBatchInner[T Float](x, xt []T, nb, m int) { transpose(x, m, xt, nb, m, nb, 0) }

// scatter writes the GEMM's output yp, K rows of (OH·OW, nb) columns, into
// the nb NCHW images of y, adding bias[k] to channel k (bias may be nil).
func scatter[T Float](y, yp, bias []T, nb, k, sp int) {
	for ch := 0; ch < k; ch++ {
		var b T
		if bias != nil {
			b = bias[ch]
		}
		transpose(y[ch*sp:], k*sp, yp[ch*sp*nb:], nb, sp, nb, b)
	}
}

// gather is scatter's inverse without bias: dyp[k, (s, n)] = dy[n, k, s].
func gather[T Float](dyp, dy []T, nb, k, sp int) {
	for ch := 0; ch < k; ch++ {
		transpose(dyp[ch*sp*nb:], nb, dy[ch*sp:], k*sp, nb, sp, 0)
	}
}
