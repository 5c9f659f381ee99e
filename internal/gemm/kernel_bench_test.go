package gemm

import (
	"fmt"
	"testing"
)

// BenchmarkMicroKernel measures each micro-kernel alone on slivers that stay in L1: the
// ceiling the blocked loops can reach on one core.
func BenchmarkMicroKernel(b *testing.B) {
	for _, s := range kernelSets {
		if !s.ok() {
			continue
		}
		benchKernel(b, s.name, &s.f64)
		benchKernel(b, s.name, &s.f32)
		if s.f32.narrow != nil {
			benchKernel(b, s.name+"-narrow", s.f32.narrow)
		}
	}
}

func benchKernel[E elem](b *testing.B, name string, kr *kernel[E]) {
	const kc = 256
	b.Run(fmt.Sprintf("%T/%s/%dx%d", E(0), name, kr.mr, kr.nr), func(b *testing.B) {
		a, bb, c := fill[E](kc*kr.mr), fill[E](kc*kr.nr), make([]E, kr.mr*kr.nr)
		cpu0 := cpuSeconds()
		for b.Loop() {
			kr.fn(kc, &a[0], &bb[0], &c[0], kr.nr, 1, true)
		}
		reportGFLOPS(b, kr.mr, kr.nr, kc, cpu0)
	})
}
