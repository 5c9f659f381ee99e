// Package gemm multiplies dense row-major matrices.
//
// This file is a placeholder: a plain, correct implementation of the
// package's API so that internal/conv builds and tests before the packed
// SIMD GEMM lands. It is deleted at merge.
package gemm

import "sync/atomic"

// Float is the set of element types Gemm multiplies.
type Float interface{ ~float32 | ~float64 }

var threads atomic.Int64

// SetThreads sets how many goroutines Gemm may use and returns the previous
// setting. The placeholder always runs on the caller's goroutine.
func SetThreads(n int) int { return int(threads.Swap(int64(n))) }

// Gemm computes C ← alpha·op(A)·op(B) + beta·C on row-major matrices,
// where op(X) is X or Xᵀ, op(A) is m×k and op(B) is k×n; lda, ldb and ldc
// are the row strides. With beta == 0, C is not read.
func Gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
		} else if beta != 1 {
			for j := range row {
				row[j] *= beta
			}
		}
	}
	if k == 0 || alpha == 0 {
		return
	}
	switch {
	case !transB:
		// C[i,:] += Σ_p alpha·op(A)[i,p]·B[p,:]: unit-stride rows of B and C.
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for p := 0; p < k; p++ {
				var av T
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if av == 0 {
					continue
				}
				av *= alpha
				brow := b[p*ldb : p*ldb+n]
				for j, bv := range brow {
					row[j] += av * bv
				}
			}
		}
	case !transA:
		// C[i,j] += alpha·A[i,:]·B[j,:]: two unit-stride rows.
		for i := 0; i < m; i++ {
			arow := a[i*lda : i*lda+k]
			for j := 0; j < n; j++ {
				brow := b[j*ldb : j*ldb+k]
				var s T
				for p, av := range arow {
					s += av * brow[p]
				}
				c[i*ldc+j] += alpha * s
			}
		}
	default:
		// C[i,j] += alpha·Σ_p A[p,i]·B[j,p].
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				brow := b[j*ldb : j*ldb+k]
				var s T
				for p, bv := range brow {
					s += a[p*lda+i] * bv
				}
				c[i*ldc+j] += alpha * s
			}
		}
	}
}
