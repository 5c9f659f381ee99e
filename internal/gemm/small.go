package gemm

// tinyWork is the number of multiply-adds up to which a product is computed by the plain
// triple loop: below it, packing and the edge tile cost more than they save (4×4×4 takes
// 114 ns by the loop and 145 ns packed on Zen 5; 8×8×8 takes 1.3 µs and 240 ns).
const tinyWork = 64

// small computes the products that packing does not pay for: matrix-vector products (n or m
// is 1) and tiny ones. It reports whether it did.
func small[E elem](transA, transB bool, m, n, k int, alpha E, a []E, lda int, b []E, ldb int, beta E, c []E, ldc int) bool {
	kr := kernelFor[E](active.Load())
	if !transA && transB && dotShaped(m, n, k) && kr.dot != nil {
		// Every C[i,j] is a dot product of two contiguous rows: no packing.
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				row[j] = alpha*kr.dot(&a[i*lda], &b[j*ldb], k) + scaled(beta, row[j])
			}
		}
		return true
	}
	if n != 1 && m != 1 && m*n*k > tinyWork {
		return false
	}
	switch {
	case n == 1:
		// x = op(B)[:,0]: b[p·ldb] as is, b[p] when B is stored 1×k.
		x, incx := b, ldb
		if transB {
			incx = 1
		}
		if !transA {
			for i := 0; i < m; i++ {
				s := alpha * dot(kr, k, a[i*lda:], x, incx)
				c[i*ldc] = s + scaled(beta, c[i*ldc])
			}
			return true
		}
		// op(A)[i,p] = a[p·lda+i]: accumulate rows of the stored A into C's column.
		scaleStrided(m, beta, c, ldc)
		for p := 0; p < k; p++ {
			axpy(kr, m, alpha*x[p*incx], a[p*lda:], c, ldc)
		}
		return true
	case m == 1:
		// y = op(A)[0,:]: a[p] as is, a[p·lda] when A is stored k×1.
		y, incy := a, 1
		if transA {
			incy = lda
		}
		row := c[:n]
		if transB {
			for j := range row {
				row[j] = alpha*dot(kr, k, b[j*ldb:], y, incy) + scaled(beta, row[j])
			}
			return true
		}
		scaleStrided(n, beta, row, 1)
		for p := 0; p < k; p++ {
			axpy(kr, n, alpha*y[p*incy], b[p*ldb:], row, 1)
		}
		return true
	case m*n*k <= tinyWork:
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				var s E
				for p := 0; p < k; p++ {
					s += at(a, lda, transA, i, p) * at(b, ldb, transB, p, j)
				}
				c[i*ldc+j] = alpha*s + scaled(beta, c[i*ldc+j])
			}
		}
		return true
	}
	return false
}

// dotMaxOut and dotMinK bound the products A·Bᵀ computed as one dot
// product per element of C: at most dotMaxOut elements, each a sum of at
// least dotMinK terms. Packing would copy both operands into slivers for
// so few tiles, and pad a C narrower than the register block: a convolution's
// weight gradient (25×6 over 15680 terms for LeNet's first layer) ran 2.5×
// faster as dot products.
const (
	dotMaxOut = 256
	dotMinK   = 512
)

// dotShaped reports whether an m×n·(k terms) product A·Bᵀ takes the dot path.
func dotShaped(m, n, k int) bool { return m*n <= dotMaxOut && k >= dotMinK && m > 1 && n > 1 }

// at is op(X)[i][j] for the row-major X stored at x with row stride ld.
func at[E elem](x []E, ld int, trans bool, i, j int) E {
	if trans {
		return x[j*ld+i]
	}
	return x[i*ld+j]
}

// scaled is beta·c, or 0 without reading c when beta is 0.
func scaled[E elem](beta, c E) E {
	if beta == 0 {
		return 0
	}
	return beta * c
}

// scaleStrided sets y[i·inc] ← beta·y[i·inc] for i < n (zeros when beta is 0).
func scaleStrided[E elem](n int, beta E, y []E, inc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < n; i++ {
		y[i*inc] = scaled(beta, y[i*inc])
	}
}

// dot is Σ_{i<n} x[i]·y[i·incy] (x has unit stride), through the kernel set's vector loop
// when y has unit stride too.
func dot[E elem](kr *kernel[E], n int, x []E, y []E, incy int) E {
	x = x[:n]
	var s0, s1, s2, s3 E
	if incy == 1 && kr.dot != nil && n > 0 {
		return kr.dot(&x[0], &y[:n][0], n)
	}
	if incy == 1 {
		y = y[:n]
		i := 0
		for ; i+4 <= n; i += 4 {
			s0 += x[i] * y[i]
			s1 += x[i+1] * y[i+1]
			s2 += x[i+2] * y[i+2]
			s3 += x[i+3] * y[i+3]
		}
		for ; i < n; i++ {
			s0 += x[i] * y[i]
		}
		return (s0 + s1) + (s2 + s3)
	}
	for i, v := range x {
		s0 += v * y[i*incy]
	}
	return s0
}

// axpy sets y[i·incy] += alpha·x[i] for i < n (x has unit stride), through the kernel
// set's vector loop when y has unit stride too.
func axpy[E elem](kr *kernel[E], n int, alpha E, x []E, y []E, incy int) {
	x = x[:n]
	if incy == 1 && kr.axpy != nil && n > 0 {
		kr.axpy(alpha, &x[0], &y[:n][0], n)
		return
	}
	if incy == 1 {
		y = y[:n]
		for i, v := range x {
			y[i] += alpha * v
		}
		return
	}
	for i, v := range x {
		y[i*incy] += alpha * v
	}
}
