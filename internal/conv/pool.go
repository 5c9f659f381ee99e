package conv

import "fmt"

// PoolSpec describes a max or average pooling of torch's kind over
// (N, C, H, W) into (N, C, OH, OW) with
//
//	OH = ⌊(H + 2·PadH − DilH·(KH−1) − 1)/StrideH⌋ + 1
//
// and the same along W. Every field must be set: strides and dilations are
// at least 1, and each padding is at most half its kernel size, as torch
// requires. Average pooling takes no dilation (DilH = DilW = 1).
// ExcludePad (torch's count_include_pad=False, average pooling only)
// divides each window's sum by the number of input values it covers
// instead of KH·KW.
type PoolSpec struct {
	N, C, H, W       int
	KH, KW           int
	StrideH, StrideW int
	PadH, PadW       int
	DilH, DilW       int
	ExcludePad       bool
}

// Pool is a validated pooling geometry with its output size.
type Pool struct {
	PoolSpec
	OH, OW int
	op     string
}

// NewMaxPool validates s for max pooling.
func NewMaxPool(s PoolSpec) (*Pool, error) { return newPool(s, "maxpool2d") }

// NewAvgPool validates s for average pooling.
func NewAvgPool(s PoolSpec) (*Pool, error) { return newPool(s, "avgpool2d") }

func newPool(s PoolSpec, op string) (*Pool, error) {
	p := &Pool{PoolSpec: s, op: op}
	switch {
	case s.N < 1 || s.C < 1 || s.H < 1 || s.W < 1:
		return nil, fmt.Errorf("%s: the input (%d, %d, %d, %d) must have positive sizes", op, s.N, s.C, s.H, s.W)
	case s.KH < 1 || s.KW < 1:
		return nil, fmt.Errorf("%s: the kernel must be at least 1, got %d×%d", op, s.KH, s.KW)
	case s.StrideH < 1 || s.StrideW < 1:
		return nil, fmt.Errorf("%s: the stride must be at least 1, got %s", op, pair(s.StrideH, s.StrideW))
	case s.DilH < 1 || s.DilW < 1:
		return nil, fmt.Errorf("%s: the dilation must be at least 1, got %s", op, pair(s.DilH, s.DilW))
	case op == "avgpool2d" && (s.DilH != 1 || s.DilW != 1):
		return nil, fmt.Errorf("%s: average pooling takes no dilation, got %s", op, pair(s.DilH, s.DilW))
	case op == "maxpool2d" && s.ExcludePad:
		return nil, fmt.Errorf("%s: ExcludePad applies to average pooling only", op)
	case s.PadH < 0 || s.PadW < 0:
		return nil, fmt.Errorf("%s: the padding must be at least 0, got %s", op, pair(s.PadH, s.PadW))
	}
	for _, v := range []int{s.N, s.C, s.H, s.W, s.KH, s.KW, s.StrideH, s.StrideW, s.PadH, s.PadW, s.DilH, s.DilW} {
		if v > maxDim {
			return nil, fmt.Errorf("%s: a size of %d is more than %d", op, v, maxDim)
		}
	}
	if 2*s.PadH > s.KH || 2*s.PadW > s.KW {
		return nil, fmt.Errorf("%s: the padding %s must be at most half the kernel %d×%d", op, pair(s.PadH, s.PadW), s.KH, s.KW)
	}
	eh, ew := s.DilH*(s.KH-1)+1, s.DilW*(s.KW-1)+1
	if eh > s.H+2*s.PadH || ew > s.W+2*s.PadW {
		kernel := fmt.Sprintf("kernel %d×%d", s.KH, s.KW)
		if s.DilH != 1 || s.DilW != 1 {
			kernel += fmt.Sprintf(" dilated by %s (%d×%d)", pair(s.DilH, s.DilW), eh, ew)
		}
		return nil, fmt.Errorf("%s: %s with padding %s does not fit a %d×%d input", op, kernel, pair(s.PadH, s.PadW), s.H, s.W)
	}
	p.OH = (s.H+2*s.PadH-eh)/s.StrideH + 1
	p.OW = (s.W+2*s.PadW-ew)/s.StrideW + 1
	if mul(s.N, s.C, s.H, s.W) < 0 || mul(s.N, s.C, p.OH, p.OW) < 0 {
		return nil, fmt.Errorf("%s: the input or output would hold more than %d values", op, maxValues)
	}
	// With dilation, a window can fall between the image's positions and
	// the padding: torch then returns −∞ and sends the gradient astray.
	// Without dilation every window holds a position of the image.
	for _, a := range []struct {
		what                        string
		out, stride, pad, dil, k, n int
	}{{"row", p.OH, s.StrideH, s.PadH, s.DilH, s.KH, s.H}, {"column", p.OW, s.StrideW, s.PadW, s.DilW, s.KW, s.W}} {
		for o := 0; a.dil > 1 && o < a.out; o++ {
			if lo, hi := span(o*a.stride-a.pad, a.dil, a.n, a.k); lo == hi {
				return nil, fmt.Errorf("%s: the window of output %s %d covers only padding", op, a.what, o)
			}
		}
	}
	return p, nil
}

// InputSize and OutputSize are the numbers of values in x and y.
func (p *Pool) InputSize() int  { return p.N * p.C * p.H * p.W }
func (p *Pool) OutputSize() int { return p.N * p.C * p.OH * p.OW }

func (p *Pool) check(x, y int) error {
	if x != p.InputSize() {
		return fmt.Errorf("%s: the input has %d values, want %d", p.op, x, p.InputSize())
	}
	if y != p.OutputSize() {
		return fmt.Errorf("%s: the output has %d values, want %d", p.op, y, p.OutputSize())
	}
	return nil
}
