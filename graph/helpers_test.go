package graph_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
)

// result is what one run of a problem gives: the loss, the gradient of
// every parameter in Spec order, and the prediction (nil for objectives).
type result struct {
	loss  float64
	grads [][]float64
	pred  []float64
}

// dtypeOf returns the spec's dtype, Float64 for the zero value.
func dtypeOf(spec graph.Spec) tensor.Dtype {
	if spec.Dtype == (tensor.Dtype{}) {
		return tensor.Float64
	}
	return spec.Dtype
}

// tapeRun is the independent reference: it builds spec's graph for n rows
// with the same Forward and Loss, differentiates it with gorgonia.Grad and
// runs it on Gorgonia's own TapeMachine, reading every output with
// gorgonia.Read. It shares no code with the executor under test.
func tapeRun(spec graph.Spec, params map[string][]float64, X, Y []float64, n int) (res result, err error) {
	return tape(spec, params, X, Y, n, true)
}

// tapeForward is tapeRun without gradients, for ops Gorgonia cannot
// differentiate; res.grads is nil.
func tapeForward(spec graph.Spec, params map[string][]float64, X, Y []float64, n int) (res result, err error) {
	return tape(spec, params, X, Y, n, false)
}

func tape(spec graph.Spec, params map[string][]float64, X, Y []float64, n int, withGrad bool) (res result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reference panicked: %v", r)
		}
	}()
	dt := dtypeOf(spec)
	g := G.NewGraph()
	s := graph.NewScope(g, dt, n, withGrad)
	var pnodes G.Nodes
	for _, p := range spec.Params {
		node, err := input(g, dt, p.Shape, p.Name, params[p.Name])
		if err != nil {
			return res, err
		}
		s.Params[p.Name] = node
		pnodes = append(pnodes, node)
	}
	if spec.InputSize() > 0 {
		if s.X, err = input(g, dt, []int{n, spec.InputSize()}, "X", X); err != nil {
			return res, err
		}
	}
	if spec.TargetSize() > 0 {
		if s.Y, err = input(g, dt, []int{n, spec.TargetSize()}, "Y", Y); err != nil {
			return res, err
		}
	}
	pred, err := spec.Forward(s)
	if err != nil {
		return res, err
	}
	loss := pred
	if spec.Loss != nil {
		if loss, err = spec.Loss(s, pred); err != nil {
			return res, err
		}
	}
	var grads G.Nodes
	if withGrad {
		if grads, err = G.Grad(loss, pnodes...); err != nil {
			return res, err
		}
	}
	var lv, pv G.Value
	gv := make([]G.Value, len(grads))
	G.Read(loss, &lv)
	G.Read(pred, &pv)
	for i, gn := range grads {
		G.Read(gn, &gv[i])
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		return res, err
	}
	res.loss = values(lv)[0]
	if spec.InputSize() > 0 {
		res.pred = values(pv)
	}
	for _, v := range gv {
		res.grads = append(res.grads, values(v))
	}
	return res, nil
}

// input makes an input node of the given shape holding vals.
func input(g *G.ExprGraph, dt tensor.Dtype, shape []int, name string, vals []float64) (*G.Node, error) {
	var n *G.Node
	switch len(shape) {
	case 0:
		n = G.NewScalar(g, dt, G.WithName(name))
	case 1:
		n = G.NewVector(g, dt, G.WithShape(shape...), G.WithName(name))
	default:
		n = G.NewMatrix(g, dt, G.WithShape(shape...), G.WithName(name))
	}
	size := 1
	for _, d := range shape {
		size *= d
	}
	if len(vals) != size {
		return nil, fmt.Errorf("input %s: %d values for shape %v", name, len(vals), shape)
	}
	var v G.Value
	switch {
	case len(shape) == 0 && dt == tensor.Float32:
		v = G.NewF32(float32(vals[0]))
	case len(shape) == 0:
		v = G.NewF64(vals[0])
	case dt == tensor.Float32:
		b := make([]float32, size)
		for i, x := range vals {
			b[i] = float32(x)
		}
		v = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(b))
	default:
		v = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), vals...)))
	}
	return n, G.Let(n, v)
}

// values returns a Gorgonia value's elements as float64.
func values(v G.Value) []float64 {
	if v == nil {
		return nil
	}
	switch d := v.Data().(type) {
	case float64:
		return []float64{d}
	case float32:
		return []float64{float64(d)}
	case []float64:
		return append([]float64(nil), d...)
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out
	}
	panic(fmt.Sprintf("unexpected value type %T", v.Data()))
}

// engineRun runs spec on a fresh graph.Engine with the given parameters:
// Step for the loss and gradients, then Loss and (with data) Predict, and
// checks that Step and Loss agree exactly.
func engineRun(t *testing.T, spec graph.Spec, opt graph.Options, params map[string][]float64, X, Y []float64, n int) result {
	t.Helper()
	e, err := graph.New(spec, opt)
	if err != nil {
		t.Fatalf("graph.New: %v", err)
	}
	if err := e.SetParams(params); err != nil {
		t.Fatalf("SetParams: %v", err)
	}
	var res result
	if res.loss, err = e.Step(X, Y, n); err != nil {
		t.Fatalf("Step: %v", err)
	}
	for _, p := range spec.Params {
		res.grads = append(res.grads, append([]float64(nil), e.Grads()[p.Name]...))
	}
	l, err := e.Loss(X, Y, n)
	if err != nil {
		t.Fatalf("Loss: %v", err)
	}
	if l != res.loss {
		t.Errorf("Loss() = %v but Step() = %v on the same batch", l, res.loss)
	}
	if spec.InputSize() > 0 {
		if res.pred, err = e.Predict(X, n, nil); err != nil {
			t.Fatalf("Predict: %v", err)
		}
	}
	return res
}

// relErr is the largest elementwise relative difference between got and
// want, each element measured against max(|got|, |want|, floor·‖want‖∞):
// floor 1e-3 judges components that cancel to almost zero on the vector's
// scale; floor 1 gives the norm-wise ‖got−want‖∞/‖want‖∞.
func relErr(got, want []float64) float64 { return relErrFloor(got, want, 1e-3) }

func relErrFloor(got, want []float64, floor float64) float64 {
	if len(got) != len(want) {
		return math.Inf(1)
	}
	var scale float64
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	floor = math.Max(floor*scale, 1e-300)
	var worst float64
	for i := range got {
		d := math.Abs(got[i] - want[i])
		if d == 0 {
			continue
		}
		if math.IsNaN(d) {
			return math.Inf(1)
		}
		den := math.Max(math.Max(math.Abs(got[i]), math.Abs(want[i])), floor)
		worst = math.Max(worst, d/den)
	}
	return worst
}

// errFor is the comparison metric for a dtype: elementwise for float64,
// norm-wise for float32, whose rounding (6e-8 per operation, summed in a
// different order by each executor) leaves small components of a gradient
// with relative errors near 1e-5 in either executor against float64.
func errFor(dt tensor.Dtype, got, want []float64) float64 {
	if dt == tensor.Float32 {
		return relErrFloor(got, want, 1)
	}
	return relErr(got, want)
}

// tolFor is the comparison tolerance for a dtype.
func tolFor(dt tensor.Dtype) float64 {
	if dt == tensor.Float32 {
		return 1e-5
	}
	return 1e-12
}

var dtypes = []tensor.Dtype{tensor.Float64, tensor.Float32}

// uniform returns n values drawn from U(lo, hi) with a fixed seed.
func uniform(seed uint64, n int, lo, hi float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 7))
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*r.Float64()
	}
	return v
}

// onehot returns n one-hot rows of k classes, labels drawn with a fixed seed.
func onehot(seed uint64, n, k int) []float64 {
	r := rand.New(rand.NewPCG(seed, 11))
	v := make([]float64, n*k)
	for i := 0; i < n; i++ {
		v[i*k+r.IntN(k)] = 1
	}
	return v
}

// bits returns n values in {0, 1} drawn with a fixed seed.
func bits(seed uint64, n int) []float64 {
	r := rand.New(rand.NewPCG(seed, 13))
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(r.IntN(2))
	}
	return v
}

// randomParams draws every parameter of spec from U(lo, hi).
func randomParams(spec graph.Spec, seed uint64, lo, hi float64) map[string][]float64 {
	out := map[string][]float64{}
	for i, p := range spec.Params {
		out[p.Name] = uniform(seed+uint64(i)*101, p.Size(), lo, hi)
	}
	return out
}

// initParams returns each parameter's Init (zeros when nil).
func initParams(spec graph.Spec) map[string][]float64 {
	out := map[string][]float64{}
	for _, p := range spec.Params {
		v := make([]float64, p.Size())
		copy(v, p.Init)
		out[p.Name] = v
	}
	return out
}

// constant returns a scalar constant of the scope's dtype.
func constant(s *graph.Scope, v float64) *G.Node {
	if s.Dtype == tensor.Float32 {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}

// catch turns a panic in f into a test failure, so that every error path
// is checked to return rather than panic.
func catch(t *testing.T, what string, f func() error) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", what, r)
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// compare checks got against want to the dtype's tolerance and returns
// the largest error it saw.
func compare(t *testing.T, dt tensor.Dtype, spec graph.Spec, got, want result) float64 {
	t.Helper()
	tol := tolFor(dt)
	if len(got.grads) != len(want.grads) {
		t.Fatalf("engine gave %d gradients, gorgonia %d", len(got.grads), len(want.grads))
	}
	worst := 0.0
	check := func(what string, g, w []float64) {
		e := errFor(dt, g, w)
		worst = math.Max(worst, e)
		if e > tol {
			t.Errorf("%s: rel err %.2g > %g\n engine   %v\n gorgonia %v", what, e, tol, g, w)
		}
	}
	check("loss", []float64{got.loss}, []float64{want.loss})
	for i, p := range spec.Params {
		check("grad "+p.Name, got.grads[i], want.grads[i])
	}
	if want.pred != nil {
		check("prediction", got.pred, want.pred)
	}
	return worst
}

// traced fills spec.Params by tracing Forward once, for tests that read
// the parameter list of a spec built by models.Problem.
func traced(spec graph.Spec, err error) (graph.Spec, error) {
	if err != nil {
		return spec, err
	}
	s, _, err := graph.Trace(spec)
	return s, err
}
