package graph

import (
	"gonum.org/v1/gonum/blas"
	gblas "gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/floats"
	"gorgonia.org/tensor"
)

var impl gblas.Implementation

// linalgKernel handles Gorgonia's matrix product, matrix-vector product,
// dot product and outer product, each with optional transposes, through
// gonum's BLAS. A product with a single output row or column runs as a
// matrix-vector product.
func linalgKernel[T Float](p *program[T], in []int, sa, sb, so tensor.Shape, tA, tB bool, out []T) func() error {
	ia, ib := in[0], in[1]
	switch {
	case len(sa) == 2 && len(sb) == 2 && len(so) == 2:
		m, n := so[0], so[1]
		k := sa[1]
		if tA {
			k = sa[0]
		}
		lda, ldb := sa[1], sb[1]
		switch {
		case n > 1 && n <= narrowCols && k >= rowKernelCols && !tB && m > 1:
			if f := narrowMatmul(p, ia, ib, tA, m, n, k, out); f != nil {
				return f
			}
		}
		switch {
		case n == 1: // out = op(A)·b, b holds k contiguous values either way
			return func() error { gemv(tA, sa[0], sa[1], p.vals[ia], lda, p.vals[ib], out); return nil }
		case m == 1: // out = op(B)ᵀ·a
			return func() error { gemv(!tB, sb[0], sb[1], p.vals[ib], ldb, p.vals[ia], out); return nil }
		}
		return func() error { gemm(tA, tB, m, n, k, p.vals[ia], lda, p.vals[ib], ldb, out, n); return nil }
	case len(sa) == 2 && len(sb) == 1 && len(so) == 1:
		return func() error { gemv(tA, sa[0], sa[1], p.vals[ia], sa[1], p.vals[ib], out); return nil }
	case len(sa) == 1 && len(sb) == 1 && so.IsScalar():
		return func() error { out[0] = dot(p.vals[ia], p.vals[ib]); return nil }
	case len(sa) == 1 && len(sb) == 1 && len(so) == 2:
		return func() error {
			a, b := p.vals[ia], p.vals[ib]
			for i, x := range a {
				row := out[i*len(b) : (i+1)*len(b)]
				for j, y := range b {
					row[j] = x * y
				}
			}
			return nil
		}
	}
	return nil
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// gemm computes c = op(a)·op(b), c being m×n with leading dimension ldc.
func gemm[T Float](tA, tB bool, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) {
	switch a := any(a).(type) {
	case []float64:
		impl.Dgemm(trans(tA), trans(tB), m, n, k, 1, a, lda, any(b).([]float64), ldb, 0, any(c).([]float64), ldc)
	case []float32:
		impl.Sgemm(trans(tA), trans(tB), m, n, k, 1, a, lda, any(b).([]float32), ldb, 0, any(c).([]float32), ldc)
	}
}

// gemv computes y = op(a)·x for the rows×cols matrix a. In float64 it runs
// row by row on gonum's assembly dot and axpy kernels, which stream a
// large matrix about 2.5× faster than gonum's Dgemv (13.9 ms against 5.0 ms
// for 100000×100 on the project's machine, BenchmarkGemv).
func gemv[T Float](tA bool, rows, cols int, a []T, lda int, x, y []T) {
	switch a := any(a).(type) {
	case []float64:
		xs, ys := any(x).([]float64), any(y).([]float64)
		if cols < rowKernelCols {
			impl.Dgemv(trans(tA), rows, cols, 1, a, lda, xs, 1, 0, ys, 1)
			return
		}
		if !tA {
			for r := 0; r < rows; r++ {
				ys[r] = floats.Dot(a[r*lda:r*lda+cols], xs)
			}
			return
		}
		clear(ys[:cols])
		for r := 0; r < rows; r++ {
			if v := xs[r]; v != 0 {
				floats.AddScaled(ys[:cols], v, a[r*lda:r*lda+cols])
			}
		}
	case []float32:
		impl.Sgemv(trans(tA), rows, cols, 1, a, lda, any(x).([]float32), 1, 0, any(y).([]float32), 1)
	}
}

// narrowCols is the widest output that narrowMatmul handles.
const narrowCols = 16

// narrowMatmul computes a product with few output columns (softmax logits,
// a classifier's last layer) row by row on gonum's assembly dot and axpy,
// where gonum's Dgemm would run axpys only n long:
//
//	A×B:  out[r,c] = A[r,:]·Bᵀ[c,:], with B transposed once per call;
//	Aᵀ×B: outᵀ[c,:] += B[r,c]·A[r,:] over the rows r, then transposed.
//
// It is float64 only; nil means the caller falls back to gemm.
func narrowMatmul[T Float](p *program[T], ia, ib int, tA bool, m, n, k int, out []T) func() error {
	if _, ok := any(out).([]float64); !ok {
		return nil
	}
	scratch := make([]float64, n*max(k, m))
	o := any(out).([]float64)
	if !tA { // A is m×k, B is k×n
		return func() error {
			a, b := any(p.vals[ia]).([]float64), any(p.vals[ib]).([]float64)
			bt := scratch[:n*k]
			for j := 0; j < k; j++ {
				for c := 0; c < n; c++ {
					bt[c*k+j] = b[j*n+c]
				}
			}
			for r := 0; r < m; r++ {
				row := a[r*k : r*k+k]
				for c := 0; c < n; c++ {
					o[r*n+c] = floats.Dot(row, bt[c*k:c*k+k])
				}
			}
			return nil
		}
	}
	// A is k×m (rows of data), B is k×n, out = AᵀB is m×n.
	return func() error {
		a, b := any(p.vals[ia]).([]float64), any(p.vals[ib]).([]float64)
		ot := scratch[:n*m]
		clear(ot)
		for r := 0; r < k; r++ {
			row := a[r*m : r*m+m]
			for c := 0; c < n; c++ {
				if v := b[r*n+c]; v != 0 {
					floats.AddScaled(ot[c*m:c*m+m], v, row)
				}
			}
		}
		for c := 0; c < n; c++ {
			for j := 0; j < m; j++ {
				o[j*n+c] = ot[c*m+j]
			}
		}
		return nil
	}
}

// rowKernelCols is the width from which gemv runs row by row; narrower
// matrices pay more in per-row calls than gonum's Dgemv loses.
const rowKernelCols = 32

func dot[T Float](a, b []T) T {
	var s T
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
