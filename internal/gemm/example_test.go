package gemm_test

import (
	"fmt"
	"slices"

	"github.com/descent-ml/descent/internal/gemm"
)

func ExampleGemm() {
	// C ← 2·A·Bᵀ + C with A 2×3 and B stored 2×3 (so op(B) = Bᵀ is 3×2).
	a := []float64{1, 2, 3, 4, 5, 6}
	b := []float64{1, 0, 1, 0, 1, 0}
	c := []float64{1, 1, 1, 1}
	gemm.Gemm(false, true, 2, 2, 3, 2, a, 3, b, 3, 1, c, 2)
	fmt.Println(c)
	// Output: [9 5 21 11]
}

func ExampleGemm_float32() {
	// beta = 0: C is not read, so its NaN is ignored.
	a := []float32{1, 2, 3, 4}
	c := []float32{float32(0) / zero, 0, 0, 0}
	gemm.Gemm(true, false, 2, 2, 2, 1, a, 2, a, 2, 0, c, 2) // AᵀA
	fmt.Println(c)
	// Output: [10 14 14 20]
}

var zero float32

func ExampleSetThreads() {
	prev := gemm.SetThreads(1) // every product on the caller's goroutine
	defer gemm.SetThreads(prev)
	x := []float64{1, 2, 3}
	y := make([]float64, 1)
	gemm.Gemm(false, true, 1, 1, 3, 1, x, 3, x, 3, 0, y, 1) // x·xᵀ
	fmt.Println(y[0])
	// Output: 14
}

func ExampleKernel() {
	fmt.Println(slices.Contains([]string{"avx512", "avx2", "generic", "openblas"}, gemm.Kernel()))
	// Output: true
}
