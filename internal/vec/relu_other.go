//go:build !amd64 || purego

package vec

const useAVX2 = false

func reluF32AVX2(out, x *float32, n int)           { panic("vec: no AVX2") }
func reluF64AVX2(out, x *float64, n int)           { panic("vec: no AVX2") }
func reluGradF32AVX2(out, x, grad *float32, n int) { panic("vec: no AVX2") }
func reluGradF64AVX2(out, x, grad *float64, n int) { panic("vec: no AVX2") }

func maxPool2F32(y, x *float32, rows, ow, w, blocks int) { panic("vec: no AVX2") }
func maxPool2BackF32(dx, x, y, dy *float32, rows, ow, w, blocks int) {
	panic("vec: no AVX2")
}
