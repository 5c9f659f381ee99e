package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Native is a Gorgonia op that brings its own kernels. The executor runs
// them on its preallocated buffers instead of the op's Do, which allocates
// a fresh tensor on every call.
//
// NativeKernel64 and NativeKernel32 are called once per compiled program
// with the shapes of the op's inputs. They may allocate scratch space then,
// never when the returned kernel runs. The kernel writes the op's whole
// output into out (it must not read out first) and must not write its
// inputs.
type Native interface {
	NativeKernel64(in []tensor.Shape) (func(out []float64, in [][]float64) error, error)
	NativeKernel32(in []tensor.Shape) (func(out []float32, in [][]float32) error, error)
}

// nativeKernel returns the executor kernel of a Native op, or nil when op
// is not one.
func nativeKernel[T Float](p *program[T], n *G.Node, in []int, out []T) (func() error, error) {
	nat, ok := n.Op().(Native)
	if !ok {
		return nil, nil
	}
	shapes := make([]tensor.Shape, len(in))
	for i, s := range in {
		shapes[i] = p.shapes[s]
	}
	args := make([][]T, len(in))
	var run func(out []T, in [][]T) error
	switch f := any(&run).(type) {
	case *func([]float64, [][]float64) error:
		k, err := nat.NativeKernel64(shapes)
		if err != nil {
			return nil, fmt.Errorf("graph: %v: %w", n.Op(), err)
		}
		*f = k
	case *func([]float32, [][]float32) error:
		k, err := nat.NativeKernel32(shapes)
		if err != nil {
			return nil, fmt.Errorf("graph: %v: %w", n.Op(), err)
		}
		*f = k
	}
	return func() error {
		for i, s := range in {
			args[i] = p.vals[s]
		}
		return run(out, args)
	}, nil
}
