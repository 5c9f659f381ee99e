package vec

// MaxPool2x2F32 computes 2×2, stride-2 max pooling over rows rows of
// outputs: output row i, ow values at y[i·ow:], takes the windows of input
// rows 2i and 2i+1, each w ≥ 2·ow values long, at x[2i·w:]. Each output is
// its window's first maximum in row-major order, or NaN when the window
// holds one (torch's max_pool2d). It does the first ow &^ 3 outputs of
// every row, four at a time, when the CPU has AVX2, and returns how many
// per row it did; the caller does the rest.
func MaxPool2x2F32(y, x []float32, rows, ow, w int) int {
	blocks := ow / 4
	if !useAVX2 || blocks == 0 || rows == 0 {
		return 0
	}
	_ = y[(rows-1)*ow+4*blocks-1]
	_ = x[(2*rows-1)*w+8*blocks-1]
	maxPool2F32(&y[0], &x[0], rows, ow, w, blocks)
	return 4 * blocks
}

// MaxPool2x2BackF32 is MaxPool2x2F32's gradient: for the windows it did,
// it writes all four of dx's window positions, the gradient dy at the
// first position equal to the window's maximum y (its last NaN when y is
// NaN) and zeros elsewhere, as torch's max_pool2d backward. dx's rows are
// laid out as x's. It returns how many outputs per row it did.
func MaxPool2x2BackF32(dx, x, y, dy []float32, rows, ow, w int) int {
	blocks := ow / 4
	if !useAVX2 || blocks == 0 || rows == 0 {
		return 0
	}
	_ = y[(rows-1)*ow+4*blocks-1]
	_ = dy[(rows-1)*ow+4*blocks-1]
	_ = x[(2*rows-1)*w+8*blocks-1]
	_ = dx[(2*rows-1)*w+8*blocks-1]
	maxPool2BackF32(&dx[0], &x[0], &y[0], &dy[0], rows, ow, w, blocks)
	return 4 * blocks
}
