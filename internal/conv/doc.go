// Package conv holds Descent's convolution and pooling kernels on NCHW
// images, generic over float32 and float64.
//
// A geometry (Conv, Pool) is validated once, when it is made; the kernels
// then run on caller-owned slices and allocate nothing: a convolution takes
// a workspace of WorkspaceSize values. Convolution is torch's
// (cross-correlation, zero padding, weight (out, in/groups, kh, kw)), done
// as im2col followed by one GEMM per group over a chunk of images, so that
// small images still make matrix products large enough to run fast.
//
// ceil_mode is not supported: output sizes always round down, as torch's
// default does.
package conv
