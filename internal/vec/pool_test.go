package vec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refPool is torch's 2×2 max pooling of one window: the scan "v > m or v
// is NaN" in row-major order, and the position the gradient goes to.
func refPool(a, b, c, d float32) (float32, int) {
	m, k := a, 0
	for i, v := range []float32{b, c, d} {
		if v > m || v != v {
			m, k = v, i+1
		}
	}
	return m, k
}

// poolInput has ties (zeros after a ReLU, some −0), NaNs and ordinary
// values, in proportions set by kind.
func poolInput(n int, kind string, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 2))
	x := make([]float32, n)
	for i := range x {
		v := float32(r.Float64() - 0.5)
		switch {
		case kind == "relu" && v < 0:
			v = 0
		case kind == "ties" && v < -0.2:
			v = float32(math.Copysign(0, -1))
		case kind == "ties" && v < 0.3:
			v = 0
		case kind == "nan" && v > 0.35:
			v = float32(math.NaN())
		}
		x[i] = v
	}
	return x
}

func sameBits32(a, b float32) bool {
	if a != a || b != b {
		return a != a && b != b
	}
	return math.Float32bits(a) == math.Float32bits(b)
}

// TestMaxPool2x2 checks the 2×2 pooling loops against refPool, forward and
// backward, on every row width from 1 to 21 outputs (the vector blocks and
// a scalar tail the caller does), input rows longer than 2·ow, and every
// kind of input.
func TestMaxPool2x2(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		for ow := 1; ow <= 21; ow++ {
			for _, extra := range []int{0, 1} {
				for _, kind := range []string{"random", "relu", "ties", "nan"} {
					checkPool2(t, 5, ow, 2*ow+extra, kind)
				}
			}
		}
	})
}

func checkPool2(t *testing.T, rows, ow, w int, kind string) {
	t.Helper()
	x := poolInput(2*rows*w, kind, uint64(ow*10+w))
	dy := poolInput(rows*ow, "random", 7)
	y := make([]float32, rows*ow)
	for i := range y {
		y[i] = float32(math.NaN())
	}
	did := MaxPool2x2F32(y, x, rows, ow, w)
	if useAVX2 && did != ow&^3 || !useAVX2 && did != 0 {
		t.Fatalf("ow=%d: did %d outputs per row", ow, did)
	}
	// The caller's part: the tail of every row.
	ks := make([]int, rows*ow)
	for i := 0; i < rows; i++ {
		for j := 0; j < ow; j++ {
			q := 2*i*w + 2*j
			m, k := refPool(x[q], x[q+1], x[q+w], x[q+w+1])
			ks[i*ow+j] = k
			if j >= did {
				y[i*ow+j] = m
				continue
			}
			if !sameBits32(y[i*ow+j], m) {
				t.Fatalf("%s ow=%d w=%d: y[%d,%d] = %v, want %v (window %v %v %v %v)", kind, ow, w, i, j, y[i*ow+j], m, x[q], x[q+1], x[q+w], x[q+w+1])
			}
		}
	}
	dx := make([]float32, 2*rows*w)
	for i := range dx {
		dx[i] = 42 // untouched positions keep it
	}
	did = MaxPool2x2BackF32(dx, x, y, dy, rows, ow, w)
	for i := 0; i < rows; i++ {
		for j := 0; j < ow; j++ {
			q := 2*i*w + 2*j
			for c, at := range []int{q, q + 1, q + w, q + w + 1} {
				want := float32(0)
				if c == ks[i*ow+j] {
					want = dy[i*ow+j]
				}
				if j >= did {
					want = 42
				}
				if !sameBits32(dx[at], want) {
					t.Fatalf("%s ow=%d w=%d: dx of window [%d,%d] corner %d = %v, want %v", kind, ow, w, i, j, c, dx[at], want)
				}
			}
		}
		for c := 2 * ow; c < w; c++ {
			if dx[2*i*w+c] != 42 || dx[(2*i+1)*w+c] != 42 {
				t.Fatalf("ow=%d w=%d: column %d outside the windows was written", ow, w, c)
			}
		}
	}
}

// BenchmarkMaxPool2x2 times the loops on LeNet-5's first pooling at batch
// 64: 64·6 planes of 28×28, stacked (2688 output rows of 14).
func BenchmarkMaxPool2x2(b *testing.B) {
	const rows, ow, w = 64 * 6 * 14, 14, 28
	x := poolInput(2*rows*w, "relu", 1)
	dy := poolInput(rows*ow, "random", 2)
	y, dx := make([]float32, rows*ow), make([]float32, 2*rows*w)
	MaxPool2x2F32(y, x, rows, ow, w)
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"forward", func() { MaxPool2x2F32(y, x, rows, ow, w) }},
		{"backward", func() { MaxPool2x2BackF32(dx, x, y, dy, rows, ow, w) }},
	} {
		b.Run(fmt.Sprint(c.name), func(b *testing.B) {
			for b.Loop() {
				c.f()
			}
		})
	}
}
