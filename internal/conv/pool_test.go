package conv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func poolSpec(n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw int) PoolSpec {
	return PoolSpec{N: n, C: c, H: h, W: w, KH: kh, KW: kw, StrideH: sh, StrideW: sw,
		PadH: ph, PadW: pw, DilH: dh, DilW: dw}
}

func poolCases() []struct {
	name string
	s    PoolSpec
} {
	cases := []struct {
		name string
		s    PoolSpec
	}{
		{"2×2 fast path", poolSpec(2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1)},
		{"2×2 fast path, odd input", poolSpec(2, 3, 7, 9, 2, 2, 2, 2, 0, 0, 1, 1)},
		{"3×3 stride 2 padded", poolSpec(2, 2, 9, 8, 3, 3, 2, 2, 1, 1, 1, 1)},
		{"overlapping 3×3 stride 1", poolSpec(1, 2, 6, 5, 3, 3, 1, 1, 1, 1, 1, 1)},
		{"rectangular", poolSpec(3, 1, 7, 8, 3, 2, 1, 2, 1, 1, 1, 1)},
		{"dilation 2", poolSpec(2, 2, 9, 9, 3, 3, 2, 2, 1, 1, 2, 2)},
		{"dilation (2, 3)", poolSpec(1, 3, 10, 11, 2, 3, 1, 2, 1, 0, 2, 3)},
		{"kernel = input", poolSpec(2, 2, 5, 4, 5, 4, 1, 1, 0, 0, 1, 1)},
		{"1×1", poolSpec(2, 2, 3, 3, 1, 1, 2, 1, 0, 0, 1, 1)},
		{"big pad", poolSpec(1, 1, 4, 5, 4, 4, 3, 3, 2, 2, 1, 1)},
	}
	for _, k := range []int{2, 3} {
		for _, st := range []int{1, 2, 3} {
			for p := 0; p <= k/2; p++ {
				cases = append(cases, struct {
					name string
					s    PoolSpec
				}{fmt.Sprintf("sweep k%d s%d p%d", k, st, p), poolSpec(2, 2, 7, 6, k, k, st, st, p, p, 1, 1)})
			}
		}
	}
	return cases
}

func TestPoolAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range poolCases() {
		for _, kind := range []string{"max", "avg", "avg exclude pad"} {
			s := tc.s
			if kind != "max" && (s.DilH != 1 || s.DilW != 1) {
				continue
			}
			s.ExcludePad = kind == "avg exclude pad"
			t.Run(tc.name+"/"+kind, func(t *testing.T) {
				var p *Pool
				var err error
				if kind == "max" {
					p, err = NewMaxPool(s)
				} else {
					p, err = NewAvgPool(s)
				}
				if err != nil {
					t.Fatal(err)
				}
				x, dy := randSlice(r, p.InputSize()), randSlice(r, p.OutputSize())
				wantY, wantDX := refPool(p, kind == "max", x, dy)
				checkPool(t, p, kind == "max", x, dy, wantY, wantDX, 1e-14)
				checkPool(t, p, kind == "max", to32(x), to32(dy), wantY, wantDX, 1e-6)
			})
		}
	}
}

func checkPool[T Float](t *testing.T, p *Pool, isMax bool, x, dy []T, wantY, wantDX []float64, tol float64) {
	t.Helper()
	y, dx := nans[T](len(wantY)), nans[T](len(wantDX))
	var err1, err2 error
	if isMax {
		err1 = MaxPoolForward(p, y, x)
		err2 = MaxPoolBackward(p, dx, x, y, dy)
	} else {
		err1, err2 = AvgPoolForward(p, y, x), AvgPoolBackward(p, dx, dy)
	}
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	for _, o := range []struct {
		name string
		got  []T
		want []float64
	}{{"y", y, wantY}, {"dx", dx, wantDX}} {
		if d, at := diff(o.got, o.want); d > tol*maxAbs(o.want) || math.IsNaN(d) {
			t.Errorf("%T %s[%d] = %v, want %v", T(0), o.name, at, o.got[at], o.want[at])
		}
	}
}

// TestMaxPoolTies checks torch's rule on windows of equal values: the whole
// gradient goes to the first element in row-major window order.
func TestMaxPoolTies(t *testing.T) {
	for _, s := range []PoolSpec{
		poolSpec(1, 2, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1), // fast path
		poolSpec(1, 2, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1), // overlapping windows, padded
		poolSpec(1, 1, 5, 5, 2, 2, 1, 1, 0, 0, 2, 2), // dilated
	} {
		p, err := NewMaxPool(s)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, p.InputSize()) // a blank image: every window ties
		dy := make([]float64, p.OutputSize())
		for i := range dy {
			dy[i] = float64(i + 1)
		}
		dx, y := nans[float64](len(x)), nans[float64](len(dy))
		if err := MaxPoolForward(p, y, x); err != nil {
			t.Fatal(err)
		}
		if err := MaxPoolBackward(p, dx, x, y, dy); err != nil {
			t.Fatal(err)
		}
		// Expected: each window's first in-image element gets its dy.
		want := make([]float64, len(x))
		for pl := 0; pl < p.N*p.C; pl++ {
			for oh := 0; oh < p.OH; oh++ {
				for ow := 0; ow < p.OW; ow++ {
					ih, iw := oh*p.StrideH-p.PadH, ow*p.StrideW-p.PadW
					for ih < 0 {
						ih += p.DilH
					}
					for iw < 0 {
						iw += p.DilW
					}
					want[(pl*p.H+ih)*p.W+iw] += dy[(pl*p.OH+oh)*p.OW+ow]
				}
			}
		}
		for i := range want {
			if dx[i] != want[i] {
				t.Errorf("%+v: dx[%d] = %v, want %v (dx %v)", s, i, dx[i], want[i], dx)
				break
			}
		}
		// A later value wins only when strictly greater.
		x[1] = 1
		x[p.W] = 1
		if err := MaxPoolForward(p, y, x); err != nil {
			t.Fatal(err)
		}
		if s.KH == 2 && s.StrideH == 2 {
			if err := MaxPoolBackward(p, dx, x, y, dy); err != nil {
				t.Fatal(err)
			}
			if y[0] != 1 || dx[1] != dy[0] || dx[p.W] != 0 || dx[0] != 0 {
				t.Errorf("window (0, 1, 1, 0): y = %v, dx[0], dx[1], dx[W] = %v, %v, %v; want 1 and the gradient on dx[1] only", y[0], dx[0], dx[1], dx[p.W])
			}
		}
	}
}

// TestMaxPoolNaN checks that a NaN in a window wins, the last of several,
// and that a zero maximum keeps the sign of the first zero, as in torch
// (checked with torch 1.13's max_pool2d).
func TestMaxPoolNaN(t *testing.T) {
	nan := float32(math.NaN())
	for _, s := range []PoolSpec{poolSpec(1, 1, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1), poolSpec(1, 1, 2, 2, 2, 2, 1, 1, 0, 0, 1, 1)} {
		p, _ := NewMaxPool(s)
		y, dx := make([]float32, 1), make([]float32, 4)
		x := []float32{1, nan, nan, 0}
		if err := MaxPoolForward(p, y, x); err != nil {
			t.Fatal(err)
		}
		if err := MaxPoolBackward(p, dx, x, y, []float32{1}); err != nil {
			t.Fatal(err)
		}
		if dx[2] != 1 || dx[1] != 0 {
			t.Errorf("%+v: two NaNs: dx = %v, want the gradient on the last", s, dx)
		}
		negZero := float32(math.Copysign(0, -1))
		if err := MaxPoolForward(p, y, []float32{negZero, 0, 0, negZero}); err != nil {
			t.Fatal(err)
		}
		if !math.Signbit(float64(y[0])) {
			t.Errorf("%+v: max(−0, 0, 0, −0) = %v, want −0", s, y[0])
		}
	}
	for _, s := range []PoolSpec{poolSpec(1, 1, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1), poolSpec(1, 1, 2, 3, 2, 3, 1, 1, 0, 0, 1, 1)} {
		p, _ := NewMaxPool(s)
		x := make([]float32, p.InputSize())
		x[2] = float32(math.NaN())
		y := make([]float32, 1)
		dx := make([]float32, len(x))
		if err := MaxPoolForward(p, y, x); err != nil {
			t.Fatal(err)
		}
		if err := MaxPoolBackward(p, dx, x, y, []float32{1}); err != nil {
			t.Fatal(err)
		}
		if y[0] == y[0] || dx[2] != 1 {
			t.Errorf("%+v: y = %v, dx = %v; want NaN and the gradient on the NaN", s, y, dx)
		}
	}
}

func TestPoolFiniteDifferences(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, kind := range []string{"max", "avg", "avg exclude pad"} {
		s := poolSpec(2, 2, 7, 6, 3, 3, 2, 1, 1, 1, 1, 1)
		s.ExcludePad = kind == "avg exclude pad"
		newPool := NewAvgPool
		if kind == "max" {
			newPool = NewMaxPool
			s.DilW = 2
		}
		p, err := newPool(s)
		if err != nil {
			t.Fatal(err)
		}
		x, u := randSlice(r, p.InputSize()), randSlice(r, p.OutputSize())
		y, dx := make([]float64, p.OutputSize()), make([]float64, p.InputSize())
		loss := func() float64 {
			if kind == "max" {
				err = MaxPoolForward(p, y, x)
			} else {
				err = AvgPoolForward(p, y, x)
			}
			if err != nil {
				t.Fatal(err)
			}
			var l float64
			for i, v := range y {
				l += u[i] * v
			}
			return l
		}
		if kind == "max" {
			loss() // fills y
			err = MaxPoolBackward(p, dx, x, y, u)
		} else {
			err = AvgPoolBackward(p, dx, u)
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := range x {
			if fd := central(&x[i], loss); math.Abs(fd-dx[i]) > 1e-7 {
				t.Errorf("%s: dx[%d] = %v, central difference %v", kind, i, dx[i], fd)
			}
		}
	}
}

func TestGlobalAvgPool(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	planes, hw := 6, 35
	x, dy := randSlice(r, planes*hw), randSlice(r, planes)
	y, dx := make([]float64, planes), make([]float64, planes*hw)
	if err := GlobalAvgPool(y, x, planes, hw); err != nil {
		t.Fatal(err)
	}
	if err := GlobalAvgPoolBackward(dx, dy, planes, hw); err != nil {
		t.Fatal(err)
	}
	p, _ := NewAvgPool(poolSpec(2, 3, 5, 7, 5, 7, 1, 1, 0, 0, 1, 1))
	wantY, wantDX := refPool(p, false, x, dy)
	if d, at := diff(y, wantY); d > 1e-14 {
		t.Errorf("y[%d] = %v, want %v", at, y[at], wantY[at])
	}
	if d, at := diff(dx, wantDX); d > 1e-14 {
		t.Errorf("dx[%d] = %v, want %v", at, dx[at], wantDX[at])
	}
	if err := GlobalAvgPool(y[1:], x, planes, hw); err == nil || err.Error() != "global average pooling: input and output have 210 and 5 values, want 210 and 6" {
		t.Errorf("got %v", err)
	}
	if err := GlobalAvgPoolBackward(dx, dy, 0, hw); err == nil || err.Error() != "global average pooling: 0 planes of 35 values is not a valid geometry" {
		t.Errorf("got %v", err)
	}
}

func TestPoolErrors(t *testing.T) {
	for _, tc := range []struct {
		max  bool
		s    PoolSpec
		want string
	}{
		{true, poolSpec(1, 1, 3, 3, 5, 5, 5, 5, 0, 0, 1, 1), "maxpool2d: kernel 5×5 with padding 0 does not fit a 3×3 input"},
		{true, poolSpec(1, 1, 4, 4, 3, 3, 1, 1, 1, 1, 3, 3), "maxpool2d: kernel 3×3 dilated by 3 (7×7) with padding 1 does not fit a 4×4 input"},
		{true, poolSpec(1, 1, 8, 8, 3, 3, 1, 1, 2, 1, 1, 1), "maxpool2d: the padding (2, 1) must be at most half the kernel 3×3"},
		{false, poolSpec(1, 1, 8, 8, 2, 2, 0, 2, 0, 0, 1, 1), "avgpool2d: the stride must be at least 1, got (0, 2)"},
		{false, poolSpec(1, 1, 8, 8, 2, 2, 2, 2, 0, 0, 2, 2), "avgpool2d: average pooling takes no dilation, got 2"},
		{true, poolSpec(1, 1, 8, 8, 0, 2, 2, 2, 0, 0, 1, 1), "maxpool2d: the kernel must be at least 1, got 0×2"},
		{true, poolSpec(1, 0, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1), "maxpool2d: the input (1, 0, 8, 8) must have positive sizes"},
		{true, poolSpec(1, 1, 8, 8, 2, 2, 2, 2, -1, 0, 1, 1), "maxpool2d: the padding must be at least 0, got (-1, 0)"},
		{true, poolSpec(1, 1, 8, 8, 2, 2, 2, 2, 0, 0, 0, 1), "maxpool2d: the dilation must be at least 1, got (0, 1)"},
		{true, poolSpec(1, 1, 44, 5, 3, 2, 2, 253, 1, 1, 2, 6), "maxpool2d: the window of output column 0 covers only padding"},
		{true, poolSpec(1<<31, 1, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1), "maxpool2d: a size of 2147483648 is more than 1073741824"},
		{true, poolSpec(1<<30, 1<<10, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1), "maxpool2d: the input or output would hold more than 4294967296 values"},
	} {
		newPool := NewAvgPool
		if tc.max {
			newPool = NewMaxPool
		}
		_, err := newPool(tc.s)
		if err == nil || err.Error() != tc.want || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: got %v, want %q", tc.s, err, tc.want)
		}
	}
	s := poolSpec(1, 1, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1)
	s.ExcludePad = true
	if _, err := NewMaxPool(s); err == nil || err.Error() != "maxpool2d: ExcludePad applies to average pooling only" {
		t.Errorf("got %v", err)
	}
	p, _ := NewMaxPool(poolSpec(1, 1, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1))
	if err := MaxPoolForward(p, make([]float32, 16), make([]float32, 63)); err == nil || err.Error() != "maxpool2d: the input has 63 values, want 64" {
		t.Errorf("got %v", err)
	}
	if err := MaxPoolBackward(p, make([]float32, 64), make([]float32, 64), make([]float32, 16), make([]float32, 15)); err == nil || err.Error() != "maxpool2d: the output has 15 values, want 16" {
		t.Errorf("got %v", err)
	}
}

func TestPoolAllocs(t *testing.T) {
	mp, _ := NewMaxPool(poolSpec(4, 3, 8, 8, 3, 3, 2, 2, 1, 1, 1, 1))
	ap, _ := NewAvgPool(poolSpec(4, 3, 8, 8, 3, 3, 2, 2, 1, 1, 1, 1))
	x, dx := make([]float32, mp.InputSize()), make([]float32, mp.InputSize())
	y := make([]float32, mp.OutputSize())
	if n := testing.AllocsPerRun(10, func() {
		_ = MaxPoolForward(mp, y, x)
		_ = MaxPoolBackward(mp, dx, x, y, y)
		_ = AvgPoolForward(ap, y, x)
		_ = AvgPoolBackward(ap, dx, y)
		_ = GlobalAvgPool(y[:12], x[:12*64], 12, 64)
	}); n != 0 {
		t.Errorf("the pooling kernels allocate %v times per run", n)
	}
}

// TestMaxPool2x2Paths runs 2×2, stride-2 max pooling in float32, where
// internal/vec's vector loops take the windows they can and the Go loop
// the rest of each row, and in float64, Go only, on the same values (ties
// at ±0 after a ReLU, NaNs): outputs and gradients must agree exactly, for
// planes of odd and even sizes, stacked or not.
func TestMaxPool2x2Paths(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, sh := range [][4]int{{2, 3, 8, 8}, {2, 3, 9, 11}, {1, 2, 28, 28}, {3, 1, 10, 10}, {2, 2, 4, 4}, {1, 1, 2, 18}, {2, 1, 17, 19}} {
		p, err := NewMaxPool(poolSpec(sh[0], sh[1], sh[2], sh[3], 2, 2, 2, 2, 0, 0, 1, 1))
		if err != nil {
			t.Fatal(err)
		}
		for _, fill := range []string{"ties", "nan"} {
			x32, dy32 := make([]float32, p.InputSize()), make([]float32, p.OutputSize())
			for i := range x32 {
				v := float32(r.Float64() - 0.5)
				switch {
				case fill == "ties" && v < -0.2:
					v = float32(math.Copysign(0, -1))
				case fill == "ties" && v < 0.2:
					v = 0
				case fill == "nan" && v > 0.4:
					v = float32(math.NaN())
				}
				x32[i] = v
			}
			for i := range dy32 {
				dy32[i] = float32(r.Float64())
			}
			x64, dy64 := make([]float64, len(x32)), make([]float64, len(dy32))
			for i, v := range x32 {
				x64[i] = float64(v)
			}
			for i, v := range dy32 {
				dy64[i] = float64(v)
			}
			y32, dx32 := nans[float32](p.OutputSize()), nans[float32](p.InputSize())
			y64, dx64 := nans[float64](p.OutputSize()), nans[float64](p.InputSize())
			if err := MaxPoolForward(p, y32, x32); err != nil {
				t.Fatal(err)
			}
			if err := MaxPoolBackward(p, dx32, x32, y32, dy32); err != nil {
				t.Fatal(err)
			}
			_ = MaxPoolForward(p, y64, x64)
			_ = MaxPoolBackward(p, dx64, x64, y64, dy64)
			same := func(a float32, b float64) bool {
				if a != a || b != b {
					return a != a && b != b
				}
				return float64(a) == b && math.Signbit(float64(a)) == math.Signbit(b)
			}
			for i := range y32 {
				if !same(y32[i], y64[i]) {
					t.Fatalf("%v %s: y[%d] = %v in float32, %v in float64", sh, fill, i, y32[i], y64[i])
				}
			}
			for i := range dx32 {
				if !same(dx32[i], dx64[i]) {
					t.Fatalf("%v %s: dx[%d] = %v in float32, %v in float64", sh, fill, i, dx32[i], dx64[i])
				}
			}
		}
	}
}
