//go:build !openblas

package gemm

// openblas is whether Gemm calls OpenBLAS (build tag openblas) instead of the Go kernels.
const openblas = false

func cblasGemm[E elem](transA, transB bool, m, n, k int, alpha E, a []E, lda int, b []E, ldb int, beta E, c []E, ldc int) {
	panic("gemm: built without the openblas tag")
}
