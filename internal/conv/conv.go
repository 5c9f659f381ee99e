package conv

import (
	"fmt"
)

// Float is the set of element types the kernels run on.
type Float interface{ ~float32 | ~float64 }

// maxValues bounds every tensor and workspace a geometry may describe, so
// that sizes never overflow and nothing absurd is allocated.
const maxValues = 1 << 32

// maxDim bounds every single size, stride, padding and dilation.
const maxDim = 1 << 30

// chunkValues is about how many workspace values one chunk of images may
// take: im2col columns, the GEMM's output and a copy of the images. 2^19
// values (2 MiB of float32) give the GEMM thousands of columns while the
// chunk stays near the L2 cache; on LeNet's layers at batch 64 it measured
// 5–10% faster than 2^18 and within 2% of the best chunk size.
const chunkValues = 1 << 19

// ConvSpec describes a convolution of torch's kind: input (N, C, H, W),
// weight (K, C/Groups, KH, KW), output (N, K, OH, OW) with
//
//	OH = ⌊(H + 2·PadH − DilH·(KH−1) − 1)/StrideH⌋ + 1
//
// and the same along W. Every field must be set: strides, dilations and
// groups are at least 1 and paddings at least 0. OneD names the op conv1d
// in errors and prints sizes along W only; it expects H = KH = 1.
type ConvSpec struct {
	N, C, H, W       int
	K, KH, KW        int
	StrideH, StrideW int
	PadH, PadW       int
	DilH, DilW       int
	Groups           int
	OneD             bool
}

// Conv is a validated convolution geometry with its output size and the
// number of images each GEMM covers.
type Conv struct {
	ConvSpec
	OH, OW int
	chunk  int // images per im2col chunk
	unit   bool
}

// NewConv validates s and returns its geometry, or a one-line error such as
// "conv2d: kernel 5×5 with padding 0 does not fit a 3×3 input".
func NewConv(s ConvSpec) (*Conv, error) {
	c := &Conv{ConvSpec: s}
	if err := c.validate(); err != nil {
		return nil, err
	}
	c.OH = (s.H+2*s.PadH-s.DilH*(s.KH-1)-1)/s.StrideH + 1
	c.OW = (s.W+2*s.PadW-s.DilW*(s.KW-1)-1)/s.StrideW + 1
	// Per image: im2col columns, the GEMM's output and the image itself.
	c.chunk = 1
	if kd, img := mul(s.C, s.KH, s.KW), mul(s.C, s.H, s.W); kd > 0 && img > 0 {
		if per := mul(kd+s.K, c.OH, c.OW); per > 0 && per+img > 0 {
			c.chunk = max(1, min(s.N, chunkValues/(per+img)))
		}
	}
	c.unit = s.KH == 1 && s.KW == 1 && s.StrideH == 1 && s.StrideW == 1 && s.PadH == 0 && s.PadW == 0
	for _, t := range []struct {
		what string
		n    int
	}{
		{"the input", mul(s.N, s.C, s.H, s.W)},
		{"the weight", mul(s.K, s.C/s.Groups, s.KH, s.KW)},
		{"the output", mul(s.N, s.K, c.OH, c.OW)},
		{"the workspace", c.WorkspaceSize()},
	} {
		if t.n < 0 {
			return nil, fmt.Errorf("%s: %s would hold more than %d values", c.op(), t.what, maxValues)
		}
	}
	return c, nil
}

func (c *Conv) op() string {
	if c.OneD {
		return "conv1d"
	}
	return "conv2d"
}

// sizes prints h×w, or w alone for conv1d.
func (c *Conv) sizes(h, w int) string {
	if c.OneD {
		return fmt.Sprint(w)
	}
	return fmt.Sprintf("%d×%d", h, w)
}

// pair prints "a" when both are equal (or for conv1d), "(a, b)" otherwise.
func (c *Conv) pair(a, b int) string {
	if c.OneD {
		return fmt.Sprint(b)
	}
	return pair(a, b)
}

func pair(a, b int) string {
	if a == b {
		return fmt.Sprint(a)
	}
	return fmt.Sprintf("(%d, %d)", a, b)
}

func (c *Conv) validate() error {
	s := &c.ConvSpec
	op := c.op()
	switch {
	case s.N < 1 || s.C < 1 || s.H < 1 || s.W < 1:
		if s.OneD {
			return fmt.Errorf("%s: the input (%d, %d, %d) must have positive sizes", op, s.N, s.C, s.W)
		}
		return fmt.Errorf("%s: the input (%d, %d, %d, %d) must have positive sizes", op, s.N, s.C, s.H, s.W)
	case s.K < 1:
		return fmt.Errorf("%s: the number of output channels must be at least 1, got %d", op, s.K)
	case s.KH < 1 || s.KW < 1:
		return fmt.Errorf("%s: the kernel must be at least 1, got %s", op, c.sizes(s.KH, s.KW))
	case s.StrideH < 1 || s.StrideW < 1:
		return fmt.Errorf("%s: the stride must be at least 1, got %s", op, c.pair(s.StrideH, s.StrideW))
	case s.PadH < 0 || s.PadW < 0:
		return fmt.Errorf("%s: the padding must be at least 0, got %s", op, c.pair(s.PadH, s.PadW))
	case s.DilH < 1 || s.DilW < 1:
		return fmt.Errorf("%s: the dilation must be at least 1, got %s", op, c.pair(s.DilH, s.DilW))
	case s.Groups < 1:
		return fmt.Errorf("%s: groups must be at least 1, got %d", op, s.Groups)
	case s.C%s.Groups != 0:
		return fmt.Errorf("%s: %d input channels do not split into %d groups", op, s.C, s.Groups)
	case s.K%s.Groups != 0:
		return fmt.Errorf("%s: %d output channels do not split into %d groups", op, s.K, s.Groups)
	case s.OneD && (s.H != 1 || s.KH != 1):
		return fmt.Errorf("%s: a 1-D convolution needs H = KH = 1, got %d and %d", op, s.H, s.KH)
	}
	for _, v := range []int{s.N, s.C, s.H, s.W, s.K, s.KH, s.KW, s.StrideH, s.StrideW, s.PadH, s.PadW, s.DilH, s.DilW} {
		if v > maxDim {
			return fmt.Errorf("%s: a size of %d is more than %d", op, v, maxDim)
		}
	}
	eh, ew := s.DilH*(s.KH-1)+1, s.DilW*(s.KW-1)+1
	if eh > s.H+2*s.PadH || ew > s.W+2*s.PadW {
		kernel := "kernel " + c.sizes(s.KH, s.KW)
		if s.DilH != 1 || s.DilW != 1 {
			kernel += fmt.Sprintf(" dilated by %s (%s)", c.pair(s.DilH, s.DilW), c.sizes(eh, ew))
		}
		in := c.sizes(s.H, s.W) + " input"
		if s.OneD {
			in = fmt.Sprintf("input of length %d", s.W)
		}
		article := "a"
		if s.OneD {
			article = "an"
		}
		return fmt.Errorf("%s: %s with padding %s does not fit %s %s", op, kernel, c.pair(s.PadH, s.PadW), article, in)
	}
	return nil
}

// mul multiplies sizes, returning −1 when the product exceeds maxValues.
func mul(v ...int) int {
	p := 1
	for _, x := range v {
		if x < 0 || (x > 0 && p > maxValues/x) {
			return -1
		}
		p *= x
	}
	return p
}

// InputSize, WeightSize and OutputSize are the numbers of values in x, w
// and y.
func (c *Conv) InputSize() int  { return c.N * c.C * c.H * c.W }
func (c *Conv) WeightSize() int { return c.K * (c.C / c.Groups) * c.KH * c.KW }
func (c *Conv) OutputSize() int { return c.N * c.K * c.OH * c.OW }

// WorkspaceSize is the number of values Forward, BackwardData and
// BackwardFilter need in ws: the im2col matrix of one chunk of images;
// when a chunk holds more than one image, a batch-innermost copy of its
// images and the GEMM's output; and the transposed weight gradient. It is
// −1 if that would exceed the size limit.
func (c *Conv) WorkspaceSize() int {
	col, xt, out := c.areas()
	w := mul(c.K, c.C/c.Groups, c.KH, c.KW)
	if col < 0 || xt < 0 || out < 0 || w < 0 || col+xt+out+w > maxValues {
		return -1
	}
	return col + xt + out + w
}

// areas returns the sizes of the workspace's three parts (−1 when one is
// too large).
func (c *Conv) areas() (col, xt, out int) {
	cols := mul(c.chunk, c.OH, c.OW)
	if !c.unit {
		col = mul(c.C, c.KH, c.KW, cols)
	}
	if c.chunk > 1 {
		xt = mul(c.chunk, c.C, c.H, c.W)
		out = mul(c.K, cols)
	}
	if cols < 0 {
		return -1, -1, -1
	}
	return col, xt, out
}

// Chunk is the number of images one GEMM covers.
func (c *Conv) Chunk() int { return c.chunk }

func (c *Conv) check(what string, got, want int) error {
	if got != want {
		return fmt.Errorf("%s: %s has %d values, want %d", c.op(), what, got, want)
	}
	return nil
}

func (c *Conv) checkWS(n int) error {
	if ws := c.WorkspaceSize(); n < ws {
		return fmt.Errorf("%s: the workspace has %d values, want at least %d", c.op(), n, ws)
	}
	return nil
}
