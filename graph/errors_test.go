package graph_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

var update = flag.Bool("update", false, "rewrite golden files")

// errCase is one bad input. run returns the error; want lists substrings
// the message must contain (the shapes and values at fault).
type errCase struct {
	name string
	run  func() error
	want []string
}

// linearEngine is a float64 Linear{Features: 3} engine (Targets 1).
func linearEngine() (*graph.Engine, error) {
	return models.Problem{Model: models.Linear{Features: 3}}.Engine(graph.Options{})
}

// firstErr builds spec and steps it once on n rows of zeros, returning the
// first error and saying whether New or Step gave it.
func firstErr(spec graph.Spec, opt graph.Options, n int) error {
	e, err := graph.New(spec, opt)
	if err != nil {
		return fmt.Errorf("New: %w", err)
	}
	var X, Y []float64
	if n > 0 {
		X, Y = make([]float64, n*spec.InputSize()), make([]float64, n*spec.TargetSize())
	}
	if _, err := e.Step(X, Y, n); err != nil {
		return fmt.Errorf("Step: %w", err)
	}
	return nil
}

func scalarSpec(params []graph.Param, f func(s *graph.Scope) (*G.Node, error)) graph.Spec {
	return graph.Spec{Params: params, Forward: f}
}

func okForward(s *graph.Scope) (*G.Node, error) {
	x, err := s.Lookup("x")
	if err != nil {
		return nil, err
	}
	return G.Square(x)
}

func engineErrCases() []errCase {
	withEngine := func(f func(e *graph.Engine) error) func() error {
		return func() error {
			e, err := linearEngine()
			if err != nil {
				return fmt.Errorf("unexpected: %w", err)
			}
			return f(e)
		}
	}
	rosen := func(f func(e *graph.Engine) error) func() error {
		return func() error {
			e, err := models.Problem{Model: models.Rosenbrock{}}.Engine(graph.Options{})
			if err != nil {
				return fmt.Errorf("unexpected: %w", err)
			}
			return f(e)
		}
	}
	x := []graph.Param{{Name: "x"}}
	return []errCase{
		{"step/X-length", withEngine(func(e *graph.Engine) error {
			_, err := e.Step(make([]float64, 7), make([]float64, 2), 2)
			return err
		}), []string{"X has 7 values", "2 rows × 3 features = 6"}},
		{"step/Y-length", withEngine(func(e *graph.Engine) error {
			_, err := e.Step(make([]float64, 6), make([]float64, 3), 2)
			return err
		}), []string{"Y has 3 values", "2 rows × 1 targets = 2"}},
		{"step/n=0", withEngine(func(e *graph.Engine) error {
			_, err := e.Step(nil, nil, 0)
			return err
		}), []string{"at least one row, got 0"}},
		{"step/n=-1", withEngine(func(e *graph.Engine) error {
			_, err := e.Step(nil, nil, -1)
			return err
		}), []string{"got -1"}},
		{"loss/X-length", withEngine(func(e *graph.Engine) error {
			_, err := e.Loss(make([]float64, 5), make([]float64, 2), 2)
			return err
		}), []string{"X has 5 values", "= 6"}},
		{"predict/X-length", withEngine(func(e *graph.Engine) error {
			_, err := e.Predict(make([]float64, 4), 2, nil)
			return err
		}), []string{"X has 4 values", "= 6"}},
		{"predict/n=0", withEngine(func(e *graph.Engine) error {
			_, err := e.Predict(nil, 0, nil)
			return err
		}), []string{"got 0"}},
		{"predict/buffer", withEngine(func(e *graph.Engine) error {
			_, err := e.Predict(make([]float64, 6), 2, make([]float64, 3))
			return err
		}), []string{"prediction buffer has 3 values", "2 rows × 1 outputs = 2"}},
		{"objective/step-with-data", rosen(func(e *graph.Engine) error {
			_, err := e.Step([]float64{1}, nil, 1)
			return err
		}), []string{"takes no data", "got 1 rows"}},
		{"objective/loss-with-data", rosen(func(e *graph.Engine) error {
			_, err := e.Loss(nil, []float64{1}, 0)
			return err
		}), []string{"takes no data"}},
		{"objective/predict", rosen(func(e *graph.Engine) error {
			_, err := e.Predict(nil, 0, nil)
			return err
		}), []string{"no prediction"}},
		{"setparams/unknown", withEngine(func(e *graph.Engine) error {
			return e.SetParams(map[string][]float64{"Q": {1}})
		}), []string{`"Q"`}},
		{"setparams/size", withEngine(func(e *graph.Engine) error {
			return e.SetParams(map[string][]float64{"W": {1, 2}})
		}), []string{`"W"`, "3 values", "got 2"}},
		{"spec/no-params", func() error {
			return firstErr(graph.Spec{Forward: func(s *graph.Scope) (*G.Node, error) { return G.NewConstant(1.0), nil }}, graph.Options{}, 0)
		}, []string{"no parameters"}},
		{"spec/lookup-undeclared", func() error { return firstErr(graph.Spec{Forward: okForward}, graph.Options{}, 0) }, []string{`no parameter "x"`}},
		{"spec/no-forward", func() error { return firstErr(graph.Spec{Params: x}, graph.Options{}, 0) }, []string{"no Forward"}},
		{"spec/duplicate-name", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "x"}, {Name: "x"}}, okForward), graph.Options{}, 0)
		}, []string{`"x"`, "twice"}},
		{"spec/empty-name", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "x"}, {}}, okForward), graph.Options{}, 0)
		}, []string{"empty name"}},
		{"spec/zero-dimension", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "x"}, {Name: "w", Shape: []int{3, 0}}}, okForward), graph.Options{}, 0)
		}, []string{`"w"`, "[3 0]"}},
		{"spec/negative-dimension", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "x"}, {Name: "w", Shape: []int{-2}}}, okForward), graph.Options{}, 0)
		}, []string{`"w"`, "[-2]"}},
		{"spec/unused-parameter", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "x"}, {Name: "w", Shape: []int{2, 2, 2}}}, okForward), graph.Options{}, 0)
		}, []string{`"w"`, "[2 2 2]", "does not affect the loss"}},
		{"spec/init-length", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "x"}, {Name: "w", Shape: []int{2, 3}, Init: []float64{1, 2}}}, okForward), graph.Options{}, 0)
		}, []string{`"w"`, "[2 3]", "6 values", "2 initial"}},
		{"spec/dtype-int", func() error {
			s := scalarSpec(x, okForward)
			s.Dtype = tensor.Int
			return firstErr(s, graph.Options{}, 0)
		}, []string{"float64 or float32", "int"}},
		{"spec/negative-features", func() error {
			s := scalarSpec(x, okForward)
			s.Input, s.Target = []int{-1}, []int{1}
			return firstErr(s, graph.Options{}, 0)
		}, []string{"-1"}},
		{"spec/huge-input", func() error {
			s := scalarSpec(x, okForward)
			s.Input, s.Target = []int{1 << 20, 1 << 20, 1 << 20}, []int{1}
			return firstErr(s, graph.Options{}, 0)
		}, []string{"more than"}},
		{"spec/over-budget", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "x"}, {Name: "w", Shape: []int{20000, 20000}}}, okForward), graph.Options{}, 0)
		}, []string{"more than 134217728 values", "w", "[20000 20000]"}},
		{"spec/huge-parameter", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "w", Shape: []int{1 << 30, 1 << 30}}}, okForward), graph.Options{}, 0)
		}, []string{`"w"`, "more than"}},
		{"options/negative-workers", func() error { return firstErr(scalarSpec(x, okForward), graph.Options{Workers: -2}, 0) }, []string{"-2"}},
		{"options/negative-block", func() error { return firstErr(scalarSpec(x, okForward), graph.Options{BlockRows: -5}, 0) }, []string{"-5"}},
		{"forward/panics-on-shape-mismatch", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "A", Shape: []int{2, 3}}, {Name: "B", Shape: []int{3, 2}}}, func(s *graph.Scope) (*G.Node, error) {
				return G.Must(G.Sum(G.Must(G.Add(s.Params["A"], s.Params["B"])))), nil
			}), graph.Options{}, 0)
		}, []string{"(2, 3)", "(3, 2)"}},
		{"forward/panics-for-one-batch-size", func() error {
			spec, err := traced(models.Problem{Model: models.Linear{Features: 3}}.Spec())
			if err != nil {
				return fmt.Errorf("unexpected: %w", err)
			}
			fwd := spec.Forward
			spec.Forward = func(s *graph.Scope) (*G.Node, error) {
				if s.N == 7 {
					panic("no batches of 7")
				}
				return fwd(s)
			}
			return firstErr(spec, graph.Options{}, 7)
		}, []string{"7 rows", "no batches of 7"}},
		{"forward/panics-in-split-worker", func() error {
			spec, err := traced(models.Problem{Model: models.Linear{Features: 3}}.Spec())
			if err != nil {
				return fmt.Errorf("unexpected: %w", err)
			}
			fwd := spec.Forward
			spec.Forward = func(s *graph.Scope) (*G.Node, error) {
				if s.N == 64 {
					panic("no blocks of 64")
				}
				return fwd(s)
			}
			return firstErr(spec, graph.Options{Workers: 2, BlockRows: 64}, 1000)
		}, []string{"64 rows", "no blocks of 64"}},
		{"forward/returns-error", func() error {
			return firstErr(scalarSpec(x, func(*graph.Scope) (*G.Node, error) { return nil, errors.New("model says no") }), graph.Options{}, 0)
		}, []string{"model says no"}},
		{"forward/nil-node", func() error {
			return firstErr(scalarSpec(x, func(*graph.Scope) (*G.Node, error) { return nil, nil }), graph.Options{}, 0)
		}, []string{"no node"}},
		{"forward/unknown-param", func() error {
			return firstErr(scalarSpec(x, func(s *graph.Scope) (*G.Node, error) {
				w, err := s.Lookup("w")
				if err != nil {
					return nil, err
				}
				return G.Square(w)
			}), graph.Options{}, 0)
		}, []string{`"w"`}},
		{"forward/param-not-in-loss", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "x"}, {Name: "unused", Shape: []int{2}}}, okForward), graph.Options{}, 0)
		}, []string{"does not affect the loss"}},
		{"forward/non-scalar-objective", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "v", Shape: []int{3}}}, func(s *graph.Scope) (*G.Node, error) {
				return G.Square(s.Params["v"])
			}), graph.Options{}, 0)
		}, []string{"scalar", "(3)"}},
		{"forward/non-scalar-loss", func() error {
			spec, err := traced(models.Problem{Model: models.Linear{Features: 3}}.Spec())
			if err != nil {
				return fmt.Errorf("unexpected: %w", err)
			}
			spec.Loss = func(s *graph.Scope, pred *G.Node) (*G.Node, error) { return G.Sub(pred, s.Y) }
			return firstErr(spec, graph.Options{}, 4)
		}, []string{"scalar", "(1, 1)"}},
		{"forward/bool-output", func() error {
			return firstErr(scalarSpec([]graph.Param{{Name: "v", Shape: []int{3}}}, func(s *graph.Scope) (*G.Node, error) {
				return G.Gt(s.Params["v"], G.NewConstant(0.0), false)
			}), graph.Options{}, 0)
		}, []string{"bool"}},
		{"forward/float64-constant-in-float32-graph", func() error {
			s := scalarSpec([]graph.Param{{Name: "v", Shape: []int{3}}}, func(s *graph.Scope) (*G.Node, error) {
				return G.Sum(G.Must(G.Add(s.Params["v"], G.NewConstant(2.0))))
			})
			s.Dtype = tensor.Float32
			return firstErr(s, graph.Options{}, 0)
		}, []string{"float"}},
		{"forward/feature-count-mismatch", func() error {
			spec, err := traced(models.Problem{Model: models.Linear{Features: 3}}.Spec())
			if err != nil {
				return fmt.Errorf("unexpected: %w", err)
			}
			spec.Input = []int{2}
			return firstErr(spec, graph.Options{}, 4)
		}, []string{"(1, 2)", "(3, 1)", "2 features against 3"}},
		{"forward/prediction-target-mismatch", func() error {
			spec, err := traced(models.Problem{Model: models.Softmax{Features: 3, Classes: 2}}.Spec())
			if err != nil {
				return fmt.Errorf("unexpected: %w", err)
			}
			spec.Target = []int{3}
			return firstErr(spec, graph.Options{}, 4)
		}, []string{"(1, 2)", "(1, 3)"}},
	}
}

func modelErrCases() []errCase {
	parse := func(spec string, features int) func() error {
		return func() error {
			_, err := models.Parse(spec, features, 3, "", 1)
			return err
		}
	}
	spec := func(p models.Problem) func() error {
		return func() error {
			_, err := p.Spec()
			return err
		}
	}
	return []errCase{
		{"parse/unknown-model", parse("cubic", 2), []string{`"cubic"`, "linear, poly:K"}},
		{"parse/empty", parse("", 2), []string{`""`}},
		{"parse/poly:0", parse("poly:0", 1), []string{`"poly:0"`, ">= 1"}},
		{"parse/poly:x", parse("poly:x", 1), []string{`"poly:x"`}},
		{"parse/poly:2.5", parse("poly:2.5", 1), []string{`"poly:2.5"`}},
		{"parse/poly:", parse("poly:", 1), []string{`"poly:"`}},
		{"parse/poly-two-features", parse("poly:2", 2), []string{`"poly:2"`, "one feature", "has 2"}},
		{"parse/mlp:", parse("mlp:", 2), []string{`"mlp:"`}},
		{"parse/mlp", parse("mlp", 2), []string{`"mlp"`}},
		{"parse/mlp:3,0", parse("mlp:3,0", 2), []string{`"mlp:3,0"`, ">= 1"}},
		{"parse/mlp:3,,2", parse("mlp:3,,2", 2), []string{`"mlp:3,,2"`}},
		{"parse/mlp:-4", parse("mlp:-4", 2), []string{`"mlp:-4"`}},
		{"parse/linear:3", parse("linear:3", 2), []string{`"linear:3"`, "no argument"}},
		{"parse/mlp-activation", func() error {
			_, err := models.Parse("mlp:4", 2, 3, "elu", 1)
			return err
		}, []string{`"elu"`, "relu, tanh or sigmoid"}},
		{"parse/mlp-zero-features", parse("mlp:4", 0), []string{"features", "got 0"}},
		{"problem/no-model", spec(models.Problem{}), []string{"no model"}},
		{"problem/bce-two-outputs", spec(models.Problem{Model: models.Softmax{Features: 3, Classes: 2}, Loss: "bce"}), []string{"bce", "one output", "has 2"}},
		{"problem/xent-one-output", spec(models.Problem{Model: models.Linear{Features: 3}, Loss: "xent"}), []string{"xent", "at least 2", "has 1"}},
		{"problem/unknown-loss", spec(models.Problem{Model: models.Linear{Features: 3}, Loss: "hinge"}), []string{`"hinge"`, "mse"}},
		{"problem/huber-negative-delta", spec(models.Problem{Model: models.Linear{Features: 3}, Loss: "huber", Delta: -1}), []string{"delta", "-1"}},
		{"problem/negative-l2", spec(models.Problem{Model: models.Linear{Features: 3}, L2: -0.5}), []string{"l2", "-0.5"}},
		{"problem/zero-features", spec(models.Problem{Model: models.Linear{}}), []string{"features > 0", "[]"}},
	}
}

// TestErrors checks that every bad input gives an error, never a panic,
// whose message names the values at fault. The messages are kept in
// testdata/errors.golden for review; -update rewrites it.
func TestErrors(t *testing.T) {
	var golden strings.Builder
	for _, c := range append(engineErrCases(), modelErrCases()...) {
		err := catch(t, c.name, c.run)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			fmt.Fprintf(&golden, "%s: <nil>\n", c.name)
			continue
		}
		msg := err.Error()
		fmt.Fprintf(&golden, "%s: %s\n", c.name, msg)
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: error %q does not mention %q", c.name, msg, w)
			}
		}
		if strings.Contains(msg, "goroutine ") || strings.Contains(msg, ".go:") {
			t.Errorf("%s: error carries a stack trace: %q", c.name, msg)
		}
	}
	path := filepath.Join("testdata", "errors.golden")
	if *update {
		if err := os.WriteFile(path, []byte(golden.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestErrors -update to create it)", err)
	}
	if got := golden.String(); got != string(want) {
		t.Errorf("error messages differ from %s (go test -run TestErrors -update rewrites it):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines that differ between two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "- %s\n+ %s\n", wl, gl)
		}
	}
	return b.String()
}

// TestSetParamsIsAllOrNothing checks that SetParams with one bad entry
// changes no parameter.
func TestSetParamsIsAllOrNothing(t *testing.T) {
	e, err := linearEngine()
	if err != nil {
		t.Fatal(err)
	}
	before := slices.Clone(e.Params()["W"])
	err = e.SetParams(map[string][]float64{"W": {7, 8, 9}, "b": {1, 2}})
	if err == nil {
		t.Fatal("SetParams with a 2-value b: no error")
	}
	if !slices.Equal(e.Params()["W"], before) || e.Params()["b"][0] != 0 {
		t.Errorf("a failed SetParams changed the parameters: W %v, b %v", e.Params()["W"], e.Params()["b"])
	}
}

// TestStepWithoutTargets steps a supervised problem with Y = nil. Step's
// check lets a nil Y through (Predict needs that), and the run then reads
// whatever the Y slot last held: zeros on a fresh engine, the previous
// batch's targets after that. It must be an error.
func TestStepWithoutTargets(t *testing.T) {
	for _, dt := range dtypes {
		t.Run(dt.String(), func(t *testing.T) {
			spec, err := traced(models.Problem{Model: models.Linear{Features: 1}, Dtype: dt}.Spec())
			if err != nil {
				t.Fatal(err)
			}
			e := newEngine(t, spec, graph.Options{}, map[string][]float64{"W": {1}, "b": {0}})
			X := []float64{1, 2}
			if _, err := e.Step(X, []float64{5, 5}, 2); err != nil {
				t.Fatal(err)
			}
			for _, call := range []struct {
				name string
				f    func() (float64, error)
			}{{"Step", func() (float64, error) { return e.Step(X, nil, 2) }}, {"Loss", func() (float64, error) { return e.Loss(X, nil, 2) }}} {
				var l float64
				err := catch(t, call.name, func() (err error) { l, err = call.f(); return err })
				if err == nil {
					t.Errorf("%s(X, nil, 2) on a problem with 1 target: no error, loss %v (computed against a stale Y)", call.name, l)
				}
			}
		})
	}
}

// TestBadGradientShapeIsAnError differentiates a forward outer product.
// Gorgonia's symbolic gradient of OuterProd(u, v) is wrong: it builds
// Mul(u, ∂) and Mul(v, ∂), so ∂u gets v's length and the ∂v product has
// mismatched operands (the TapeMachine itself fails on it with "Shape
// mismatch"). The engine must report that as an error, not panic in BLAS
// or when copying a gradient of the wrong length.
func TestBadGradientShapeIsAnError(t *testing.T) {
	for _, dt := range dtypes {
		t.Run(dt.String(), func(t *testing.T) {
			spec := graph.Spec{
				Dtype:  dt,
				Params: []graph.Param{{Name: "u", Shape: []int{3}, Init: []float64{1, 2, 3}}, {Name: "v", Shape: []int{4}, Init: []float64{1, 2, 3, 4}}},
				Forward: func(s *graph.Scope) (*G.Node, error) {
					return G.Sum(G.Must(G.Square(G.Must(G.OuterProd(s.Params["u"], s.Params["v"])))))
				},
			}
			err := catch(t, "New+Step", func() error { return firstErr(spec, graph.Options{}, 0) })
			if err == nil {
				t.Errorf("no error for a gradient of the wrong shape")
			}
		})
	}
}

// TestGradientShapeIsChecked differentiates the same outer product with
// respect to u alone (v a constant). No kernel fails this time: Gorgonia's
// ∂u = Mul(u, ∂) is a valid product of shape (4) for a parameter of shape
// (3), and copying it into the 3-value gradient must not panic. compile
// should check every gradient's shape against its parameter's.
func TestGradientShapeIsChecked(t *testing.T) {
	for _, dt := range dtypes {
		t.Run(dt.String(), func(t *testing.T) {
			spec := graph.Spec{
				Dtype:  dt,
				Params: []graph.Param{{Name: "u", Shape: []int{3}, Init: []float64{1, 2, 3}}},
				Forward: func(s *graph.Scope) (*G.Node, error) {
					v := G.NewConstant(tensor.New(tensor.WithShape(4), tensor.WithBacking([]float64{1, 2, 3, 4})))
					if dt == tensor.Float32 {
						v = G.NewConstant(tensor.New(tensor.WithShape(4), tensor.WithBacking([]float32{1, 2, 3, 4})))
					}
					return G.Sum(G.Must(G.Square(G.Must(G.OuterProd(s.Params["u"], v)))))
				},
			}
			err := catch(t, "New+Step", func() error { return firstErr(spec, graph.Options{}, 0) })
			if err == nil {
				t.Errorf("no error for a gradient of shape (4) for a parameter of shape (3)")
			} else if !strings.Contains(err.Error(), "u") {
				t.Errorf("error %q does not name the parameter", err)
			}
		})
	}
}
