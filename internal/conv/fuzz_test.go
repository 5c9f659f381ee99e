package conv

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// FuzzConv makes a convolution from arbitrary parameters: NewConv must
// either refuse them with a one-line error or accept a geometry on which
// the kernels agree with the direct reference.
func FuzzConv(f *testing.F) {
	f.Add(2, 3, 7, 6, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1, false, uint8(0))
	f.Add(3, 4, 9, 7, 6, 3, 2, 2, 3, 1, 2, 2, 1, 2, false, uint8(1))
	f.Add(1, 2, 1, 11, 4, 1, 3, 1, 2, 0, 1, 1, 2, 2, true, uint8(2))
	f.Add(1, 1, 3, 3, 1, 5, 5, 1, 1, 0, 0, 1, 1, 1, false, uint8(0))
	f.Add(-1, 0, 1<<40, 3, 1, 1, 1, 0, 1, -5, 0, 0, 1, 0, false, uint8(0))
	f.Fuzz(func(t *testing.T, n, c, h, w, k, kh, kw, sh, sw, ph, pw, dh, dw, g int, oneD bool, chunk uint8) {
		s := ConvSpec{N: n, C: c, H: h, W: w, K: k, KH: kh, KW: kw, StrideH: sh, StrideW: sw,
			PadH: ph, PadW: pw, DilH: dh, DilW: dw, Groups: g, OneD: oneD}
		cv, err := NewConv(s)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "conv") || strings.Contains(msg, "\n") {
				t.Fatalf("bad error %q", msg)
			}
			return
		}
		if cv.OH < 1 || cv.OW < 1 || cv.WorkspaceSize() < 0 {
			t.Fatalf("%+v: accepted with output %d×%d, workspace %d", s, cv.OH, cv.OW, cv.WorkspaceSize())
		}
		work := cv.OutputSize() * (cv.C / cv.Groups) * cv.KH * cv.KW
		if cv.InputSize() > 1<<14 || cv.OutputSize() > 1<<14 || cv.WorkspaceSize() > 1<<18 || work > 1<<18 {
			return // valid, but too big to check quickly
		}
		if chunk > 0 {
			cv.chunk = min(int(chunk), cv.N)
		}
		r := rand.New(rand.NewPCG(uint64(n), uint64(c)))
		x, wt, b := randSlice(r, cv.InputSize()), randSlice(r, cv.WeightSize()), randSlice(r, cv.K)
		dy := randSlice(r, cv.OutputSize())
		wantY := refConv(cv, x, wt, b)
		wantDX, wantDW, wantDB := refConvGrads(cv, x, wt, dy)
		ws := make([]float64, cv.WorkspaceSize())
		y, gx, gw, gb := make([]float64, len(wantY)), make([]float64, len(x)), make([]float64, len(wt)), make([]float64, cv.K)
		if err := Forward(cv, y, x, wt, b, ws); err != nil {
			t.Fatal(err)
		}
		if err := BackwardData(cv, gx, wt, dy, ws); err != nil {
			t.Fatal(err)
		}
		if err := BackwardFilter(cv, gw, x, dy, ws); err != nil {
			t.Fatal(err)
		}
		if err := BiasGrad(cv, gb, dy); err != nil {
			t.Fatal(err)
		}
		for _, o := range []struct {
			name      string
			got, want []float64
		}{{"y", y, wantY}, {"dx", gx, wantDX}, {"dw", gw, wantDW}, {"db", gb, wantDB}} {
			if d, at := diff(o.got, o.want); d > 1e-12*maxAbs(o.want) || math.IsNaN(d) {
				t.Fatalf("%+v: %s[%d] = %v, want %v", s, o.name, at, o.got[at], o.want[at])
			}
		}
	})
}

// FuzzPool does the same for max and average pooling.
func FuzzPool(f *testing.F) {
	f.Add(2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1, true, false)
	f.Add(1, 2, 9, 7, 3, 2, 2, 1, 1, 1, 2, 1, true, false)
	f.Add(2, 1, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1, false, true)
	f.Add(0, -1, 1<<40, 8, 9, 2, 0, 2, 5, 0, 1, 1, false, false)
	f.Fuzz(func(t *testing.T, n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw int, isMax, exclude bool) {
		s := PoolSpec{N: n, C: c, H: h, W: w, KH: kh, KW: kw, StrideH: sh, StrideW: sw,
			PadH: ph, PadW: pw, DilH: dh, DilW: dw, ExcludePad: exclude}
		newPool := NewAvgPool
		if isMax {
			newPool = NewMaxPool
		}
		p, err := newPool(s)
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, "pool2d: ") || strings.Contains(msg, "\n") {
				t.Fatalf("bad error %q", msg)
			}
			return
		}
		if p.OH < 1 || p.OW < 1 {
			t.Fatalf("%+v: accepted with output %d×%d", s, p.OH, p.OW)
		}
		if p.InputSize() > 1<<14 || p.OutputSize()*p.KH*p.KW > 1<<18 {
			return
		}
		r := rand.New(rand.NewPCG(uint64(h), uint64(w)))
		x, dy := randSlice(r, p.InputSize()), randSlice(r, p.OutputSize())
		wantY, wantDX := refPool(p, isMax, x, dy)
		y, dx := make([]float64, len(wantY)), make([]float64, len(x))
		if isMax {
			err = MaxPoolForward(p, y, x)
			if err == nil {
				err = MaxPoolBackward(p, dx, x, y, dy)
			}
		} else {
			err = AvgPoolForward(p, y, x)
			if err == nil {
				err = AvgPoolBackward(p, dx, dy)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		if d, at := diff(y, wantY); d > 1e-13*maxAbs(wantY) || math.IsNaN(d) {
			t.Fatalf("%+v: y[%d] = %v, want %v", s, at, y[at], wantY[at])
		}
		if d, at := diff(dx, wantDX); d > 1e-13*maxAbs(wantDX) || math.IsNaN(d) {
			t.Fatalf("%+v: dx[%d] = %v, want %v", s, at, dx[at], wantDX[at])
		}
	})
}
