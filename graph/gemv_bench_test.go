package graph

import (
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/floats"
)

func BenchmarkGemv(b *testing.B) {
	rows, cols := 100000, 100
	A := make([]float64, rows*cols)
	for i := range A {
		A[i] = float64(i%7) * 0.1
	}
	x := make([]float64, cols)
	y := make([]float64, rows)
	b.Run("gemvN", func(b *testing.B) {
		for b.Loop() {
			impl.Dgemv(blas.NoTrans, rows, cols, 1, A, cols, x, 1, 0, y, 1)
		}
	})
	b.Run("dotrows", func(b *testing.B) {
		for b.Loop() {
			for r := 0; r < rows; r++ {
				y[r] = floats.Dot(A[r*cols:r*cols+cols], x)
			}
		}
	})
	b.Run("gemvT", func(b *testing.B) {
		for b.Loop() {
			impl.Dgemv(blas.Trans, rows, cols, 1, A, cols, y, 1, 0, x, 1)
		}
	})
}
