package gemm

import (
	"fmt"
	"unsafe"
)

// Float is the set of element types Gemm accepts.
type Float interface{ ~float32 | ~float64 }

// Gemm computes C ← alpha·op(A)·op(B) + beta·C on row-major matrices, op(X)=X or Xᵀ.
// op(A) is m×k, op(B) is k×n, C is m×n; lda/ldb/ldc are row strides (leading dimensions) of
// the stored matrices. beta==0 means C is not read (NaNs in C are ignored), as in BLAS.
//
// A is stored m×k (k×m when transA), B k×n (n×k when transB). When alpha is 0 or k is 0,
// A and B are not read and C ← beta·C. Gemm panics only on programmer error: a negative
// size, a leading dimension shorter than its stored row, or a slice too short for its matrix.
func Gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	checkArgs(transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if unsafe.Sizeof(alpha) == 4 {
		gemm(transA, transB, m, n, k, float32(alpha), as[float32](a), lda, as[float32](b), ldb, float32(beta), as[float32](c), ldc)
		return
	}
	gemm(transA, transB, m, n, k, float64(alpha), as[float64](a), lda, as[float64](b), ldb, float64(beta), as[float64](c), ldc)
}

// as reinterprets a slice of a Float type as a slice of its underlying type E.
func as[E elem, T Float](s []T) []E {
	return unsafe.Slice((*E)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// checkArgs panics with a message naming the argument when the sizes do not describe
// matrices that fit their slices.
func checkArgs(transA, transB bool, m, n, k, la, lda, lb, ldb, lc, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("gemm: negative size m=%d n=%d k=%d", m, n, k))
	}
	ra, ca := m, k
	if transA {
		ra, ca = k, m
	}
	rb, cb := k, n
	if transB {
		rb, cb = n, k
	}
	checkMatrix("A", "lda", ra, ca, la, lda)
	checkMatrix("B", "ldb", rb, cb, lb, ldb)
	checkMatrix("C", "ldc", m, n, lc, ldc)
}

func checkMatrix(name, ldName string, rows, cols, length, ld int) {
	if ld < max(1, cols) {
		panic(fmt.Sprintf("gemm: %s=%d is less than the %d columns of the stored %d×%d %s", ldName, ld, max(1, cols), rows, cols, name))
	}
	if rows > 0 && cols > 0 && length < (rows-1)*ld+cols {
		panic(fmt.Sprintf("gemm: len(%s)=%d is too short for a %d×%d matrix with row stride %d (needs %d)",
			name, length, rows, cols, ld, (rows-1)*ld+cols))
	}
}

// gemm is Gemm on validated arguments.
func gemm[E elem](transA, transB bool, m, n, k int, alpha E, a []E, lda int, b []E, ldb int, beta E, c []E, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scale(m, n, beta, c, ldc)
		return
	}
	if openblas {
		cblasGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if small(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
		return
	}
	g := problem[E]{
		transA: transA, transB: transB, m: m, n: n, k: k,
		alpha: alpha, beta: beta, a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc,
		kern: kernelFor[E](active.Load()).forColumns(n),
	}
	g.run()
}

// scale sets C ← beta·C, writing zeros without reading C when beta is 0.
func scale[E elem](m, n int, beta E, c []E, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		switch beta {
		case 0:
			clear(row)
		case 1:
		default:
			for j := range row {
				row[j] *= beta
			}
		}
	}
}
