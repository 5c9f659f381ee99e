package gemm

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/blas"
	gblas "gonum.org/v1/gonum/blas/gonum"
)

// benchShapes are the products of issue 10 (m×k · k×n), then the small and skinny ones the
// executor issues.
var benchShapes = []struct {
	name     string
	m, n, k  int
	tA, tB   bool
	shortToo bool
}{
	{name: "1000x1000x1000", m: 1000, n: 1000, k: 1000},
	{name: "128x64.64x128", m: 128, n: 128, k: 64, shortToo: true},
	{name: "128x784.784x256", m: 128, n: 256, k: 784},
	{name: "128x64.64x10", m: 128, n: 10, k: 64, shortToo: true},
	{name: "64x128T.128x10", m: 64, n: 10, k: 128, tA: true, shortToo: true},
	{name: "128x10.64x10T", m: 128, n: 64, k: 10, tB: true, shortToo: true},
	{name: "5x100.100x1", m: 5, n: 1, k: 100, shortToo: true},
	{name: "1x100.100x64", m: 1, n: 64, k: 100, shortToo: true},
	{name: "16x16x16", m: 16, n: 16, k: 16, shortToo: true},
}

func flagOf(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

func lds(m, n, k int, tA, tB bool) (lda, ldb int) {
	lda, ldb = k, n
	if tA {
		lda = m
	}
	if tB {
		ldb = k
	}
	return lda, ldb
}

func fill[E elem](n int) []E {
	x := make([]E, n)
	for i := range x {
		x[i] = E(i%7) - 3
	}
	return x
}

// reportGFLOPS reports GFLOPS over wall time and, since the machine may be shared, over the
// process's CPU time since cpu0 (GFLOPS/cpu-s: on one thread, -cpu 1, the speed the code
// would have on an idle core).
func reportGFLOPS(b *testing.B, m, n, k int, cpu0 float64) {
	flops := 2 * float64(m) * float64(n) * float64(k) * float64(b.N)
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOPS")
	if cpu := cpuSeconds() - cpu0; cpu > 0 && cpu0 > 0 {
		b.ReportMetric(flops/cpu/1e9, "GFLOPS/cpu-s")
	}
}

// BenchmarkGemm compares Gemm with gonum's pure-Go Sgemm/Dgemm on the same products, in one
// run. `go test ./internal/gemm -bench . -run XXX`
func BenchmarkGemm(b *testing.B) {
	var impl gblas.Implementation
	for _, sh := range benchShapes {
		m, n, k := sh.m, sh.n, sh.k
		lda, ldb := lds(m, n, k, sh.tA, sh.tB)
		b.Run(fmt.Sprintf("f64/%s/%s", sh.name, Kernel()), func(b *testing.B) {
			if testing.Short() && !sh.shortToo {
				b.Skip("large")
			}
			x, y, c := fill[float64](m*k), fill[float64](k*n), make([]float64, m*n)
			Gemm(sh.tA, sh.tB, m, n, k, 1, x, lda, y, ldb, 0, c, n) // size the pooled buffers
			b.ReportAllocs()
			cpu0 := cpuSeconds()
			for b.Loop() {
				Gemm(sh.tA, sh.tB, m, n, k, 1, x, lda, y, ldb, 0, c, n)
			}
			reportGFLOPS(b, m, n, k, cpu0)
		})
		b.Run(fmt.Sprintf("f64/%s/gonum", sh.name), func(b *testing.B) {
			if testing.Short() && !sh.shortToo {
				b.Skip("large")
			}
			x, y, c := fill[float64](m*k), fill[float64](k*n), make([]float64, m*n)
			b.ReportAllocs()
			cpu0 := cpuSeconds()
			for b.Loop() {
				impl.Dgemm(flagOf(sh.tA), flagOf(sh.tB), m, n, k, 1, x, lda, y, ldb, 0, c, n)
			}
			reportGFLOPS(b, m, n, k, cpu0)
		})
		b.Run(fmt.Sprintf("f32/%s/%s", sh.name, Kernel()), func(b *testing.B) {
			if testing.Short() && !sh.shortToo {
				b.Skip("large")
			}
			x, y, c := fill[float32](m*k), fill[float32](k*n), make([]float32, m*n)
			Gemm(sh.tA, sh.tB, m, n, k, 1, x, lda, y, ldb, 0, c, n) // size the pooled buffers
			b.ReportAllocs()
			cpu0 := cpuSeconds()
			for b.Loop() {
				Gemm(sh.tA, sh.tB, m, n, k, 1, x, lda, y, ldb, 0, c, n)
			}
			reportGFLOPS(b, m, n, k, cpu0)
		})
		b.Run(fmt.Sprintf("f32/%s/gonum", sh.name), func(b *testing.B) {
			if testing.Short() && !sh.shortToo {
				b.Skip("large")
			}
			x, y, c := fill[float32](m*k), fill[float32](k*n), make([]float32, m*n)
			b.ReportAllocs()
			cpu0 := cpuSeconds()
			for b.Loop() {
				impl.Sgemm(flagOf(sh.tA), flagOf(sh.tB), m, n, k, 1, x, lda, y, ldb, 0, c, n)
			}
			reportGFLOPS(b, m, n, k, cpu0)
		})
	}
}

// BenchmarkDirectA compares reading A in place (the direct kernels) with packing it, on one
// goroutine.
func BenchmarkDirectA(b *testing.B) {
	defer SetThreads(SetThreads(1))
	defer func(d bool) { useDirect = d }(useDirect)
	for _, sh := range []struct {
		name    string
		m, n, k int
		tA      bool
	}{
		{"128x64.64x10", 128, 10, 64, false},
		{"64x128T.128x10", 64, 10, 128, true},
		{"128x784.784x256", 128, 256, 784, false},
	} {
		lda, _ := lds(sh.m, sh.n, sh.k, sh.tA, false)
		for _, direct := range []bool{true, false} {
			b.Run(fmt.Sprintf("f32/%s/direct=%v", sh.name, direct), func(b *testing.B) {
				useDirect = direct
				x, y, c := fill[float32](sh.m*sh.k), fill[float32](sh.k*sh.n), make([]float32, sh.m*sh.n)
				cpu0 := cpuSeconds()
				for b.Loop() {
					Gemm(sh.tA, false, sh.m, sh.n, sh.k, 1, x, lda, y, sh.n, 0, c, sh.n)
				}
				reportGFLOPS(b, sh.m, sh.n, sh.k, cpu0)
			})
		}
	}
}
