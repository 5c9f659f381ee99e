//go:build !amd64 || purego

package gemm

// asmKernelSets returns no set: this build has only the portable Go kernel.
func asmKernelSets() []*kernelSet { return nil }
