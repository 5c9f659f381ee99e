package graph

import (
	"testing"

	"gonum.org/v1/gonum/blas"
	gblas "gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/floats"

	"github.com/descent-ml/descent/internal/gemm"
)

// BenchmarkGemv compares the matrix-vector products of a wide linear
// model (100000×100, both ways) on Descent's GEMM, the executor's kernel,
// with gonum's Dgemv and a row-by-row gonum dot, side by side.
func BenchmarkGemv(b *testing.B) {
	rows, cols := 100000, 100
	A := make([]float64, rows*cols)
	for i := range A {
		A[i] = float64(i%7) * 0.1
	}
	x := make([]float64, cols)
	y := make([]float64, rows)
	var impl gblas.Implementation
	b.Run("gemm-N", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			gemm.Gemm(false, false, rows, 1, cols, 1, A, cols, x, 1, 0, y, 1)
		}
	})
	b.Run("gonum-gemvN", func(b *testing.B) {
		for b.Loop() {
			impl.Dgemv(blas.NoTrans, rows, cols, 1, A, cols, x, 1, 0, y, 1)
		}
	})
	b.Run("gonum-dotrows", func(b *testing.B) {
		for b.Loop() {
			for r := 0; r < rows; r++ {
				y[r] = floats.Dot(A[r*cols:r*cols+cols], x)
			}
		}
	})
	b.Run("gemm-T", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			gemm.Gemm(true, false, cols, 1, rows, 1, A, cols, y, 1, 0, x, 1)
		}
	})
	b.Run("gonum-gemvT", func(b *testing.B) {
		for b.Loop() {
			impl.Dgemv(blas.Trans, rows, cols, 1, A, cols, y, 1, 0, x, 1)
		}
	})
}
