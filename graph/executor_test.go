package graph_test

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
	"unsafe"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/ops"
)

// equivCase is one problem run both by graph.Engine and by Gorgonia's own
// TapeMachine. build makes its Spec for a dtype; n is the batch size (0 for
// objectives); target says how Y is drawn; lo and hi bound the random
// parameters unless params sets them.
type equivCase struct {
	name   string
	build  func(dt tensor.Dtype) (graph.Spec, error)
	n      int
	target string // "real", "bits", "onehot" or "" without data
	lo, hi float64
	params func(spec graph.Spec) map[string][]float64
}

func problem(p models.Problem) func(dt tensor.Dtype) (graph.Spec, error) {
	return func(dt tensor.Dtype) (graph.Spec, error) {
		p.Dtype = dt
		return traced(p.Spec())
	}
}

func mlp(act string) models.Model {
	m, err := models.NewMLP(4, 3, []int{5, 6}, act, 42)
	if err != nil {
		panic(err)
	}
	return m
}

// objective is a Spec with no data: f builds the scalar to differentiate.
func objective(params []graph.Param, f func(s *graph.Scope, p map[string]*G.Node) *G.Node) func(dt tensor.Dtype) (graph.Spec, error) {
	return func(dt tensor.Dtype) (graph.Spec, error) {
		return graph.Spec{
			Dtype:  dt,
			Params: params,
			Forward: func(s *graph.Scope) (*G.Node, error) {
				return f(s, s.Params), nil
			},
		}, nil
	}
}

func prm(name string, shape ...int) graph.Param { return graph.Param{Name: name, Shape: shape} }

// weighted is Σ(x ⊙ W) with W a parameter of x's shape: it makes the
// incoming gradient of x non-uniform, so every entry of x's gradient is
// checked, not just their sum.
func weighted(x, w *G.Node) *G.Node {
	return G.Must(G.Sum(G.Must(G.HadamardProd(x, w))))
}

func square(x *G.Node) *G.Node { return G.Must(G.Square(x)) }

// rhs returns the broadcast right operand, panicking on error as G.Must does.
func rhs(_, b *G.Node, err error) *G.Node {
	if err != nil {
		panic(err)
	}
	return b
}

// matmulOp returns Gorgonia's matrix-product op with the given transposes.
// G.Mul only ever builds A×B; Gorgonia builds A×Bᵀ and Aᵀ×B for gradients
// but exposes no constructor, and Aᵀ×Bᵀ only arises from a transposed
// forward product. So the op is copied and its two unexported flags set.
func matmulOp(tA, tB bool) G.Op {
	g := G.NewGraph()
	a := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 2), G.WithName("a"))
	op := G.Must(G.Mul(a, a)).Op()
	v := reflect.New(reflect.TypeOf(op)).Elem()
	v.Set(reflect.ValueOf(op))
	for name, on := range map[string]bool{"transA": tA, "transB": tB} {
		f := v.FieldByName(name)
		reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().SetBool(on)
	}
	return v.Interface().(G.Op)
}

func TestMatmulOpNames(t *testing.T) {
	for _, c := range []struct {
		tA, tB bool
		want   string
	}{{false, false, "A × B"}, {true, false, "Aᵀ × B"}, {false, true, "A × Bᵀ"}, {true, true, "Aᵀ × Bᵀ"}} {
		if got := matmulOp(c.tA, c.tB).String(); got != c.want {
			t.Errorf("matmulOp(%v, %v) = %q, want %q", c.tA, c.tB, got, c.want)
		}
	}
}

func equivCases() []equivCase {
	var cases []equivCase
	// Models and losses.
	for _, loss := range []string{"mse", "half-mse", "mae", "huber"} {
		cases = append(cases, equivCase{name: "linear/" + loss, build: problem(models.Problem{Model: models.Linear{Features: 4}, Loss: loss}), n: 9, target: "real"})
	}
	cases = append(cases,
		equivCase{name: "linear/huber-0.3", build: problem(models.Problem{Model: models.Linear{Features: 4}, Loss: "huber", Delta: 0.3}), n: 9, target: "real"},
		equivCase{name: "linear/mse/n=1", build: problem(models.Problem{Model: models.Linear{Features: 3}}), n: 1, target: "real"},
		equivCase{name: "logistic/bce", build: problem(models.Problem{Model: models.Logistic{Features: 4}}), n: 11, target: "bits"},
		equivCase{name: "softmax/xent", build: problem(models.Problem{Model: models.Softmax{Features: 4, Classes: 3}}), n: 10, target: "onehot"},
		equivCase{name: "poly3/mse", build: problem(models.Problem{Model: models.Poly{Degree: 3}}), n: 8, target: "real"},
		equivCase{name: "l2/linear", build: problem(models.Problem{Model: models.Linear{Features: 4}, L2: 0.1}), n: 9, target: "real"},
		equivCase{name: "l2/mlp-tanh-xent", build: problem(models.Problem{Model: mlp("tanh"), Loss: "xent", L2: 0.01}), n: 7, target: "onehot"},
		equivCase{name: "hills", build: problem(models.Problem{Model: models.Hills{}}), lo: -2, hi: 2},
		equivCase{name: "rosenbrock", build: problem(models.Problem{Model: models.Rosenbrock{}}), lo: -2, hi: 2},
	)
	for _, act := range []string{"relu", "tanh", "sigmoid"} {
		cases = append(cases,
			equivCase{name: "mlp-" + act + "/xent", build: problem(models.Problem{Model: mlp(act), Loss: "xent"}), n: 10, target: "onehot"},
			equivCase{name: "mlp-" + act + "/mse", build: problem(models.Problem{Model: mlp(act), Loss: "mse"}), n: 10, target: "real"},
		)
	}

	// Matrix products, every transpose, including the shapes that the
	// executor runs as matrix-vector products (one output row or column).
	for _, sh := range [][3]int{{3, 4, 5}, {1, 4, 5}, {3, 4, 1}, {1, 4, 1}, {2, 1, 3}} {
		m, k, n := sh[0], sh[1], sh[2]
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			tA, tB := tr[0], tr[1]
			a, b := []int{m, k}, []int{k, n}
			if tA {
				a = []int{k, m}
			}
			if tB {
				b = []int{n, k}
			}
			cases = append(cases, equivCase{
				name: fmt.Sprintf("matmul/%dx%dx%d/tA=%v,tB=%v", m, k, n, tA, tB),
				build: objective([]graph.Param{prm("A", a...), prm("B", b...), prm("W", m, n)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
					c := G.Must(G.ApplyOp(matmulOp(tA, tB), p["A"], p["B"]))
					return weighted(square(c), p["W"])
				}),
			})
		}
	}
	cases = append(cases,
		equivCase{name: "matvec/A×v", build: objective([]graph.Param{prm("A", 3, 4), prm("v", 4), prm("W", 3)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.Mul(p["A"], p["v"]))), p["W"])
		})},
		equivCase{name: "matvec/u×A", build: objective([]graph.Param{prm("A", 3, 4), prm("u", 3), prm("W", 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.Mul(p["u"], p["A"]))), p["W"])
		})},
		equivCase{name: "dot", build: objective([]graph.Param{prm("u", 5), prm("v", 5)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return G.Must(G.Sin(G.Must(G.Mul(p["u"], p["v"]))))
		})},
	)

	// Reductions.
	for _, sh := range [][2]int{{3, 4}, {5, 1}, {1, 5}} {
		r, c := sh[0], sh[1]
		cases = append(cases,
			equivCase{name: fmt.Sprintf("sum/axis0/%dx%d", r, c), build: objective([]graph.Param{prm("M", r, c), prm("W", c)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
				return weighted(square(G.Must(G.Sum(p["M"], 0))), p["W"])
			})},
			equivCase{name: fmt.Sprintf("sum/axis1/%dx%d", r, c), build: objective([]graph.Param{prm("M", r, c), prm("W", r)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
				return weighted(square(G.Must(G.Sum(p["M"], 1))), p["W"])
			})},
			equivCase{name: fmt.Sprintf("sum/all/%dx%d", r, c), build: objective([]graph.Param{prm("M", r, c)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
				return square(G.Must(G.Sum(square(p["M"]))))
			})},
			equivCase{name: fmt.Sprintf("sum/axes01/%dx%d", r, c), build: objective([]graph.Param{prm("M", r, c)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
				return G.Must(G.Sin(G.Must(G.Sum(p["M"], 0, 1))))
			})},
			equivCase{name: fmt.Sprintf("mean/axis1/%dx%d", r, c), build: objective([]graph.Param{prm("M", r, c), prm("W", r)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
				return weighted(square(G.Must(G.Mean(p["M"], 1))), p["W"])
			})},
		)
	}
	cases = append(cases,
		equivCase{name: "sum/vector", build: objective([]graph.Param{prm("v", 6)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return square(G.Must(G.Sum(G.Must(G.Sin(p["v"])))))
		})},
		equivCase{name: "mean/vector", build: objective([]graph.Param{prm("v", 6)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return square(G.Must(G.Mean(G.Must(G.Sin(p["v"])))))
		})},
	)

	// Repeats, as Gorgonia's broadcasting builds them.
	cases = append(cases,
		equivCase{name: "repeat/row-vector-down", build: objective([]graph.Param{prm("M", 3, 4), prm("v", 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.BroadcastAdd(p["M"], p["v"], nil, []byte{0}))), p["W"])
		})},
		equivCase{name: "repeat/column-across", build: objective([]graph.Param{prm("M", 3, 4), prm("c", 3), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.BroadcastAdd(p["M"], p["c"], nil, []byte{1}))), p["W"])
		})},
		equivCase{name: "repeat/left-operand", build: objective([]graph.Param{prm("M", 3, 4), prm("v", 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(G.BroadcastHadamardProd(p["v"], p["M"], []byte{0}, nil)), p["W"])
		})},
		equivCase{name: "repeat/both-operands", build: objective([]graph.Param{prm("a", 3, 1), prm("b", 1, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.BroadcastSub(p["a"], p["b"], []byte{1}, []byte{0}))), p["W"])
		})},
		equivCase{name: "repeat/1x1-into-arith", build: objective([]graph.Param{prm("M", 3, 4), prm("s", 1, 1), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.BroadcastAdd(p["M"], p["s"], nil, []byte{0, 1}))), p["W"])
		})},
		equivCase{name: "repeat/1x1-into-unary", build: objective([]graph.Param{prm("M", 3, 4), prm("s", 1, 1), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			r := rhs(G.Broadcast(p["M"], p["s"], G.NewBroadcastPattern(nil, []byte{0, 1})))
			return weighted(G.Must(G.HadamardProd(G.Must(G.Sin(r)), p["M"])), p["W"])
		})},
		equivCase{name: "repeat/into-softmax", build: objective([]graph.Param{prm("M", 3, 4), prm("v", 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			r := rhs(G.Broadcast(p["M"], p["v"], G.NewBroadcastPattern(nil, []byte{0})))
			return weighted(G.Must(G.HadamardProd(G.Must(G.SoftMax(r)), p["M"])), p["W"])
		})},
	)

	// Elementwise binary ops.
	cases = append(cases,
		equivCase{name: "pow/tensor^tensor", lo: 0.5, hi: 2, build: objective([]graph.Param{prm("A", 3, 4), prm("B", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(G.Pow(p["A"], p["B"])), p["W"])
		})},
		equivCase{name: "pow/tensor^scalar", lo: 0.5, hi: 2, build: objective([]graph.Param{prm("A", 3, 4), prm("k"), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(G.Pow(p["A"], p["k"])), p["W"])
		})},
		equivCase{name: "pow/scalar^tensor", lo: 0.5, hi: 2, build: objective([]graph.Param{prm("k"), prm("A", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(G.Pow(p["k"], p["A"])), p["W"])
		})},
		equivCase{name: "div/tensor÷tensor", lo: 0.5, hi: 2, build: objective([]graph.Param{prm("A", 3, 4), prm("B", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(G.HadamardDiv(p["A"], p["B"])), p["W"])
		})},
		equivCase{name: "div/tensor÷scalar", lo: 0.5, hi: 2, build: objective([]graph.Param{prm("A", 3, 4), prm("k"), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(G.HadamardDiv(p["A"], p["k"])), p["W"])
		})},
		equivCase{name: "div/scalar÷tensor", lo: 0.5, hi: 2, build: objective([]graph.Param{prm("k"), prm("A", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(G.HadamardDiv(p["k"], p["A"])), p["W"])
		})},
		equivCase{name: "sub/scalar-tensor", build: objective([]graph.Param{prm("k"), prm("A", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.Sub(p["k"], p["A"]))), p["W"])
		})},
		equivCase{name: "scalar/all-scalar", build: objective([]graph.Param{prm("a"), prm("b")}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return G.Must(G.HadamardDiv(G.Must(G.Mul(p["a"], G.Must(G.Exp(p["b"])))), G.Must(G.Add(constant(s, 3), p["b"]))))
		})},
	)
	type cmpFn func(a, b *G.Node, retSame bool) (*G.Node, error)
	for _, c := range []struct {
		name string
		f    cmpFn
	}{{"lt", G.Lt}, {"gt", G.Gt}, {"lte", G.Lte}, {"gte", G.Gte}, {"eq", G.Eq}, {"ne", G.Ne}} {
		f := c.f
		cases = append(cases,
			equivCase{name: "cmp/" + c.name, params: tiedParams, build: objective([]graph.Param{prm("A", 3, 4), prm("B", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
				mask := G.Must(f(p["A"], p["B"], true))
				// B reaches the loss only through the mask, which has no
				// gradient; its square keeps it a parameter of the loss.
				return G.Must(G.Add(weighted(G.Must(G.HadamardProd(p["A"], mask)), p["W"]), G.Must(G.Sum(square(p["B"])))))
			})},
			equivCase{name: "cmp/" + c.name + "-scalar", params: tiedParams, build: objective([]graph.Param{prm("A", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
				mask := G.Must(f(p["A"], constant(s, 0.25), true))
				return weighted(G.Must(G.HadamardProd(p["A"], mask)), p["W"])
			})},
		)
	}
	cases = append(cases,
		equivCase{name: "minbetween", build: objective([]graph.Param{prm("A", 3, 4), prm("B", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(G.MinBetween(p["A"], p["B"])), p["W"])
		})},
		equivCase{name: "maxbetween", build: objective([]graph.Param{prm("A", 3, 4), prm("B", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(G.MaxBetween(p["A"], p["B"])), p["W"])
		})},
	)

	// Elementwise unary ops: positive inputs for those defined only there.
	for _, u := range []struct {
		name   string
		f      func(*G.Node) (*G.Node, error)
		lo, hi float64
	}{
		{"sqrt", G.Sqrt, 0.3, 2}, {"exp", G.Exp, -2, 2}, {"log", G.Log, 0.3, 2}, {"log2", G.Log2, 0.3, 2},
		{"log1p", G.Log1p, -0.5, 2}, {"expm1", G.Expm1, -2, 2}, {"sin", G.Sin, -3, 3}, {"cos", G.Cos, -3, 3},
		{"cube", G.Cube, -2, 2}, {"inverse", G.Inverse, 0.3, 2}, {"inverse-neg", G.Inverse, -2, -0.3},
		{"invsqrt", G.InverseSqrt, 0.3, 2}, {"abs", G.Abs, -2, 2}, {"square", G.Square, -2, 2},
		{"neg", G.Neg, -2, 2}, {"tanh", G.Tanh, -3, 3}, {"sigmoid", G.Sigmoid, -6, 6},
		{"softplus", G.Softplus, -6, 6}, {"rectify", G.Rectify, -2, 2},
	} {
		f := u.f
		cases = append(cases, equivCase{name: "unary/" + u.name, lo: u.lo, hi: u.hi, build: objective([]graph.Param{prm("A", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(f(p["A"])), p["W"])
		})})
	}
	// Sign has a zero gradient; A also enters linearly to stay a parameter.
	cases = append(cases, equivCase{name: "unary/sign", lo: -2, hi: 2, build: objective([]graph.Param{prm("A", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
		return G.Must(G.Add(weighted(G.Must(G.Sign(p["A"])), p["W"]), G.Must(G.Sum(G.Must(G.HadamardProd(p["A"], p["W"]))))))
	})})

	// Softmax and log-softmax of matrices (row by row) and vectors.
	for _, sm := range []struct {
		name string
		f    func(*G.Node, ...int) (*G.Node, error)
	}{{"softmax", G.SoftMax}, {"logsoftmax", G.LogSoftMax}} {
		f := sm.f
		cases = append(cases,
			equivCase{name: sm.name + "/matrix", lo: -3, hi: 3, build: objective([]graph.Param{prm("M", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
				return weighted(G.Must(f(p["M"])), p["W"])
			})},
			equivCase{name: sm.name + "/matrix-axis0", lo: -3, hi: 3, build: objective([]graph.Param{prm("M", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
				return weighted(G.Must(f(p["M"], 0)), p["W"])
			})},
			equivCase{name: sm.name + "/vector", lo: -3, hi: 3, build: objective([]graph.Param{prm("v", 5), prm("W", 5)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
				return weighted(G.Must(f(p["v"])), p["W"])
			})},
		)
	}

	// Ops with no native kernel run through their own Do (the fallback).
	cases = append(cases,
		equivCase{name: "fallback/concat", build: objective([]graph.Param{prm("A", 2, 3), prm("B", 1, 3), prm("W", 3, 3)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.Concat(0, p["A"], p["B"]))), p["W"])
		})},
		equivCase{name: "fallback/slice-rows", build: objective([]graph.Param{prm("M", 4, 3), prm("W", 2, 3)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.Slice(p["M"], G.S(1, 3)))), p["W"])
		})},
		equivCase{name: "fallback/slice-column", build: objective([]graph.Param{prm("M", 4, 3), prm("W", 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.Slice(p["M"], nil, G.S(1)))), p["W"])
		})},
		equivCase{name: "fallback/transpose", build: objective([]graph.Param{prm("M", 3, 4), prm("B", 3, 2), prm("W", 4, 2)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.Mul(G.Must(G.Transpose(p["M"])), p["B"]))), p["W"])
		})},
	)
	return cases
}

// tiedParams draws A and B so that a third of their entries are equal,
// which makes the comparisons' ties part of the test.
func tiedParams(spec graph.Spec) map[string][]float64 {
	p := randomParams(spec, 5, -1, 1)
	if b, ok := p["B"]; ok {
		for i := 0; i < len(b); i += 3 {
			b[i] = p["A"][i]
		}
	}
	if a := p["A"]; len(spec.Params) == 2 { // comparisons with the constant 0.25
		a[0], a[5] = 0.25, 0.25
	}
	return p
}

// TestEngineMatchesTapeMachine runs every case through graph.Engine and
// through Gorgonia's TapeMachine and compares the loss, every parameter
// gradient and the prediction: 1e-12 relative for float64, 1e-5 for
// float32 (see relErr for how near-zero components are judged).
func TestEngineMatchesTapeMachine(t *testing.T) {
	worst := map[tensor.Dtype]float64{}
	defer func() {
		for _, dt := range dtypes {
			t.Logf("largest error, %v: %.2g (tolerance %g)", dt, worst[dt], tolFor(dt))
		}
	}()
	for _, c := range equivCases() {
		for _, dt := range dtypes {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				spec, err := c.build(dt)
				if err != nil {
					t.Fatal(err)
				}
				lo, hi := c.lo, c.hi
				if lo == 0 && hi == 0 {
					lo, hi = -1, 1
				}
				params := randomParams(spec, 3, lo, hi)
				if c.params != nil {
					params = c.params(spec)
				}
				var X, Y []float64
				if c.n > 0 {
					X = uniform(17, c.n*spec.InputSize(), -2, 2)
					switch c.target {
					case "real":
						Y = uniform(19, c.n*spec.TargetSize(), -2, 2)
					case "bits":
						Y = bits(19, c.n*spec.TargetSize())
					case "onehot":
						Y = onehot(19, c.n, spec.TargetSize())
					}
				}
				want, err := tapeRun(spec, params, X, Y, c.n)
				if err != nil {
					t.Fatalf("gorgonia reference: %v", err)
				}
				got := engineRun(t, spec, graph.Options{Workers: 1}, params, X, Y, c.n)
				worst[dt] = math.Max(worst[dt], compare(t, dt, spec, got, want))
			})
		}
	}
}

// TestEngineForwardMatchesTapeMachine covers ops whose value the executor
// computes but that Gorgonia cannot differentiate (ceil, floor, and the
// outer product, whose symbolic gradient Gorgonia builds with the wrong
// shapes): Engine.Loss, which builds no gradient, against the TapeMachine.
func TestEngineForwardMatchesTapeMachine(t *testing.T) {
	cases := []equivCase{
		{name: "ceil", lo: -3, hi: 3, build: objective([]graph.Param{prm("A", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(G.Ceil(p["A"])), p["W"])
		})},
		{name: "floor", lo: -3, hi: 3, build: objective([]graph.Param{prm("A", 3, 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(G.Must(G.Floor(p["A"])), p["W"])
		})},
		{name: "outer", build: objective([]graph.Param{prm("u", 3), prm("v", 4), prm("W", 3, 4)}, func(s *graph.Scope, p map[string]*G.Node) *G.Node {
			return weighted(square(G.Must(G.OuterProd(p["u"], p["v"]))), p["W"])
		})},
	}
	for _, c := range cases {
		for _, dt := range dtypes {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				spec, err := c.build(dt)
				if err != nil {
					t.Fatal(err)
				}
				lo, hi := c.lo, c.hi
				if lo == 0 && hi == 0 {
					lo, hi = -1, 1
				}
				params := randomParams(spec, 3, lo, hi)
				want, err := tapeForward(spec, params, nil, nil, 0)
				if err != nil {
					t.Fatalf("gorgonia reference: %v", err)
				}
				e, err := graph.New(spec, graph.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if err := e.SetParams(params); err != nil {
					t.Fatal(err)
				}
				got, err := e.Loss(nil, nil, 0)
				if err != nil {
					t.Fatal(err)
				}
				if d := errFor(dt, []float64{got}, []float64{want.loss}); d > tolFor(dt) {
					t.Errorf("loss: engine %.17g, gorgonia %.17g (rel err %.2g)", got, want.loss, d)
				}
			})
		}
	}
}

// TestSoftplusIsExact checks the executor's softplus, log(1+eˣ) evaluated
// as max(x,0) + log1p(e^(−|x|)), and its derivative σ(x) far into both
// tails, where Gorgonia's own softplus (x for x > 16) is off.
func TestSoftplusIsExact(t *testing.T) {
	v := []float64{-745, -60, -20, -5, -1e-3, 0, 1e-3, 5, 16.5, 20, 36, 60, 700}
	for _, dt := range dtypes {
		t.Run(dt.String(), func(t *testing.T) {
			spec := graph.Spec{
				Dtype:  dt,
				Params: []graph.Param{{Name: "v", Shape: []int{len(v)}, Init: v}, {Name: "w", Shape: []int{len(v)}, Init: uniform(1, len(v), 0.5, 1.5)}},
				Forward: func(s *graph.Scope) (*G.Node, error) {
					return weighted(G.Must(G.Softplus(s.Params["v"])), s.Params["w"]), nil
				},
			}
			e, err := graph.New(spec, graph.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Step(nil, nil, 0); err != nil {
				t.Fatal(err)
			}
			w := spec.Params[1].Init
			tol, tiny := 1e-15, 1e-300
			if dt == tensor.Float32 {
				tol, tiny = 1e-6, 1e-30
			}
			for i, x := range v {
				if dt == tensor.Float32 {
					x = float64(float32(x))
				}
				sp := math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
				sig := 1 / (1 + math.Exp(-x))
				if x < 0 {
					sig = math.Exp(x) / (1 + math.Exp(x))
				}
				if got := e.Grads()["w"][i]; math.Abs(got-sp) > tol*math.Max(sp, tiny) {
					t.Errorf("softplus(%v) = %v, want %v", x, got, sp)
				}
				if got, want := e.Grads()["v"][i], w[i]*sig; math.Abs(got-want) > tol*math.Max(want, tiny) {
					t.Errorf("d softplus(%v)·w = %v, want w·σ(x) = %v", x, got, want)
				}
			}
		})
	}
}

// TestExtremeLogits checks bce and xent from logits far from zero (|z| up
// to about 80) against the hand-derived references in package ops: no
// overflow, no log(0), no loss of precision in float64.
func TestExtremeLogits(t *testing.T) {
	const n, d, k = 12, 3, 4
	X := uniform(3, n*d, -2, 2)
	t.Run("bce", func(t *testing.T) {
		Y := bits(4, n)
		W, b := []float64{15, -12, 9}, 2.0
		e, err := models.Problem{Model: models.Logistic{Features: d}}.Engine(graph.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.SetParams(map[string][]float64{"W": W, "b": {b}}); err != nil {
			t.Fatal(err)
		}
		l, err := e.Step(X, Y, n)
		if err != nil {
			t.Fatal(err)
		}
		gW, gb, J, err := ops.LogisticGrad(X, Y, n, d, W, b)
		if err != nil {
			t.Fatal(err)
		}
		if e := relErr([]float64{l}, []float64{J}); e > 1e-13 || math.IsInf(l, 0) || math.IsNaN(l) {
			t.Errorf("loss %v, reference %v (rel err %.2g)", l, J, e)
		}
		if e := relErr(append(slices.Clone(e.Grads()["W"]), e.Grads()["b"]...), append(gW, gb)); e > 1e-13 {
			t.Errorf("gradient rel err %.2g against ops.LogisticGrad", e)
		}
	})
	t.Run("xent", func(t *testing.T) {
		Y := onehot(4, n, k)
		W := uniform(5, d*k, -20, 20)
		B := []float64{3, -3, 1, 0}
		e, err := models.Problem{Model: models.Softmax{Features: d, Classes: k}}.Engine(graph.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.SetParams(map[string][]float64{"W": W, "b": B}); err != nil {
			t.Fatal(err)
		}
		l, err := e.Step(X, Y, n)
		if err != nil {
			t.Fatal(err)
		}
		gW, gb, J, err := ops.SoftmaxGrad(X, Y, n, d, k, W, B)
		if err != nil {
			t.Fatal(err)
		}
		if e := relErr([]float64{l}, []float64{J}); e > 1e-13 || math.IsInf(l, 0) || math.IsNaN(l) {
			t.Errorf("loss %v, reference %v (rel err %.2g)", l, J, e)
		}
		if e := relErr(e.Grads()["W"], gW); e > 1e-13 {
			t.Errorf("grad W rel err %.2g against ops.SoftmaxGrad", e)
		}
		if e := relErr(e.Grads()["b"], gb); e > 1e-13 {
			t.Errorf("grad b rel err %.2g against ops.SoftmaxGrad", e)
		}
	})
}
