//go:build openblas

package gemm

import (
	"fmt"
	"math"

	"github.com/descent-ml/descent/internal/gemm/cblas"
)

// openblas is whether Gemm calls OpenBLAS (build tag openblas) instead of the Go kernels.
const openblas = true

// cblasGemm hands a validated product with m, n, k > 0 and alpha ≠ 0 to cblas_sgemm or
// cblas_dgemm (row-major). OpenBLAS, like reference BLAS, does not read C when beta is 0.
func cblasGemm[E elem](transA, transB bool, m, n, k int, alpha E, a []E, lda int, b []E, ldb int, beta E, c []E, ldc int) {
	for _, v := range []int{m, n, k, lda, ldb, ldc} {
		if v > math.MaxInt32 {
			panic(fmt.Sprintf("gemm: size or stride %d exceeds the 32-bit range of cblas", v))
		}
	}
	switch any(alpha).(type) {
	case float32:
		cblas.Sgemm(transA, transB, m, n, k, float32(alpha), as[float32](a), lda, as[float32](b), ldb, float32(beta), as[float32](c), ldc)
	default:
		cblas.Dgemm(transA, transB, m, n, k, float64(alpha), as[float64](a), lda, as[float64](b), ldb, float64(beta), as[float64](c), ldc)
	}
}
