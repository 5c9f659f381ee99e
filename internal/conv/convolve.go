package conv

import "github.com/descent-ml/descent/internal/gemm"

// Forward computes y = x ⋆ w (+ bias), torch's conv2d (a cross-correlation):
//
//	y[n, k, oh, ow] = bias[k] + Σ_{c ∈ group(k), i, j} w[k, c, i, j] ·
//	                  x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW]
//
// with x zero outside the image. x is (N, C, H, W), w is (K, C/G, KH, KW),
// y is (N, K, OH, OW), bias is nil or has K values, and ws holds at least
// WorkspaceSize values. y is written, never read. Each chunk of images is
// unrolled by im2col (Chellapilla, Puri & Simard 2006) and multiplied by
// the weight in one GEMM per group.
func Forward[T Float](c *Conv, y, x, w, bias, ws []T) error {
	if err := c.checkLens(len(x), len(w), len(y), len(ws)); err != nil {
		return err
	}
	if bias != nil {
		if err := c.check("the bias", len(bias), c.K); err != nil {
			return err
		}
	}
	kg, kd := c.K/c.Groups, c.C/c.Groups*c.KH*c.KW
	for n0 := 0; n0 < c.N; n0 += c.chunk {
		b := newChunk(c, ws, n0)
		col := b.unroll(x)
		out := b.ys(y)
		if b.nb > 1 {
			out = b.yp
		}
		for g := 0; g < c.Groups; g++ {
			gemm.Gemm(false, false, kg, b.cols, kd, 1, w[g*kg*kd:], kd, col[g*kd*b.cols:], b.cols, 0, out[g*kg*b.cols:], b.cols)
		}
		if b.nb > 1 {
			scatter(b.ys(y), out, bias, b.nb, c.K, b.sp)
		} else if bias != nil {
			for k, bv := range bias {
				row := out[k*b.sp : (k+1)*b.sp]
				for i := range row {
					row[i] += bv
				}
			}
		}
	}
	return nil
}

// BackwardData computes the input gradient dx = ∂L/∂x from the output
// gradient dy: for each chunk, columns wᵀ·dy per group, folded back onto
// the images by col2im. dx is written, never read.
func BackwardData[T Float](c *Conv, dx, w, dy, ws []T) error {
	if err := c.checkLens(len(dx), len(w), len(dy), len(ws)); err != nil {
		return err
	}
	kg, kd := c.K/c.Groups, c.C/c.Groups*c.KH*c.KW
	for n0 := 0; n0 < c.N; n0 += c.chunk {
		b := newChunk(c, ws, n0)
		dyp := b.outGrad(dy)
		dxs := b.xs(dx)
		// The columns' gradient goes straight into dx (1×1 convolutions
		// of one image), into the batch-innermost copy (1×1 convolutions
		// of a chunk) or into the im2col matrix.
		col := b.col
		switch {
		case c.unit && b.nb == 1:
			col = dxs
		case c.unit:
			col = b.xt
		}
		for g := 0; g < c.Groups; g++ {
			gemm.Gemm(true, false, kd, b.cols, kg, 1, w[g*kg*kd:], kd, dyp[g*kg*b.cols:], b.cols, 0, col[g*kd*b.cols:], b.cols)
		}
		switch {
		case c.unit && b.nb == 1:
		case b.nb == 1:
			col2im(c, dxs, col, 1)
		default:
			if !c.unit {
				col2im(c, b.xt, col, b.nb)
			}
			fromBatchInner(dxs, b.xt, b.nb, c.C*c.H*c.W)
		}
	}
	return nil
}

// BackwardFilter computes the weight gradient dw = ∂L/∂w from x and the
// output gradient dy: per group, dy·colᵀ summed over every chunk of images.
// The GEMM computes the transpose, col·dyᵀ, which the packed GEMM ran
// 1.0–1.7× faster on the digits and LeNet layers, and the sum is
// transposed into dw at the end. dw is written, never read.
func BackwardFilter[T Float](c *Conv, dw, x, dy, ws []T) error {
	if err := c.checkLens(len(x), len(dw), len(dy), len(ws)); err != nil {
		return err
	}
	kg, kd := c.K/c.Groups, c.C/c.Groups*c.KH*c.KW
	colArea, xtArea, outArea := c.areas()
	dwt := ws[colArea+xtArea+outArea : colArea+xtArea+outArea+c.WeightSize()]
	for n0 := 0; n0 < c.N; n0 += c.chunk {
		b := newChunk(c, ws, n0)
		col := b.unroll(x)
		dyp := b.outGrad(dy)
		var beta T
		if n0 > 0 {
			beta = 1
		}
		for g := 0; g < c.Groups; g++ {
			gemm.Gemm(false, true, kd, kg, b.cols, 1, col[g*kd*b.cols:], b.cols, dyp[g*kg*b.cols:], b.cols, beta, dwt[g*kd*kg:], kg)
		}
	}
	for g := 0; g < c.Groups; g++ {
		transpose(dw[g*kg*kd:], kd, dwt[g*kd*kg:], kg, kd, kg, 0)
	}
	return nil
}

// chunk is one chunk of images and its share of the workspace.
type chunk[T Float] struct {
	c           *Conv
	n0, nb      int // first image, images
	sp, cols    int // OH·OW, sp·nb
	col, xt, yp []T
}

// newChunk cuts the workspace for the chunk that starts at image n0. The
// workspace holds, in order, the im2col matrix (not for 1×1 convolutions),
// the batch-innermost copy of the chunk's images and the GEMM's output;
// the last two only when a chunk holds more than one image.
func newChunk[T Float](c *Conv, ws []T, n0 int) chunk[T] {
	nb := min(c.chunk, c.N-n0)
	sp := c.OH * c.OW
	b := chunk[T]{c: c, n0: n0, nb: nb, sp: sp, cols: sp * nb}
	colArea, xtArea, _ := c.areas()
	if !c.unit {
		b.col = ws[:c.C*c.KH*c.KW*b.cols]
	}
	if nb > 1 {
		b.xt = ws[colArea : colArea+c.C*c.H*c.W*nb]
		b.yp = ws[colArea+xtArea : colArea+xtArea+c.K*b.cols]
	}
	return b
}

// xs and ys are the chunk's images in an input- or output-shaped slice.
func (b chunk[T]) xs(x []T) []T {
	m := b.c.C * b.c.H * b.c.W
	return x[b.n0*m : (b.n0+b.nb)*m]
}

func (b chunk[T]) ys(y []T) []T {
	m := b.c.K * b.sp
	return y[b.n0*m : (b.n0+b.nb)*m]
}

// unroll returns the chunk's im2col matrix; for 1×1 convolutions that is
// the images themselves, batch-innermost.
func (b chunk[T]) unroll(x []T) []T {
	c, xs := b.c, b.xs(x)
	if b.nb > 1 {
		toBatchInner(b.xt, xs, b.nb, c.C*c.H*c.W)
		xs = b.xt
	}
	if c.unit {
		return xs
	}
	im2col(c, b.col, xs, b.nb)
	return b.col
}

// outGrad returns the chunk's output gradient as K rows of (OH·OW, nb)
// columns.
func (b chunk[T]) outGrad(dy []T) []T {
	dys := b.ys(dy)
	if b.nb == 1 {
		return dys
	}
	gather(b.yp, dys, b.nb, b.c.K, b.sp)
	return b.yp
}

// BiasGrad computes the bias gradient db[k] = Σ_{n, oh, ow} dy[n, k, oh, ow].
// db is written, never read.
func BiasGrad[T Float](c *Conv, db, dy []T) error {
	if err := c.check("the bias gradient", len(db), c.K); err != nil {
		return err
	}
	if err := c.check("the output gradient", len(dy), c.OutputSize()); err != nil {
		return err
	}
	ChannelSum(db, dy, c.N, c.K, c.OH*c.OW)
	return nil
}

// ChannelSum writes db[k] = Σ_{n, s} dy[n, k, s] for dy of shape (n, k, sp).
func ChannelSum[T Float](db, dy []T, n, k, sp int) {
	clear(db[:k])
	for i := 0; i < n; i++ {
		for ch := 0; ch < k; ch++ {
			db[ch] += sumOf(dy[(i*k+ch)*sp : (i*k+ch+1)*sp])
		}
	}
}

// ChannelAdd writes y[n, k, s] = x[n, k, s] + b[k] for x of shape (n, k, sp).
func ChannelAdd[T Float](y, x, b []T, n, k, sp int) {
	for i := 0; i < n; i++ {
		for ch := 0; ch < k; ch++ {
			off := (i*k + ch) * sp
			bv := b[ch]
			d := y[off : off+sp]
			for j, v := range x[off : off+sp] {
				d[j] = v + bv
			}
		}
	}
}

// checkLens checks the lengths of an input-shaped, a weight-shaped and an
// output-shaped slice and of the workspace.
func (c *Conv) checkLens(x, w, y, ws int) error {
	if err := c.check("the input", x, c.InputSize()); err != nil {
		return err
	}
	if err := c.check("the weight", w, c.WeightSize()); err != nil {
		return err
	}
	if err := c.check("the output", y, c.OutputSize()); err != nil {
		return err
	}
	return c.checkWS(ws)
}
