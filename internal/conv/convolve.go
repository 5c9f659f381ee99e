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
	sp, hw := c.OH*c.OW, c.H*c.W
	kg, kd := c.K/c.Groups, c.C/c.Groups*c.KH*c.KW
	colArea := c.C * c.KH * c.KW * c.chunk * sp
	for n0 := 0; n0 < c.N; n0 += c.chunk {
		nb := min(c.chunk, c.N-n0)
		cols := nb * sp
		xs := x[n0*c.C*hw : (n0+nb)*c.C*hw]
		ys := y[n0*c.K*sp : (n0+nb)*c.K*sp]
		col := xs
		if !(c.unit && nb == 1) {
			col = ws[:c.C*c.KH*c.KW*cols]
			im2col(c, col, xs, nb)
		}
		out := ys
		if nb > 1 {
			out = ws[colArea : colArea+c.K*cols]
		}
		for g := 0; g < c.Groups; g++ {
			gemm.Gemm(false, false, kg, cols, kd, 1, w[g*kg*kd:], kd, col[g*kd*cols:], cols, 0, out[g*kg*cols:], cols)
		}
		if nb > 1 {
			scatter(ys, out, bias, nb, c.K, sp)
		} else if bias != nil {
			for k, b := range bias {
				row := ys[k*sp : (k+1)*sp]
				for i := range row {
					row[i] += b
				}
			}
		}
	}
	return nil
}

// BackwardData computes the input gradient dx = ∂L/∂x from the output
// gradient dy: for each chunk, columns wᵀ·dy per group, folded back onto
// the image by col2im. dx is written, never read.
func BackwardData[T Float](c *Conv, dx, w, dy, ws []T) error {
	if err := c.checkLens(len(dx), len(w), len(dy), len(ws)); err != nil {
		return err
	}
	sp, hw := c.OH*c.OW, c.H*c.W
	kg, kd := c.K/c.Groups, c.C/c.Groups*c.KH*c.KW
	colArea := c.C * c.KH * c.KW * c.chunk * sp
	for n0 := 0; n0 < c.N; n0 += c.chunk {
		nb := min(c.chunk, c.N-n0)
		cols := nb * sp
		dys := dy[n0*c.K*sp : (n0+nb)*c.K*sp]
		dxs := dx[n0*c.C*hw : (n0+nb)*c.C*hw]
		dyp := dys
		if nb > 1 {
			dyp = ws[colArea : colArea+c.K*cols]
			gather(dyp, dys, nb, c.K, sp)
		}
		direct := c.unit && nb == 1
		col := dxs
		if !direct {
			col = ws[:c.C*c.KH*c.KW*cols]
		}
		for g := 0; g < c.Groups; g++ {
			gemm.Gemm(true, false, kd, cols, kg, 1, w[g*kg*kd:], kd, dyp[g*kg*cols:], cols, 0, col[g*kd*cols:], cols)
		}
		if !direct {
			col2im(c, dxs, col, nb)
		}
	}
	return nil
}

// BackwardFilter computes the weight gradient dw = ∂L/∂w from x and the
// output gradient dy: per group, dy·colᵀ summed over every chunk of images.
// dw is written, never read.
func BackwardFilter[T Float](c *Conv, dw, x, dy, ws []T) error {
	if err := c.checkLens(len(x), len(dw), len(dy), len(ws)); err != nil {
		return err
	}
	sp, hw := c.OH*c.OW, c.H*c.W
	kg, kd := c.K/c.Groups, c.C/c.Groups*c.KH*c.KW
	colArea := c.C * c.KH * c.KW * c.chunk * sp
	for n0 := 0; n0 < c.N; n0 += c.chunk {
		nb := min(c.chunk, c.N-n0)
		cols := nb * sp
		xs := x[n0*c.C*hw : (n0+nb)*c.C*hw]
		dys := dy[n0*c.K*sp : (n0+nb)*c.K*sp]
		col := xs
		if !(c.unit && nb == 1) {
			col = ws[:c.C*c.KH*c.KW*cols]
			im2col(c, col, xs, nb)
		}
		dyp := dys
		if nb > 1 {
			dyp = ws[colArea : colArea+c.K*cols]
			gather(dyp, dys, nb, c.K, sp)
		}
		var beta T
		if n0 > 0 {
			beta = 1
		}
		for g := 0; g < c.Groups; g++ {
			gemm.Gemm(false, true, kg, kd, cols, 1, dyp[g*kg*cols:], cols, col[g*kd*cols:], cols, beta, dw[g*kg*kd:], kd)
		}
	}
	return nil
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
			var s T
			for _, v := range dy[(i*k+ch)*sp : (i*k+ch+1)*sp] {
				s += v
			}
			db[ch] += s
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
