package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzGemm checks Gemm against the float64 reference on fuzzed shapes, transposes, alpha,
// beta, padding and kernel. Sizes are taken modulo 80 to keep each case fast.
func FuzzGemm(f *testing.F) {
	f.Add(uint8(7), uint8(13), uint8(31), uint8(0), 1.0, 0.0, uint8(0), uint8(0))
	f.Add(uint8(13), uint8(33), uint8(65), uint8(3), -0.5, 2.0, uint8(3), uint8(1))
	f.Fuzz(func(t *testing.T, m, n, k, trans uint8, alpha, beta float64, pad, kern uint8) {
		if math.IsNaN(alpha) || math.IsNaN(beta) || math.Abs(alpha) > 1e6 || math.Abs(beta) > 1e6 {
			t.Skip("alpha and beta must be finite and moderate for the error bound")
		}
		var sets []*kernelSet
		for _, s := range kernelSets {
			if s.ok() {
				sets = append(sets, s)
			}
		}
		defer active.Store(active.Load())
		active.Store(sets[int(kern)%len(sets)])
		tc := gemmCase{
			tA: trans&1 != 0, tB: trans&2 != 0,
			m: int(m) % 80, n: int(n) % 80, k: int(k) % 80,
			alpha: alpha, beta: beta, pad: int(pad % 4), cNaN: trans&4 != 0,
		}
		tc.check(t, rand.New(rand.NewPCG(uint64(m)<<16|uint64(n)<<8|uint64(k), uint64(trans))))
	})
}
