package graph

import (
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/internal/gemm"
)

// linalgKernel handles Gorgonia's matrix product, matrix-vector product,
// dot product and outer product, each with optional transposes. Every
// matrix product runs on Descent's packed GEMM (internal/gemm), whose
// transposes are folded into its packing and whose matrix-vector shapes
// take its dot and axpy paths.
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
		return func() error {
			gemm.Gemm(tA, tB, m, n, k, 1, p.vals[ia], lda, p.vals[ib], ldb, 0, out, n)
			return nil
		}
	case len(sa) == 2 && len(sb) == 1 && len(so) == 1:
		// y = op(A)·x: an (m×k)·(k×1) product.
		m, k := sa[0], sa[1]
		if tA {
			m, k = k, m
		}
		lda := sa[1]
		return func() error {
			gemm.Gemm(tA, false, m, 1, k, 1, p.vals[ia], lda, p.vals[ib], 1, 0, out, 1)
			return nil
		}
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

func dot[T Float](a, b []T) T {
	var s T
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
