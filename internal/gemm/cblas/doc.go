// Package cblas calls OpenBLAS's cblas_sgemm and cblas_dgemm through cgo. Its code is built
// only with -tags openblas (which needs libopenblas-dev); package gemm uses it then. It is a
// package of its own because a package with cgo cannot hold Go assembly.
package cblas
