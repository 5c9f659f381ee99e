package conv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// spec2d fills a 2-D convolution spec from the usual arguments.
func spec2d(n, c, h, w, k, kh, kw, sh, sw, ph, pw, dh, dw, g int) ConvSpec {
	return ConvSpec{N: n, C: c, H: h, W: w, K: k, KH: kh, KW: kw, StrideH: sh, StrideW: sw,
		PadH: ph, PadW: pw, DilH: dh, DilW: dw, Groups: g}
}

// convCases is the table the kernels are checked on: named corner cases
// first, then a sweep over strides, paddings, dilations and groups on odd
// sizes.
func convCases(short bool) []struct {
	name string
	s    ConvSpec
} {
	cases := []struct {
		name string
		s    ConvSpec
	}{
		{"basic 3×3", spec2d(2, 3, 7, 6, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1)},
		{"same padding", spec2d(3, 2, 8, 8, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1)},
		{"1×1", spec2d(3, 4, 5, 7, 6, 1, 1, 1, 1, 0, 0, 1, 1, 1)},
		{"1×1 stride 2", spec2d(2, 4, 5, 7, 6, 1, 1, 2, 2, 0, 0, 1, 1, 1)},
		{"1×1 padded", spec2d(2, 3, 4, 5, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1)},
		{"1×1 groups 2", spec2d(3, 4, 3, 3, 6, 1, 1, 1, 1, 0, 0, 1, 1, 2)},
		{"kernel = input", spec2d(3, 2, 5, 5, 3, 5, 5, 1, 1, 0, 0, 1, 1, 1)},
		{"kernel = input, rectangular", spec2d(1, 3, 3, 6, 2, 3, 6, 2, 3, 0, 0, 1, 1, 1)},
		{"kernel larger than input, padded", spec2d(2, 1, 3, 3, 2, 5, 5, 1, 1, 1, 1, 1, 1, 1)},
		{"1×1 input", spec2d(2, 3, 1, 1, 4, 1, 1, 1, 1, 0, 0, 1, 1, 1)},
		{"1×1 input, 3×3 padded", spec2d(2, 3, 1, 1, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1)},
		{"rectangular kernel, mixed stride", spec2d(2, 3, 9, 7, 4, 3, 2, 2, 1, 0, 2, 1, 1, 1)},
		{"stride 3, pad 2", spec2d(3, 2, 11, 10, 3, 3, 3, 3, 3, 2, 2, 1, 1, 1)},
		{"dilation 2", spec2d(2, 3, 9, 9, 4, 3, 3, 1, 1, 0, 0, 2, 2, 1)},
		{"dilation (2, 3), padded", spec2d(2, 2, 8, 10, 3, 3, 3, 1, 2, 2, 3, 2, 3, 1)},
		{"groups 2", spec2d(3, 4, 6, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2)},
		{"groups 4, depthwise", spec2d(2, 4, 7, 7, 8, 3, 3, 2, 2, 1, 1, 1, 1, 4)},
		{"everything", spec2d(3, 4, 11, 9, 6, 3, 2, 2, 3, 1, 2, 2, 1, 2)},
		{"padding larger than kernel", spec2d(1, 2, 3, 4, 2, 2, 2, 2, 1, 3, 2, 1, 1, 1)},
		{"digits conv1", spec2d(3, 1, 8, 8, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)},
		{"digits conv2", spec2d(3, 16, 4, 4, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1)},
		{"conv1d", ConvSpec{N: 3, C: 4, H: 1, W: 13, K: 6, KH: 1, KW: 3, StrideH: 1, StrideW: 2,
			PadH: 0, PadW: 1, DilH: 1, DilW: 2, Groups: 2, OneD: true}},
	}
	if short {
		return cases
	}
	for _, n := range []int{1, 3} {
		for _, st := range []int{1, 2, 3} {
			for _, pd := range []int{0, 1, 2} {
				for _, dl := range []int{1, 2} {
					for _, g := range []int{1, 2, 4} {
						s := spec2d(n, 4, 9, 7, 8, 3, 3, st, st, pd, pd, dl, dl, g)
						cases = append(cases, struct {
							name string
							s    ConvSpec
						}{fmt.Sprintf("sweep n%d s%d p%d d%d g%d", n, st, pd, dl, g), s})
					}
				}
			}
		}
	}
	return cases
}

// chunks are the chunk sizes each named case runs with: the natural one,
// one image per GEMM (the direct path) and two (a partial last chunk for
// odd batches).
var chunks = []int{0, 1, 2}

func TestConvAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i, tc := range convCases(testing.Short()) {
		for _, chunk := range chunks {
			if strings.HasPrefix(tc.name, "sweep") && chunk != 0 && (chunk != 2 || i%2 == 0) {
				continue // the sweep tries a partial chunk on every other case
			}
			t.Run(fmt.Sprintf("%s/chunk%d", tc.name, chunk), func(t *testing.T) {
				c, err := NewConv(tc.s)
				if err != nil {
					t.Fatal(err)
				}
				if chunk > 0 {
					c.chunk = min(chunk, c.N)
				}
				x := randSlice(r, c.InputSize())
				w := randSlice(r, c.WeightSize())
				b := randSlice(r, c.K)
				dy := randSlice(r, c.OutputSize())
				wantY := refConv(c, x, w, b)
				wantDX, wantDW, wantDB := refConvGrads(c, x, w, dy)
				checkConv(t, c, x, w, b, dy, wantY, wantDX, wantDW, wantDB, 1e-13)
				checkConv(t, c, to32(x), to32(w), to32(b), to32(dy), wantY, wantDX, wantDW, wantDB, 1e-5)
			})
		}
	}
}

// checkConv runs the four kernels in T and compares them with the float64
// references to tol relative to each result's largest magnitude. Outputs
// start filled with NaN, so a value the kernels forget to write shows.
func checkConv[T Float](t *testing.T, c *Conv, x, w, b, dy []T, wantY, wantDX, wantDW, wantDB []float64, tol float64) {
	t.Helper()
	ws := nans[T](c.WorkspaceSize())
	y, dx, dw, db := nans[T](len(wantY)), nans[T](len(wantDX)), nans[T](len(wantDW)), nans[T](len(wantDB))
	if err := Forward(c, y, x, w, b, ws); err != nil {
		t.Fatal(err)
	}
	if err := BackwardData(c, dx, w, dy, ws); err != nil {
		t.Fatal(err)
	}
	if err := BackwardFilter(c, dw, x, dy, ws); err != nil {
		t.Fatal(err)
	}
	if err := BiasGrad(c, db, dy); err != nil {
		t.Fatal(err)
	}
	for _, o := range []struct {
		name string
		got  []T
		want []float64
	}{{"y", y, wantY}, {"dx", dx, wantDX}, {"dw", dw, wantDW}, {"db", db, wantDB}} {
		if d, at := diff(o.got, o.want); d > tol*maxAbs(o.want) || math.IsNaN(d) {
			t.Errorf("%T %s[%d] = %v, want %v (|Δ| = %.3g)", T(0), o.name, at, o.got[at], o.want[at], d)
		}
	}
	// Without a bias, y is the bias-free convolution.
	if err := Forward(c, y, x, w, nil, ws); err != nil {
		t.Fatal(err)
	}
	sp := c.OH * c.OW
	for i := range wantY {
		want := wantY[i] - float64(b[i/sp%c.K])
		if d := math.Abs(float64(y[i]) - want); d > tol*maxAbs(wantY) || math.IsNaN(d) {
			t.Fatalf("%T y[%d] without bias = %v, want %v", T(0), i, y[i], want)
		}
	}
}

func nans[T Float](n int) []T {
	v := make([]T, n)
	for i := range v {
		v[i] = T(math.NaN())
	}
	return v
}

// TestConvFiniteDifferences checks the backward kernels against central
// differences of the forward kernel itself, for L = Σ u ⊙ conv(x, w) + b.
func TestConvFiniteDifferences(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, s := range []ConvSpec{
		spec2d(2, 4, 5, 6, 4, 3, 2, 2, 1, 1, 0, 1, 2, 2),
		spec2d(1, 2, 4, 4, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1),
		{N: 2, C: 2, H: 1, W: 9, K: 2, KH: 1, KW: 3, StrideH: 1, StrideW: 2, PadH: 0, PadW: 1, DilH: 1, DilW: 1, Groups: 1, OneD: true},
	} {
		c, err := NewConv(s)
		if err != nil {
			t.Fatal(err)
		}
		x, w, b := randSlice(r, c.InputSize()), randSlice(r, c.WeightSize()), randSlice(r, c.K)
		u := randSlice(r, c.OutputSize())
		ws := make([]float64, c.WorkspaceSize())
		y := make([]float64, c.OutputSize())
		loss := func() float64 {
			if err := Forward(c, y, x, w, b, ws); err != nil {
				t.Fatal(err)
			}
			var l float64
			for i, v := range y {
				l += u[i] * v
			}
			return l
		}
		dx, dw, db := make([]float64, len(x)), make([]float64, len(w)), make([]float64, len(b))
		if err := BackwardData(c, dx, w, u, ws); err != nil {
			t.Fatal(err)
		}
		if err := BackwardFilter(c, dw, x, u, ws); err != nil {
			t.Fatal(err)
		}
		if err := BiasGrad(c, db, u); err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			name       string
			vals, grad []float64
		}{{"x", x, dx}, {"w", w, dw}, {"b", b, db}} {
			for i := range v.vals {
				fd := central(&v.vals[i], loss)
				if math.Abs(fd-v.grad[i]) > 1e-7*max(1, math.Abs(fd)) {
					t.Errorf("%+v: d%s[%d] = %v, central difference %v", s, v.name, i, v.grad[i], fd)
				}
			}
		}
	}
}

// central returns (f(v+h) − f(v−h))/2h, restoring *v.
func central(v *float64, f func() float64) float64 {
	const h = 1e-5
	old := *v
	*v = old + h
	fp := f()
	*v = old - h
	fm := f()
	*v = old
	return (fp - fm) / (2 * h)
}

func TestConvErrors(t *testing.T) {
	ok := spec2d(2, 3, 8, 8, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1)
	mod := func(f func(*ConvSpec)) ConvSpec { s := ok; f(&s); return s }
	for _, tc := range []struct {
		s    ConvSpec
		want string
	}{
		{spec2d(1, 1, 3, 3, 1, 5, 5, 1, 1, 0, 0, 1, 1, 1), "conv2d: kernel 5×5 with padding 0 does not fit a 3×3 input"},
		{spec2d(1, 1, 5, 5, 1, 3, 3, 1, 1, 0, 0, 3, 3, 1), "conv2d: kernel 3×3 dilated by 3 (7×7) with padding 0 does not fit a 5×5 input"},
		{spec2d(1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 2, 1, 1), "conv2d: kernel 3×3 dilated by (2, 1) (5×3) with padding 0 does not fit a 4×4 input"},
		{ConvSpec{N: 1, C: 1, H: 1, W: 3, K: 1, KH: 1, KW: 5, StrideH: 1, StrideW: 1, DilH: 1, DilW: 1, Groups: 1, OneD: true},
			"conv1d: kernel 5 with padding 0 does not fit an input of length 3"},
		{mod(func(s *ConvSpec) { s.N = 0 }), "conv2d: the input (0, 3, 8, 8) must have positive sizes"},
		{mod(func(s *ConvSpec) { s.K = 0 }), "conv2d: the number of output channels must be at least 1, got 0"},
		{mod(func(s *ConvSpec) { s.KW = 0 }), "conv2d: the kernel must be at least 1, got 3×0"},
		{mod(func(s *ConvSpec) { s.StrideH = 0 }), "conv2d: the stride must be at least 1, got (0, 1)"},
		{mod(func(s *ConvSpec) { s.PadH, s.PadW = -1, -1 }), "conv2d: the padding must be at least 0, got -1"},
		{mod(func(s *ConvSpec) { s.DilW = 0 }), "conv2d: the dilation must be at least 1, got (1, 0)"},
		{mod(func(s *ConvSpec) { s.Groups = 0 }), "conv2d: groups must be at least 1, got 0"},
		{mod(func(s *ConvSpec) { s.Groups = 2 }), "conv2d: 3 input channels do not split into 2 groups"},
		{mod(func(s *ConvSpec) { s.Groups, s.C = 3, 3 }), "conv2d: 4 output channels do not split into 3 groups"},
		{mod(func(s *ConvSpec) { s.N = 1 << 31 }), "conv2d: a size of 2147483648 is more than 1073741824"},
		{mod(func(s *ConvSpec) { s.N, s.C, s.H, s.W = 1<<20, 1<<10, 1<<10, 1<<10 }), "conv2d: the input would hold more than 4294967296 values"},
		{mod(func(s *ConvSpec) { s.OneD = true }), "conv1d: a 1-D convolution needs H = KH = 1, got 8 and 3"},
	} {
		_, err := NewConv(tc.s)
		if err == nil || err.Error() != tc.want {
			t.Errorf("NewConv(%+v) = %v, want %q", tc.s, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("error spans lines: %q", err)
		}
	}
}

func TestConvLengthErrors(t *testing.T) {
	c, err := NewConv(spec2d(2, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	x, w := make([]float32, c.InputSize()), make([]float32, c.WeightSize())
	y, ws := make([]float32, c.OutputSize()), make([]float32, c.WorkspaceSize())
	for _, tc := range []struct {
		err  error
		want string
	}{
		{Forward(c, y, x[1:], w, nil, ws), "conv2d: the input has 383 values, want 384"},
		{Forward(c, y, x, w, make([]float32, 3), ws), "conv2d: the bias has 3 values, want 4"},
		{Forward(c, y, x, w, nil, ws[1:]), fmt.Sprintf("conv2d: the workspace has %d values, want at least %d", len(ws)-1, len(ws))},
		{BackwardData(c, x, w[1:], y, ws), "conv2d: the weight has 107 values, want 108"},
		{BackwardFilter(c, w, x, y[1:], ws), "conv2d: the output has 511 values, want 512"},
		{BiasGrad(c, make([]float32, 5), y), "conv2d: the bias gradient has 5 values, want 4"},
	} {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("got %v, want %q", tc.err, tc.want)
		}
	}
}

// TestConvAllocs checks that the kernels allocate nothing.
func TestConvAllocs(t *testing.T) {
	c, err := NewConv(spec2d(4, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	x, w, b := make([]float32, c.InputSize()), make([]float32, c.WeightSize()), make([]float32, c.K)
	y, ws := make([]float32, c.OutputSize()), make([]float32, c.WorkspaceSize())
	n := testing.AllocsPerRun(10, func() {
		_ = Forward(c, y, x, w, b, ws)
		_ = BackwardData(c, x, w, y, ws)
		_ = BackwardFilter(c, w, x, y, ws)
		_ = BiasGrad(c, b, y)
	})
	if n != 0 {
		t.Errorf("the kernels allocate %v times per run", n)
	}
}
