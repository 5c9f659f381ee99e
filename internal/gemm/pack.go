package gemm

// Packing copies a block of A or B into the order the micro-kernel reads it (Goto & van de
// Geijn 2008, §4; BLIS's packm): slivers of w rows or columns, each stored as kc steps of w
// contiguous values, so the kernel walks both operands with unit stride. A partial last sliver
// is padded with zeros, so the kernel always computes a full tile. Every transpose is handled
// here: the kernel never sees a stride.
//
// A block of op(A) (rows i, steps p) and a block of op(B) (steps p, columns j) are both read as
// a kc×cols matrix X[p][j]; stored row-major, X[p][j] is at src[p·ld+j] ("rows" layout: A
// transposed, B as is) or at src[j·ld+p] ("cols" layout: A as is, B transposed).

// packRows packs X[p0:p0+kc][j0:j0+cols] with X[p][j] = src[p·ld+j] into slivers of width w,
// each value scaled by s. Full slivers go through the assembly row copier when there is one
// for this width.
func packRows[E elem](dst, src []E, ld, p0, kc, j0, cols, w int, s E, rc rowCopier[E]) {
	for js := 0; js < cols; js += w {
		d := dst[js*kc : js*kc+kc*w]
		n := min(w, cols-js)
		base := p0*ld + j0 + js
		if n == w && rc.fn != nil && w%rc.lanes == 0 {
			_ = src[base+(kc-1)*ld+w-1] // the last element the copier reads
			rc.fn(&d[0], &src[base], ld, kc, w, s)
			continue
		}
		if n == w {
			for p := 0; p < kc; p++ {
				row := src[base+p*ld : base+p*ld+w]
				dp := d[p*w : p*w+w]
				if s == 1 {
					copy(dp, row)
					continue
				}
				for j, v := range row {
					dp[j] = s * v
				}
			}
			continue
		}
		for p := 0; p < kc; p++ {
			row := src[base+p*ld : base+p*ld+n]
			dp := d[p*w : p*w+w]
			for j, v := range row {
				dp[j] = s * v
			}
			clear(dp[n:])
		}
	}
}

// packCols packs X[p0:p0+kc][j0:j0+cols] with X[p][j] = src[j·ld+p] into slivers of width w,
// each value scaled by s. Groups of tr.b rows go through the assembly transposer when there
// is one.
func packCols[E elem](dst, src []E, ld, p0, kc, j0, cols, w int, s E, tr transposer[E]) {
	for js := 0; js < cols; js += w {
		d := dst[js*kc : js*kc+kc*w]
		n := min(w, cols-js)
		base := (j0+js)*ld + p0
		j := 0
		if b := tr.b; tr.fn != nil && kc >= b {
			q := kc / b
			for ; j+b <= n; j += b {
				tr.fn(&d[j], w, &src[base+j*ld], ld, q, s)
				for p := q * b; p < kc; p++ {
					for i := j; i < j+b; i++ {
						d[p*w+i] = s * src[base+i*ld+p]
					}
				}
			}
		}
		// Four source rows at a time: four read streams, stores 4 apart.
		for ; j+4 <= n; j += 4 {
			r0 := src[base+j*ld : base+j*ld+kc]
			r1 := src[base+(j+1)*ld : base+(j+1)*ld+kc]
			r2 := src[base+(j+2)*ld : base+(j+2)*ld+kc]
			r3 := src[base+(j+3)*ld : base+(j+3)*ld+kc]
			dj := d[j:]
			for p := range r0 {
				q := dj[p*w : p*w+4 : p*w+4]
				q[0] = s * r0[p]
				q[1] = s * r1[p]
				q[2] = s * r2[p]
				q[3] = s * r3[p]
			}
		}
		for ; j < n; j++ {
			r := src[base+j*ld : base+j*ld+kc]
			for p, v := range r {
				d[p*w+j] = s * v
			}
		}
		if n < w {
			for p := 0; p < kc; p++ {
				clear(d[p*w+n : p*w+w])
			}
		}
	}
}
