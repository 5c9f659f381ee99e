package ops

import "github.com/descent-ml/descent/internal/gemm"

// mm computes C ← alpha·op(A)·op(B) + beta·C on row-major matrices with
// tight leading dimensions, op(A) m×k and op(B) k×n, on Descent's packed
// GEMM.
func mm[T Float](transA, transB bool, m, n, k int, alpha T, a, b []T, beta T, c []T) {
	lda, ldb := k, n
	if transA {
		lda = m
	}
	if transB {
		ldb = k
	}
	gemm.Gemm(transA, transB, m, n, k, alpha, a, max(lda, 1), b, max(ldb, 1), beta, c, max(n, 1))
}
