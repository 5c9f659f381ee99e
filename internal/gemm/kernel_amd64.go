//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

//go:generate go run -C asmgen . -out ../kernel_amd64.s -stubs ../kernel_amd64_decl.go -pkg gemm

// asmKernelSets returns the assembly kernels of asmgen, best first. The block sizes were
// tuned on an AMD EPYC (Zen 5: 48 KiB L1d, 1 MiB L2 per core); see the package comment.
func asmKernelSets() []*kernelSet {
	t64 := transposer[float64]{transF64x4, 4}
	t32 := transposer[float32]{transF32x8, 8}
	r64 := rowCopier[float64]{rowsF64, 4}
	r32 := rowCopier[float32]{rowsF32, 8}
	return []*kernelSet{
		{
			name: "avx512",
			f64: kernel[float64]{
				fn: kernF64AVX512, direct: kernF64AVX512Direct, directT: kernF64AVX512DirectT,
				mr: 12, nr: 16, mc: 240, kc: 256, nc: 4096,
				trans: t64, rows: r64, dot: dotF64, axpy: axpyF64,
				edgeRows: []rowEdge[float64]{
					{8, kernF64AVX512R8Direct, kernF64AVX512R8DirectT},
					{4, kernF64AVX512R4Direct, kernF64AVX512R4DirectT},
				},
			},
			f32: kernel[float32]{
				fn: kernF32AVX512, direct: kernF32AVX512Direct, directT: kernF32AVX512DirectT,
				mr: 12, nr: 32, mc: 240, kc: 256, nc: 4096,
				trans: t32, rows: r32, dot: dotF32, axpy: axpyF32,
				edgeRows: []rowEdge[float32]{
					{8, kernF32AVX512R8Direct, kernF32AVX512R8DirectT},
					{4, kernF32AVX512R4Direct, kernF32AVX512R4DirectT},
				},
				narrow: &kernel[float32]{
					fn: kernF32AVX512N, direct: kernF32AVX512NDirect, directT: kernF32AVX512NDirectT,
					mr: 12, nr: 16, mc: 240, kc: 256, nc: 4096,
					trans: t32, rows: r32, dot: dotF32, axpy: axpyF32,
					edgeRows: []rowEdge[float32]{
						{8, kernF32AVX512NR8Direct, kernF32AVX512NR8DirectT},
						{4, kernF32AVX512NR4Direct, kernF32AVX512NR4DirectT},
					},
				},
			},
			ok: func() bool { return cpu.X86.HasAVX512F && cpu.X86.HasAVX2 && cpu.X86.HasFMA },
		},
		{
			name: "avx2",
			f64: kernel[float64]{
				fn: kernF64AVX2, direct: kernF64AVX2Direct, directT: kernF64AVX2DirectT,
				mr: 6, nr: 8, mc: 120, kc: 384, nc: 4096,
				trans: t64, rows: r64, dot: dotF64, axpy: axpyF64,
			},
			f32: kernel[float32]{
				fn: kernF32AVX2, direct: kernF32AVX2Direct, directT: kernF32AVX2DirectT,
				mr: 6, nr: 16, mc: 120, kc: 384, nc: 4096,
				trans: t32, rows: r32, dot: dotF32, axpy: axpyF32,
			},
			ok: func() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA },
		},
	}
}
