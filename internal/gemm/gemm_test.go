package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// forEachKernel runs f once per kernel set this CPU supports, with that set forced.
func forEachKernel(t *testing.T, f func(t *testing.T, s *kernelSet)) {
	t.Helper()
	for _, s := range kernelSets {
		t.Run(s.name, func(t *testing.T) {
			if !s.ok() {
				t.Skipf("this CPU does not run the %s kernels", s.name)
			}
			defer active.Store(active.Load())
			active.Store(s)
			f(t, s)
		})
	}
}

// matrix is a stored row-major matrix with its row stride and padding filled with NaN, so a
// read outside the matrix shows up in the result.
type matrix struct {
	rows, cols, ld int
	data           []float64
}

func newMatrix(rng *rand.Rand, rows, cols, pad int) matrix {
	ld := max(1, cols+pad)
	n := 0
	if rows > 0 {
		n = (rows-1)*ld + cols
	}
	x := matrix{rows, cols, ld, make([]float64, n+pad)}
	for i := range x.data {
		x.data[i] = math.NaN()
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			x.data[i*ld+j] = 2*rng.Float64() - 1
		}
	}
	return x
}

func (x matrix) at(trans bool, i, j int) float64 {
	if trans {
		i, j = j, i
	}
	return x.data[i*x.ld+j]
}

// reference is C ← alpha·op(A)·op(B) + beta·C by the triple loop in float64, with bound[i][j]
// = |alpha|·Σ|a||b| + |beta·c|, the scale of the rounding error.
func reference(tA, tB bool, m, n, k int, alpha float64, a, b matrix, beta float64, c matrix) (want, bound []float64) {
	want = make([]float64, m*n)
	bound = make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, sa float64
			for p := 0; p < k; p++ {
				v := a.at(tA, i, p) * b.at(tB, p, j)
				s += v
				sa += math.Abs(v)
			}
			var cb float64
			if beta != 0 {
				cb = beta * c.data[i*c.ld+j]
			}
			want[i*n+j] = alpha*s + cb
			bound[i*n+j] = math.Abs(alpha)*sa + math.Abs(cb)
		}
	}
	return want, bound
}

// check runs Gemm on one case in both precisions and compares with the reference.
type gemmCase struct {
	tA, tB      bool
	m, n, k     int
	alpha, beta float64
	pad         int // extra elements per stored row
	cNaN        bool
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("%s%s/%dx%dx%d/a=%g/b=%g/pad=%d", tr(tc.tA), tr(tc.tB), tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.pad)
}

func tr(t bool) string {
	if t {
		return "T"
	}
	return "N"
}

func (tc gemmCase) check(t *testing.T, rng *rand.Rand) {
	t.Helper()
	ra, ca := tc.m, tc.k
	if tc.tA {
		ra, ca = ca, ra
	}
	rb, cb := tc.k, tc.n
	if tc.tB {
		rb, cb = cb, rb
	}
	a := newMatrix(rng, ra, ca, tc.pad)
	b := newMatrix(rng, rb, cb, tc.pad+1)
	c := newMatrix(rng, tc.m, tc.n, tc.pad+2)
	if tc.beta == 0 && tc.cNaN {
		for i := 0; i < tc.m; i++ {
			for j := 0; j < tc.n; j++ {
				c.data[i*c.ld+j] = math.NaN()
			}
		}
	}
	want, bound := reference(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, b, tc.beta, c)

	c64 := append([]float64(nil), c.data...)
	Gemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a.data, a.ld, b.data, b.ld, tc.beta, c64, c.ld)
	compare(t, tc, "float64", c, c64, want, bound, 1e-14*float64(tc.k+2))

	c32 := to32(c.data)
	Gemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(tc.alpha), to32(a.data), a.ld, to32(b.data), b.ld, float32(tc.beta), c32, c.ld)
	compare(t, tc, "float32", c, to64(c32), want, bound, 1e-6*float64(tc.k+2))
}

// compare checks got against want inside C and checks that the padding of C is untouched.
func compare(t *testing.T, tc gemmCase, dtype string, c matrix, got, want, bound []float64, tol float64) {
	t.Helper()
	bad := 0
	for i := range got {
		r, j := i/c.ld, i%c.ld
		if r >= tc.m || j >= tc.n {
			if !math.IsNaN(got[i]) {
				t.Errorf("%v %s: padding element %d of C was written: %g", tc, dtype, i, got[i])
				return
			}
			continue
		}
		w, e := want[r*tc.n+j], bound[r*tc.n+j]*tol
		if !(math.Abs(got[i]-w) <= e+1e-300) {
			if bad++; bad <= 3 {
				t.Errorf("%v %s: C[%d][%d] = %g, want %g (±%g)", tc, dtype, r, j, got[i], w, e)
			}
		}
	}
	if bad > 3 {
		t.Errorf("%v %s: %d wrong elements in all", tc, dtype, bad)
	}
}

func to32(x []float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(v)
	}
	return y
}

func to64(x []float32) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(v)
	}
	return y
}

// shapes lists m×n×k for every shape class, around the block edges of kernels f32 and f64.
func shapes(s *kernelSet, long bool) [][3]int {
	out := [][3]int{
		{1, 1, 1}, {0, 3, 4}, {3, 0, 4}, {3, 4, 0}, {0, 0, 0},
		{7, 13, 31}, {13, 7, 97}, {31, 97, 7}, {97, 31, 13},
		{1, 100, 7}, {5, 1, 9}, {100, 1, 64}, {1, 1, 300}, {2, 3, 1}, {17, 10, 64},
		// At most 16 columns (the narrow float32 kernel) with a tall partial row tile.
		{23, 13, 40}, {35, 16, 17}, {47, 9, 70},
	}
	around := func(x int) []int { return []int{x - 1, x, x + 1} }
	for _, kr := range []struct{ mr, nr, mc, kc, nc int }{
		{s.f32.mr, s.f32.nr, s.f32.mc, s.f32.kc, s.f32.nc},
		{s.f64.mr, s.f64.nr, s.f64.mc, s.f64.kc, s.f64.nc},
	} {
		for _, x := range around(kr.mr) {
			out = append(out, [3]int{x, kr.nr, 5}, [3]int{x, 2*kr.nr + 1, 9})
		}
		for _, x := range around(kr.nr) {
			out = append(out, [3]int{kr.mr, x, 5}, [3]int{2*kr.mr + 1, x, 9})
		}
		for _, x := range around(kr.mc) {
			out = append(out, [3]int{x, kr.nr + 3, 6})
		}
		for _, x := range around(kr.kc) {
			out = append(out, [3]int{kr.mr + 1, kr.nr - 1, x})
		}
		if long {
			for _, x := range around(kr.nc) {
				out = append(out, [3]int{3, x, 5})
			}
			out = append(out, [3]int{kr.mc + 1, kr.nr + 1, kr.kc + 1})
		}
	}
	if long {
		out = append(out, [3]int{128, 128, 64}, [3]int{250, 40, 300}, [3]int{1000, 33, 65})
		// Row strides of 4 KiB (float32) and 8 KiB: A is packed instead of read in place.
		out = append(out, [3]int{61, 19, 1024}, [3]int{61, 19, 2048})
	}
	return out
}

func TestGemmShapes(t *testing.T) {
	forEachKernel(t, func(t *testing.T, s *kernelSet) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, sh := range shapes(s, !testing.Short()) {
			for _, tA := range []bool{false, true} {
				for _, tB := range []bool{false, true} {
					gemmCase{tA: tA, tB: tB, m: sh[0], n: sh[1], k: sh[2], alpha: 1.5, beta: -0.5, pad: 1}.check(t, rng)
				}
			}
		}
	})
}

func TestGemmAlphaBeta(t *testing.T) {
	forEachKernel(t, func(t *testing.T, s *kernelSet) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, sh := range [][3]int{{1, 1, 1}, {7, 13, 31}, {s.f64.mr + 1, s.f32.nr + 1, s.f64.kc + 1}, {1, 9, 4}, {9, 1, 4}} {
			for _, alpha := range []float64{0, 1, -0.5, 2} {
				for _, beta := range []float64{0, 1, -0.5, 3} {
					for _, tAB := range []int{0, 1, 2, 3} {
						tc := gemmCase{tA: tAB&1 != 0, tB: tAB&2 != 0, m: sh[0], n: sh[1], k: sh[2], alpha: alpha, beta: beta, pad: tAB, cNaN: true}
						tc.check(t, rng)
					}
				}
			}
		}
	})
}

// TestGemmTightStrides runs every transpose with leading dimensions equal to the row length.
func TestGemmTightStrides(t *testing.T) {
	forEachKernel(t, func(t *testing.T, s *kernelSet) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, sh := range [][3]int{{13, 29, 33}, {s.f32.mr*2 + 1, s.f32.nr*2 - 1, 70}, {64, 10, 128}} {
			for tAB := 0; tAB < 4; tAB++ {
				gemmCase{tA: tAB&1 != 0, tB: tAB&2 != 0, m: sh[0], n: sh[1], k: sh[2], alpha: 1, beta: 0, cNaN: true}.check(t, rng)
			}
		}
	})
}

// TestGemmThreads splits big products over several goroutines and checks every split.
func TestGemmThreads(t *testing.T) {
	if testing.Short() {
		t.Skip("large products")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	defer SetThreads(SetThreads(0))
	forEachKernel(t, func(t *testing.T, s *kernelSet) {
		rng := rand.New(rand.NewPCG(7, 8))
		for _, sh := range [][3]int{{256, 256, 64}, {500, 37, 100}, {37, 500, 100}, {s.f64.mr * 3, 1000, 40}} {
			gemmCase{m: sh[0], n: sh[1], k: sh[2], alpha: 1, beta: 0.5, pad: 2}.check(t, rng)
			gemmCase{tA: true, tB: true, m: sh[0], n: sh[1], k: sh[2], alpha: -1, beta: 0, pad: 0}.check(t, rng)
		}
	})
}

// TestNumParts checks the work-aware split: small products stay on one goroutine, and the
// bound set by SetThreads holds.
func TestNumParts(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
	defer SetThreads(SetThreads(0))
	for _, tc := range []struct {
		m, n, k, threads, want int
	}{
		{128, 10, 64, 0, 1},      // 2^16.3 multiply-adds: the caller's goroutine
		{64, 64, 63, 0, 1},       // just under 2^18
		{64, 64, 64, 0, 2},       // 2^18: two parts of 2^17
		{128, 128, 64, 0, 8},     // 2^20
		{1000, 1000, 1000, 0, 8}, // GOMAXPROCS
		{1000, 1000, 1000, 3, 3}, // SetThreads
		{1000, 1000, 1000, 1, 1},
	} {
		SetThreads(tc.threads)
		if got := numParts(tc.m, tc.n, tc.k); got != tc.want {
			t.Errorf("numParts(%d, %d, %d) with SetThreads(%d) = %d, want %d", tc.m, tc.n, tc.k, tc.threads, got, tc.want)
		}
	}
}

// TestGemmConcurrent runs products from several goroutines at once (for -race).
func TestGemmConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 9))
			for i := 0; i < 3; i++ {
				gemmCase{m: 96, n: 80, k: 64 + g, alpha: 1, beta: 1, pad: 1}.check(t, rng)
			}
		}()
	}
	wg.Wait()
}

type myFloat float32

// TestGemmNamedType calls Gemm on a defined float type.
func TestGemmNamedType(t *testing.T) {
	a := []myFloat{1, 2, 3, 4}
	b := []myFloat{5, 6, 7, 8}
	c := []myFloat{1, 1, 1, 1}
	Gemm(false, false, 2, 2, 2, 1, a, 2, b, 2, 1, c, 2)
	want := []myFloat{20, 23, 44, 51}
	for i := range c {
		if c[i] != want[i] {
			t.Fatalf("C = %v, want %v", c, want)
		}
	}
}

func TestGemmPanics(t *testing.T) {
	f := make([]float64, 12)
	for _, tc := range []struct {
		name string
		call func()
		want string
	}{
		{"negative m", func() { Gemm(false, false, -1, 2, 2, 1, f, 2, f, 2, 0, f, 2) }, "gemm: negative size m=-1 n=2 k=2"},
		{"short lda", func() { Gemm(false, false, 2, 2, 3, 1, f, 2, f, 2, 0, f, 2) }, "gemm: lda=2 is less than the 3 columns of the stored 2×3 A"},
		{"short ldb trans", func() { Gemm(false, true, 2, 4, 3, 1, f, 3, f, 2, 0, f, 4) }, "gemm: ldb=2 is less than the 3 columns of the stored 4×3 B"},
		{"short c", func() { Gemm(false, false, 4, 4, 1, 1, f, 1, f, 4, 0, f[:10], 4) }, "gemm: len(C)=10 is too short for a 4×4 matrix with row stride 4 (needs 16)"},
		{"short a trans", func() { Gemm(true, false, 3, 2, 5, 1, f[:11], 3, f, 2, 0, f, 2) }, "gemm: len(A)=11 is too short for a 5×3 matrix with row stride 3 (needs 15)"},
		{"zero ldc", func() { Gemm(false, false, 0, 0, 0, 1, f, 1, f, 1, 0, f, 0) }, "gemm: ldc=0 is less than the 1 columns of the stored 0×0 C"},
		{"negative threads", func() { SetThreads(-1) }, "gemm: SetThreads(-1): the bound must be >= 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.Contains(s, tc.want) {
					t.Errorf("panic %v, want %q", r, tc.want)
				}
			}()
			tc.call()
		})
	}
}

// TestGemmAllocs checks that a steady stream of products allocates nothing, on one goroutine
// and split over several.
func TestGemmAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items on purpose under the race detector")
	}
	defer SetThreads(SetThreads(2))
	for _, sh := range [][3]int{{128, 64, 10}, {5, 1, 9}, {1, 100, 30}, {128, 128, 64}, {200, 300, 100}} {
		m, n, k := sh[0], sh[1], sh[2]
		a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
		a64, b64, c64 := make([]float64, m*k), make([]float64, k*n), make([]float64, m*n)
		allocs := testing.AllocsPerRun(20, func() {
			Gemm(false, true, m, n, k, 1, a, k, b, k, 0, c, n)
			Gemm(true, false, m, n, k, 1, a64, m, b64, n, 1, c64, n)
		})
		if allocs != 0 {
			t.Errorf("%dx%dx%d: %v allocations per run, want 0", m, n, k, allocs)
		}
	}
}

// TestGemmDotPath checks the products A·Bᵀ computed as one dot product per
// element of C (dotShaped): around its bounds on m·n and k, with alpha,
// beta (and a NaN-filled C for beta 0) and padded strides, and that the
// other transposes of the same sizes agree too.
func TestGemmDotPath(t *testing.T) {
	forEachKernel(t, func(t *testing.T, s *kernelSet) {
		rng := rand.New(rand.NewPCG(11, 12))
		for _, sh := range [][3]int{{25, 6, 15680}, {16, 16, dotMinK}, {16, 16, dotMinK - 1}, {16, 17, 600}, {2, 2, 700}, {9, 16, 4096}} {
			if sh[0]*sh[1] <= dotMaxOut && sh[2] >= dotMinK != dotShaped(sh[0], sh[1], sh[2]) {
				t.Fatalf("dotShaped(%v) disagrees with its bounds", sh)
			}
			for _, ab := range [][2]float64{{1, 0}, {-0.5, 2}, {2, 1}} {
				for tAB := 0; tAB < 4; tAB++ {
					gemmCase{tA: tAB&1 != 0, tB: tAB&2 != 0, m: sh[0], n: sh[1], k: sh[2], alpha: ab[0], beta: ab[1], pad: 3, cNaN: ab[1] == 0}.check(t, rng)
				}
			}
		}
	})
}
