//go:build amd64 && !purego

package vec

import "golang.org/x/sys/cpu"

// useAVX2 selects the assembly loops; DESCENT_GEMM=generic does not turn
// them off (they are exact).
var useAVX2 = cpu.X86.HasAVX2

// The loops take n, a positive multiple of 32 (float32) or 16 (float64).

//go:noescape
func reluF32AVX2(out, x *float32, n int)

//go:noescape
func reluF64AVX2(out, x *float64, n int)

//go:noescape
func reluGradF32AVX2(out, x, grad *float32, n int)

//go:noescape
func reluGradF64AVX2(out, x, grad *float64, n int)

// The pooling loops do blocks blocks of 4 outputs in each of rows rows.

//go:noescape
func maxPool2F32(y, x *float32, rows, ow, w, blocks int)

//go:noescape
func maxPool2BackF32(dx, x, y, dy *float32, rows, ow, w, blocks int)
