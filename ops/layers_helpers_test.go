package ops_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// The layer ops bring their own kernels to the executor.
var (
	_ graph.Native = mustOp(ops.BatchNormTrain(vec(2, 2), vec(2), vec(2), 1e-5))
	_ graph.Native = mustOp(ops.LayerNorm(vec(2, 2), nil, nil, 1e-5))
	_ graph.Native = mustOp(ops.Dropout(vec(2, 2), G.NewScalar(shared, G.Float64), 0.5, 1))
	_ graph.Native = mustOp(ops.Embedding(vec(2), vec(3, 2)))
)

func mustOp(n *G.Node, err error) graph.Native {
	if err != nil {
		panic(err)
	}
	return n.Op().(graph.Native)
}

var shared = G.NewGraph()

// vec is a float64 input node of the given shape on a graph shared by the
// tests that only build ops.
func vec(shape ...int) *G.Node {
	g := shared
	if len(shape) == 1 {
		return G.NewVector(g, G.Float64, G.WithShape(shape...))
	}
	return G.NewTensor(g, G.Float64, len(shape), G.WithShape(shape...))
}

// input is a float64 node holding v, of the given shape, on g.
func input(g *G.ExprGraph, name string, v []float64, shape ...int) *G.Node {
	t := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
	if len(shape) == 0 {
		return G.NewScalar(g, G.Float64, G.WithName(name), G.WithValue(v[0]))
	}
	return G.NewTensor(g, G.Float64, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(t))
}

// run evaluates nodes of g on Gorgonia's TapeMachine.
func run(g *G.ExprGraph, nodes ...*G.Node) ([][]float64, error) {
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		return nil, err
	}
	out := make([][]float64, len(nodes))
	for i, n := range nodes {
		switch d := n.Value().Data().(type) {
		case []float64:
			out[i] = append([]float64(nil), d...)
		case float64:
			out[i] = []float64{d}
		default:
			return nil, fmt.Errorf("value %T", d)
		}
	}
	return out, nil
}
