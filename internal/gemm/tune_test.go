package gemm

import (
	"gonum.org/v1/gonum/blas"
	gblas "gonum.org/v1/gonum/blas/gonum"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
)

func threadCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuGFLOPS runs f repeatedly on a locked thread for about d of CPU time; best of 3 batches.
func cpuGFLOPS(flops float64, d time.Duration, f func()) float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	f()
	reps := 1
	for {
		t := threadCPU()
		for i := 0; i < reps; i++ {
			f()
		}
		if el := threadCPU() - t; el > d/3 {
			break
		}
		reps *= 2
	}
	best := 0.0
	for r := 0; r < 3; r++ {
		t := threadCPU()
		for i := 0; i < reps; i++ {
			f()
		}
		el := (threadCPU() - t).Seconds()
		best = max(best, flops*float64(reps)/el/1e9)
	}
	return best
}

func TestTune(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	defer SetThreads(SetThreads(1))
	for _, sh := range [][3]int{{1000, 1000, 1000}, {128, 128, 64}, {128, 256, 784}, {128, 10, 64}} {
		m, n, k := sh[0], sh[1], sh[2]
		for _, dir := range []bool{true, false} {
			useDirect = dir
			a, b, c := fill[float64](m*k), fill[float64](k*n), make([]float64, m*n)
			g64 := cpuGFLOPS(2*float64(m*n*k), 300*time.Millisecond, func() { Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n) })
			a32, b32, c32 := fill[float32](m*k), fill[float32](k*n), make([]float32, m*n)
			g32 := cpuGFLOPS(2*float64(m*n*k), 300*time.Millisecond, func() { Gemm(false, false, m, n, k, 1, a32, k, b32, n, 0, c32, n) })
			fmt.Printf("%4dx%4dx%4d direct=%v  f64 %6.1f  f32 %6.1f GFLOPS (1 thread, CPU time)\n", m, n, k, dir, g64, g32)
		}
	}
	useDirect = true
	for _, s := range kernelSets[:2] {
		for _, kc := range []int{256} {
			a, b, c := fill[float64](kc*s.f64.mr), fill[float64](kc*s.f64.nr), make([]float64, 32*32)
			g64 := cpuGFLOPS(2*float64(kc*s.f64.mr*s.f64.nr), 200*time.Millisecond, func() { s.f64.fn(kc, &a[0], &b[0], &c[0], s.f64.nr, 1, true) })
			a32, b32, c32 := fill[float32](kc*s.f32.mr), fill[float32](kc*s.f32.nr), make([]float32, 32*32)
			g32 := cpuGFLOPS(2*float64(kc*s.f32.mr*s.f32.nr), 200*time.Millisecond, func() { s.f32.fn(kc, &a32[0], &b32[0], &c32[0], s.f32.nr, 1, true) })
			fmt.Printf("kernel %s kc=%d f64 %6.1f f32 %6.1f\n", s.name, kc, g64, g32)
		}
	}
}

func TestTuneBlocks(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	defer SetThreads(SetThreads(1))
	s := kernelSets[0]
	save64, save32 := s.f64, s.f32
	defer func() { s.f64, s.f32 = save64, save32 }()
	for _, kc := range []int{192, 256, 384, 512} {
		for _, mc := range []int{120, 240, 480} {
			s.f64.kc, s.f64.mc, s.f32.kc, s.f32.mc = kc, mc, kc, mc
			for _, sh := range [][3]int{{1000, 1000, 1000}, {128, 256, 784}} {
				m, n, k := sh[0], sh[1], sh[2]
				for _, dir := range []bool{true, false} {
					useDirect = dir
					a, b, c := fill[float64](m*k), fill[float64](k*n), make([]float64, m*n)
					g64 := cpuGFLOPS(2*float64(m*n*k), 300*time.Millisecond, func() { Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n) })
					a32, b32, c32 := fill[float32](m*k), fill[float32](k*n), make([]float32, m*n)
					g32 := cpuGFLOPS(2*float64(m*n*k), 300*time.Millisecond, func() { Gemm(false, false, m, n, k, 1, a32, k, b32, n, 0, c32, n) })
					fmt.Printf("kc=%d mc=%d %4dx%4dx%4d direct=%v  f64 %6.1f  f32 %6.1f\n", kc, mc, m, n, k, dir, g64, g32)
				}
			}
		}
	}
	useDirect = true
}

func TestTunePow2(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	defer SetThreads(SetThreads(1))
	for _, sh := range [][3]int{{1024, 1024, 1024}, {512, 512, 2048}, {1000, 1000, 1000}} {
		m, n, k := sh[0], sh[1], sh[2]
		for _, dir := range []bool{true, false} {
			useDirect = dir
			a, b, c := fill[float64](m*k), fill[float64](k*n), make([]float64, m*n)
			g64 := cpuGFLOPS(2*float64(m*n*k), 300*time.Millisecond, func() { Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n) })
			a32, b32, c32 := fill[float32](m*k), fill[float32](k*n), make([]float32, m*n)
			g32 := cpuGFLOPS(2*float64(m*n*k), 300*time.Millisecond, func() { Gemm(false, false, m, n, k, 1, a32, k, b32, n, 0, c32, n) })
			fmt.Printf("%4dx%4dx%4d direct=%v  f64 %6.1f  f32 %6.1f\n", m, n, k, dir, g64, g32)
		}
	}
	useDirect = true
}

func TestTuneTiny(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	for _, sh := range [][3]int{{2, 3, 4}, {4, 4, 4}, {8, 8, 8}, {6, 16, 8}, {16, 16, 16}, {12, 32, 12}, {3, 40, 30}} {
		m, n, k := sh[0], sh[1], sh[2]
		for _, tw := range []int{0, 1 << 30} {
			tinyWork = tw
			a, b, c := fill[float64](m*k), fill[float64](k*n), make([]float64, m*n)
			g64 := cpuGFLOPS(2*float64(m*n*k), 100*time.Millisecond, func() { Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n) })
			a32, b32, c32 := fill[float32](m*k), fill[float32](k*n), make([]float32, m*n)
			g32 := cpuGFLOPS(2*float64(m*n*k), 100*time.Millisecond, func() { Gemm(false, true, m, n, k, 1, a32, k, b32, k, 0, c32, n) })
			fmt.Printf("%4dx%4dx%4d naive=%v  f64 %6.2f (%5.0f ns)  f32 %6.2f\n", m, n, k, tw > 0, g64, 2*float64(m*n*k)/g64, g32)
		}
	}
	tinyWork = 0
}

func TestTuneGemv(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	for _, sh := range [][3]int{{100000, 1, 100}, {1000, 1, 10}, {1, 100, 100000}, {1, 10, 1000}} {
		m, n, k := sh[0], sh[1], sh[2]
		for _, tA := range []bool{false, true} {
			lda := k
			if tA {
				lda = m
			}
			a, b, c := fill[float64](m*k), fill[float64](k*n), make([]float64, m*n)
			g64 := cpuGFLOPS(2*float64(m*n*k), 200*time.Millisecond, func() { Gemm(tA, false, m, n, k, 1, a, lda, b, n, 0, c, n) })
			var impl gblas.Implementation
			tr := blas.NoTrans
			if tA {
				tr = blas.Trans
			}
			gg := cpuGFLOPS(2*float64(m*n*k), 200*time.Millisecond, func() { impl.Dgemm(tr, blas.NoTrans, m, n, k, 1, a, lda, b, n, 0, c, n) })
			fmt.Printf("%6dx%6dx%6d tA=%v  f64 %6.2f gonum %6.2f\n", m, n, k, tA, g64, gg)
		}
	}
}
