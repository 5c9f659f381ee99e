// Package vec holds vector loops of the executor's elementwise kernels, in
// assembly where the CPU has AVX2 and in Go elsewhere, with results
// bit-identical to the Go loops: today the ReLU and its gradient, which on
// a convolutional network's step touch every activation twice and, as
// scalar Go, took about a tenth of a LeNet-5 step.
package vec
