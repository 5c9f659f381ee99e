package gemm

import (
	"os"
	"sync/atomic"
)

// elem is the set of element types the internal code is written for; Gemm maps every Float
// type onto one of them.
type elem interface{ float32 | float64 }

// microKernel computes one mr×nr tile of C from a packed A sliver (k steps of mr values) and a
// packed B sliver (k steps of nr values): C ← A·B when load is false (C is not read), and
// C ← beta·C + A·B when load is true. C's rows are ldc elements apart.
type microKernel[E elem] func(k int, a, b, c *E, ldc int, beta E, load bool)

// directKernel is microKernel reading A in place with row stride lda: row i of the sliver
// at a[i·lda:] (an A that is not transposed), or the mr values of step p at a[p·lda:] (a
// transposed A). Either way A needs no packing.
type directKernel[E elem] func(k int, a *E, lda int, b, c *E, ldc int, beta E, load bool)

// transposer packs b rows of a matrix at a time into a sliver's column order: fn sets
// dst[(b·q+p)·ldd + i] = s·src[i·lds + b·q+p] for i, p < b and q < blocks.
type transposer[E elem] struct {
	fn func(dst *E, ldd int, src *E, lds int, blocks int, s E)
	b  int
}

// rowEdge is an in-place kernel for mr rows.
type rowEdge[E elem] struct {
	mr              int
	direct, directT directKernel[E]
}

// rowCopier packs rows that are already in a sliver's order: fn sets
// dst[r·w + j] = s·src[r·lds + j] for r < rows and j < w, when w is a multiple of lanes.
type rowCopier[E elem] struct {
	fn    func(dst, src *E, lds, rows, w int, s E)
	lanes int
}

// kernel is a micro-kernel with its register block (mr×nr) and its cache blocks: a packed A
// block is at most mc×kc, a packed B panel at most kc×nc (mc a multiple of mr, nc of nr).
// direct and directT, when not nil, are the same kernel reading A in place, as stored
// (row i at a[i·lda:]) and transposed (step p at a[p·lda:]).
type kernel[E elem] struct {
	fn         microKernel[E]
	direct     directKernel[E]
	directT    directKernel[E]
	mr, nr     int
	mc, kc, nc int
	trans      transposer[E] // fn nil: packing transposes in Go
	rows       rowCopier[E]  // fn nil: packing copies rows in Go

	// dot and axpy, when not nil, are the unit-stride vector loops of the matrix-vector
	// paths: dot returns Σ x[i]·y[i], axpy sets y[i] += alpha·x[i], for i < n.
	dot  func(x, y *E, n int) E
	axpy func(alpha E, x, y *E, n int)

	// edgeRows are in-place kernels with fewer rows (largest first) for the last rows of a
	// block, which would otherwise be packed and merged through the edge tile.
	edgeRows []rowEdge[E]

	// narrow, when not nil, is a kernel with a smaller nr for products with at most
	// narrow.nr columns.
	narrow *kernel[E]
}

// forColumns returns the kernel to use for a product with n columns.
func (kr *kernel[E]) forColumns(n int) *kernel[E] {
	if kr.narrow != nil && n <= kr.narrow.nr {
		return kr.narrow
	}
	return kr
}

// kernelSet is one instruction-set's pair of kernels.
type kernelSet struct {
	name string
	f32  kernel[float32]
	f64  kernel[float64]
	ok   func() bool // whether this CPU runs the set
}

// kernelSets lists the sets from the most preferred to the least; generic is always last and
// always runs.
var kernelSets = append(asmKernelSets(), genericSet)

// active is the set in use.
var active atomic.Pointer[kernelSet]

func init() {
	active.Store(pickKernelSet(os.Getenv("DESCENT_GEMM")))
}

// pickKernelSet returns the set named by want when the CPU runs it, else the first set the
// CPU runs. want is the value of DESCENT_GEMM ("", "avx512", "avx2" or "generic").
func pickKernelSet(want string) *kernelSet {
	if s := findKernelSet(want); s != nil {
		return s
	}
	for _, s := range kernelSets {
		if s.ok() {
			return s
		}
	}
	return genericSet
}

// findKernelSet returns the set called name when this CPU runs it, else nil.
func findKernelSet(name string) *kernelSet {
	for _, s := range kernelSets {
		if s.name == name && s.ok() {
			return s
		}
	}
	return nil
}

// Kernel names the micro-kernel in use ("avx512", "avx2" or "generic"), for benchmark
// reports. The environment variable DESCENT_GEMM, read at start-up, forces one of them
// when the CPU supports it.
// Built with -tags openblas, Gemm calls OpenBLAS and Kernel returns "openblas".
func Kernel() string {
	if openblas {
		return "openblas"
	}
	return active.Load().name
}

// kernelFor returns the active kernel for element type E.
func kernelFor[E elem](s *kernelSet) *kernel[E] {
	var z E
	switch any(z).(type) {
	case float32:
		return any(&s.f32).(*kernel[E])
	default:
		return any(&s.f64).(*kernel[E])
	}
}
