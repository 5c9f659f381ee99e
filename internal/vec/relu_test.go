package vec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// inputs are special values, then ordinary ones of every sign and scale,
// n in all.
func inputs(n int, seed uint64) []float64 {
	v := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(),
		math.Float64frombits(0xfff8000000000001), 5e-324, -5e-324, 1e-40, -1e-40, math.MaxFloat64, -math.MaxFloat64}
	r := rand.New(rand.NewPCG(seed, 1))
	for len(v) < n {
		v = append(v, (r.Float64()-0.5)*math.Pow(10, float64(r.IntN(20)-10)))
	}
	r.Shuffle(len(v), func(i, j int) { v[i], v[j] = v[j], v[i] })
	return v[:n]
}

func same64(a, b float64) bool {
	if a != a || b != b {
		return a != a && b != b
	}
	return math.Float64bits(a) == math.Float64bits(b)
}

// TestReLU checks every length from 0 to 100 (the vector loop and the Go
// tail) and a long slice against the definitions: math.Max(x, 0), and
// g·1 for x > 0, g·0 otherwise, bit for bit (NaN for NaN), in float64 and
// float32, with offset slices so that no alignment is assumed.
func TestReLU(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		for n := 0; n <= 100; n++ {
			checkReLU(t, n, 1)
		}
		checkReLU(t, 4099, 3)
	})
}

func checkReLU(t *testing.T, n, off int) {
	t.Helper()
	x := inputs(n+off, uint64(n))[off:]
	g := inputs(n+off, uint64(n)+1000)[off:]
	out := make([]float64, n+off)[off:]
	ReLU64(out, x)
	for i := range out {
		if want := math.Max(x[i], 0); !same64(out[i], want) {
			t.Fatalf("n=%d: ReLU64(%v) = %v, want %v", n, x[i], out[i], want)
		}
	}
	ReLUGrad64(out, x, g)
	for i := range out {
		d := 0.0
		if x[i] > 0 {
			d = 1
		}
		if want := g[i] * d; !same64(out[i], want) {
			t.Fatalf("n=%d: ReLUGrad64(x=%v, g=%v) = %v, want %v", n, x[i], g[i], out[i], want)
		}
	}
	x32, g32, out32 := make([]float32, n), make([]float32, n), make([]float32, n+off)[off:]
	for i := range x32 {
		x32[i], g32[i] = float32(x[i]), float32(g[i])
	}
	ReLU32(out32, x32)
	for i := range out32 {
		if want := float32(math.Max(float64(x32[i]), 0)); !same64(float64(out32[i]), float64(want)) {
			t.Fatalf("n=%d: ReLU32(%v) = %v, want %v", n, x32[i], out32[i], want)
		}
	}
	ReLUGrad32(out32, x32, g32)
	for i := range out32 {
		var d float32
		if x32[i] > 0 {
			d = 1
		}
		if want := g32[i] * d; !same64(float64(out32[i]), float64(want)) {
			t.Fatalf("n=%d: ReLUGrad32(x=%v, g=%v) = %v, want %v", n, x32[i], g32[i], out32[i], want)
		}
	}
}

// BenchmarkReLU times the loops on a LeNet-5 first layer's activations at
// batch 64 (301056 values) and a digits-MLP hidden layer (16384).
func BenchmarkReLU(b *testing.B) {
	for _, n := range []int{16384, 301056} {
		x, g := inputs(n, 1), inputs(n, 2)
		out := make([]float64, n)
		x32, g32, out32 := make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range x {
			x32[i], g32[i] = float32(x[i]), float32(g[i])
		}
		for _, c := range []struct {
			name string
			f    func()
		}{
			{"f64/%d/forward", func() { ReLU64(out, x) }},
			{"f64/%d/grad", func() { ReLUGrad64(out, x, g) }},
			{"f32/%d/forward", func() { ReLU32(out32, x32) }},
			{"f32/%d/grad", func() { ReLUGrad32(out32, x32, g32) }},
		} {
			b.Run(fmt.Sprintf(c.name, n), func(b *testing.B) {
				benchPaths(b, func(b *testing.B) {
					for b.Loop() {
						c.f()
					}
				})
			})
		}
	}
}
