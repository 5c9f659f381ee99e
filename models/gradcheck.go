package models

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/diff/fd"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/nn"
	"github.com/descent-ml/descent/ops"
)

// Gradient-check tolerances: the largest relative error allowed against the
// hand-derived gradient and against central finite differences. A float32
// gradient is compared with float64 references, so its tolerance covers
// float32 rounding (about 6e-8 per operation) through the graph.
const (
	HandTol64 = 1e-10
	FDTol64   = 1e-6
	Tol32     = 1e-4
)

// CheckRow is one line of a gradient check.
type CheckRow struct {
	Model string `json:"model"`
	Loss  string `json:"loss"`
	Dtype string `json:"dtype"`
	// HandErr is the relative error against the hand-derived gradient;
	// nil when the pair has no closed form.
	HandErr *float64 `json:"hand_rel_err"`
	FDErr   float64  `json:"fd_rel_err"`
	HandTol float64  `json:"hand_tol"`
	FDTol   float64  `json:"fd_tol"`
	Pass    bool     `json:"pass"`
}

// CheckOptions configure GradCheck. The zero value checks every built-in
// model × loss pair on 7 rows drawn with seed 0.
type CheckOptions struct {
	Seed uint64
	Rows int
	// Problems, when not empty, are checked instead of the built-ins: a
	// user's own models (a layer sequence, a registered module) through
	// the same path.
	Problems []CheckProblem
}

// CheckProblem is a model for GradCheck to check: the problem as it is
// trained (model, loss, input and target shapes, L2) and a name for its
// rows. Its gradient is compared with central finite differences only, as
// it has no closed form. IDs > 0 draws each input value as an integer id
// in [0, IDs), for a model that starts with an embedding.
type CheckProblem struct {
	Name    string
	Problem Problem
	IDs     int
}

type checkCase struct {
	model, loss string
	l2          float64
	make        func(d, k int, seed uint64) (Model, error)
	d, k        int
	hand        func(X, Y []float64, n int, p map[string][]float64) (map[string][]float64, error)
	// input is the row shape of a layer network (nil: [d]); ids > 0 draws
	// integer ids in [0, ids) as the input (embedding).
	input []int
	ids   int
	// prob, when set, is a user's problem (CheckProblem), used as it is.
	prob *Problem
}

// userCases turns CheckProblems into cases, checking each one's shapes.
func userCases(ps []CheckProblem) ([]checkCase, error) {
	var cs []checkCase
	for i, p := range ps {
		prob := p.Problem
		name := p.Name
		if name == "" {
			name = fmt.Sprintf("problem %d", i+1)
		}
		if prob.Model == nil {
			return nil, fmt.Errorf("models: gradcheck %s: no model", name)
		}
		if p.IDs < 0 {
			return nil, fmt.Errorf("models: gradcheck %s: ids must be >= 0, got %d", name, p.IDs)
		}
		c := checkCase{model: name, loss: prob.Loss, prob: &prob, ids: p.IDs, input: prob.Input} // prob keeps its L2
		if c.loss == "" {
			c.loss = DefaultLoss(prob.Model)
		}
		if _, obj := prob.Model.(Objective); obj {
			c.loss = "objective"
		} else {
			in, out := prob.Input, prob.Target
			if sz, ok := prob.Model.(Sized); ok {
				d, k := sz.Dims()
				if in == nil {
					in = []int{d}
				}
				if out == nil {
					out = []int{k}
				}
			}
			var ok bool
			if c.d, ok = checkSize(in); !ok {
				return nil, fmt.Errorf("models: gradcheck %s: the input shape %v must be given, with sizes >= 1 and at most %d values a row", name, in, MaxCheckRows)
			}
			if c.k, ok = checkSize(out); !ok {
				return nil, fmt.Errorf("models: gradcheck %s: the target shape %v must be given, with sizes >= 1 and at most %d values a row", name, out, MaxCheckRows)
			}
			prob.Input, prob.Target = in, out
		}
		m := prob.Model
		c.make = func(int, int, uint64) (Model, error) { return m, nil }
		cs = append(cs, c)
	}
	return cs, nil
}

// checkSize is the number of values in shape, false when it is empty, has
// a size below 1, or holds more than MaxCheckRows values.
func checkSize(shape []int) (int, bool) {
	n := 1
	for _, v := range shape {
		if v < 1 || v > MaxCheckRows || n*v > MaxCheckRows {
			return 0, false
		}
		n *= v
	}
	return n, len(shape) > 0
}

// layerCases are the networks that exercise every layer of package nn:
// each layer between linear layers, on random data, against central
// finite differences (there is no closed form to compare with).
func layerCases() []checkCase {
	seq := func(spec string) func(d, k int, seed uint64) (Model, error) {
		return func(int, int, uint64) (Model, error) { return nn.Parse(spec) }
	}
	var cs []checkCase
	for _, c := range []struct {
		spec, loss string
		d, k, ids  int
		input      []int
	}{
		{spec: "linear(4) relu linear(3)", loss: "xent", d: 5, k: 3},
		{spec: "linear(4,bias=false) tanh linear(1)", loss: "mse", d: 5, k: 1},
		{spec: "linear(4) leakyrelu(0.2) linear(3)", loss: "xent", d: 5, k: 3},
		{spec: "linear(4) elu(0.5) linear(3)", loss: "xent", d: 5, k: 3},
		{spec: "linear(4) gelu linear(3)", loss: "xent", d: 5, k: 3},
		{spec: "linear(4) silu linear(3)", loss: "xent", d: 5, k: 3},
		{spec: "linear(4) sigmoid linear(1)", loss: "bce", d: 5, k: 1},
		{spec: "linear(3) softmax", loss: "mse", d: 5, k: 3},
		{spec: "linear(3) logsoftmax", loss: "mse", d: 5, k: 3},
		{spec: "linear(4) layernorm linear(3)", loss: "xent", d: 5, k: 3},
		{spec: "linear(4) batchnorm1d relu linear(3)", loss: "xent", d: 5, k: 3},
		{spec: "linear(4) dropout(0.3) linear(3)", loss: "xent", d: 5, k: 3},
		{spec: "linear(4) residual(linear(4) tanh) linear(3)", loss: "xent", d: 5, k: 3},
		{spec: "embedding(7,3) flatten linear(3)", loss: "xent", d: 4, k: 3, ids: 7},
		{spec: "flatten linear(3)", loss: "xent", d: 12, k: 3, input: []int{3, 2, 2}},
		{spec: "conv2d(3,3,padding=1) relu maxpool2d(2) flatten linear(3)", loss: "xent", d: 16, k: 3, input: []int{1, 4, 4}},
		{spec: "conv2d(4,(3,2),stride=(1,2),dilation=(2,1),groups=2) tanh flatten linear(2)", loss: "xent", d: 50, k: 2, input: []int{2, 5, 5}},
		{spec: "conv2d(4,3,padding=1,bias=false) batchnorm2d relu avgpool2d(2) flatten linear(3)", loss: "xent", d: 16, k: 3, input: []int{1, 4, 4}},
		{spec: "conv2d(2,3,padding=1) avgpool2d(3,stride=1,padding=1,count_include_pad=false) adaptiveavgpool2d(1) flatten linear(3)", loss: "xent", d: 16, k: 3, input: []int{1, 4, 4}},
		{spec: "conv1d(3,3,padding=1) elu flatten linear(3)", loss: "xent", d: 10, k: 3, input: []int{2, 5}},
	} {
		cs = append(cs, checkCase{model: c.spec, loss: c.loss, make: seq(c.spec), d: c.d, k: c.k, input: c.input, ids: c.ids})
	}
	return cs
}

func checkCases() []checkCase {
	parse := func(spec, act string) func(d, k int, seed uint64) (Model, error) {
		return func(d, k int, seed uint64) (Model, error) { return Parse(spec, d, k, act, seed) }
	}
	linear := func(loss string, l2 float64) func(X, Y []float64, n int, p map[string][]float64) (map[string][]float64, error) {
		return func(X, Y []float64, n int, p map[string][]float64) (map[string][]float64, error) {
			d := len(p["W"])
			gW, gb, _, err := ops.LinearGrad(loss, 1, X, Y, n, d, p["W"], p["b"][0])
			if err != nil {
				return nil, err
			}
			for j := range gW {
				gW[j] += l2 * p["W"][j]
			}
			return map[string][]float64{"W": gW, "b": {gb + l2*p["b"][0]}}, nil
		}
	}
	poly := func(loss string) func(X, Y []float64, n int, p map[string][]float64) (map[string][]float64, error) {
		return func(X, Y []float64, n int, p map[string][]float64) (map[string][]float64, error) {
			k := len(p["W"])
			phi := make([]float64, n*k)
			for i := 0; i < n; i++ {
				for j := 0; j < k; j++ {
					phi[i*k+j] = math.Pow(X[i], float64(j+1))
				}
			}
			return linear(loss, 0)(phi, Y, n, p)
		}
	}
	var cs []checkCase
	for _, l := range []string{"mse", "half-mse", "mae", "huber"} {
		cs = append(cs, checkCase{model: "linear", loss: l, make: parse("linear", ""), d: 3, k: 1, hand: linear(l, 0)})
	}
	cs = append(cs,
		checkCase{model: "linear", loss: "mse+l2", l2: 0.3, make: parse("linear", ""), d: 3, k: 1, hand: linear("mse", 0.3)},
		checkCase{model: "poly:3", loss: "mse", make: parse("poly:3", ""), d: 1, k: 1, hand: poly("mse")},
		checkCase{model: "poly:3", loss: "half-mse", make: parse("poly:3", ""), d: 1, k: 1, hand: poly("half-mse")},
		checkCase{model: "logistic", loss: "bce", make: parse("logistic", ""), d: 3, k: 1,
			hand: func(X, Y []float64, n int, p map[string][]float64) (map[string][]float64, error) {
				gW, gb, _, err := ops.LogisticGrad(X, Y, n, len(p["W"]), p["W"], p["b"][0])
				return map[string][]float64{"W": gW, "b": {gb}}, err
			}},
		checkCase{model: "softmax", loss: "xent", make: parse("softmax", ""), d: 3, k: 4,
			hand: func(X, Y []float64, n int, p map[string][]float64) (map[string][]float64, error) {
				k := len(p["b"])
				gW, gb, _, err := ops.SoftmaxGrad(X, Y, n, len(p["W"])/k, k, p["W"], p["b"])
				return map[string][]float64{"W": gW, "b": gb}, err
			}},
		checkCase{model: "mlp:5 relu", loss: "xent", make: parse("mlp:5", "relu"), d: 3, k: 4},
		checkCase{model: "mlp:5 tanh", loss: "mse", make: parse("mlp:5", "tanh"), d: 3, k: 1},
		checkCase{model: "mlp:4,3 sigmoid", loss: "xent", make: parse("mlp:4,3", "sigmoid"), d: 3, k: 3},
		checkCase{model: "mlp:5 relu", loss: "huber", make: parse("mlp:5", "relu"), d: 3, k: 2},
		checkCase{model: "hills", loss: "objective", make: func(int, int, uint64) (Model, error) { return Hills{X0: 0.7, Y0: -1.3}, nil },
			hand: func(_, _ []float64, _ int, p map[string][]float64) (map[string][]float64, error) {
				gx, gy := Hills{}.Grad(p["x"][0], p["y"][0])
				return map[string][]float64{"x": {gx}, "y": {gy}}, nil
			}},
		checkCase{model: "rosenbrock", loss: "objective", make: func(int, int, uint64) (Model, error) { return Rosenbrock{X0: -1.2, Y0: 1}, nil },
			hand: func(_, _ []float64, _ int, p map[string][]float64) (map[string][]float64, error) {
				gx, gy := Rosenbrock{}.Grad(p["x"][0], p["y"][0])
				return map[string][]float64{"x": {gx}, "y": {gy}}, nil
			}},
	)
	return append(cs, layerCases()...)
}

// MaxCheckRows bounds the rows of random data GradCheck draws.
const MaxCheckRows = 10000

// GradCheck runs every built-in model × loss pair on seeded random data and
// parameters in float64 and float32, comparing Gorgonia's reverse-mode
// gradient with the hand-derived one (where a closed form exists) and with
// central finite differences of the float64 loss (gonum's diff/fd). The
// relative error is normwise: max|g − ref| / max|ref|.
func GradCheck(opt CheckOptions) ([]CheckRow, error) {
	n := opt.Rows
	if n == 0 {
		n = 7
	}
	if n < 1 || n > MaxCheckRows {
		return nil, fmt.Errorf("models: gradcheck needs 1 to %d rows, got %d", MaxCheckRows, n)
	}
	cases := checkCases()
	if len(opt.Problems) > 0 {
		var err error
		if cases, err = userCases(opt.Problems); err != nil {
			return nil, err
		}
		if n*len(cases) > MaxCheckRows*4 {
			return nil, fmt.Errorf("models: gradcheck of %d problems on %d rows each is too much; check at most %d rows in all", len(cases), n, MaxCheckRows*4)
		}
	}
	var rows []CheckRow
	for ci, c := range cases {
		rng := rand.New(rand.NewPCG(opt.Seed, uint64(ci)))
		m, err := c.make(c.d, c.k, opt.Seed)
		if err != nil {
			return nil, err
		}
		_, objective := m.(Objective)
		loss := c.loss
		if c.l2 > 0 {
			loss = "mse"
		}
		X, Y := checkData(rng, objective, loss, n, c.d, c.k)
		if c.ids > 0 {
			for i := range X {
				X[i] = float64(rng.IntN(c.ids))
			}
		}
		rows64 := n
		if objective {
			X, Y, rows64 = nil, nil, 0
		}
		prob := Problem{Model: m, Loss: loss, L2: c.l2, Seed: opt.Seed}
		if c.prob != nil {
			prob = *c.prob
			prob.Dtype = tensor.Float64
		}
		if objective {
			prob.Loss = ""
		} else if _, sized := m.(Sized); !sized && c.prob == nil {
			prob.Input, prob.Target = c.input, []int{c.k}
			if prob.Input == nil {
				prob.Input = []int{c.d}
			}
		}
		e64, err := prob.Engine(graph.Options{})
		if err != nil {
			return nil, fmt.Errorf("models: gradcheck %s/%s: %w", c.model, c.loss, err)
		}
		params := e64.Spec().Params
		// Random parameters, the same for both dtypes.
		vals := map[string][]float64{}
		for _, p := range params {
			v := make([]float64, p.Size())
			for i := range v {
				v[i] = rng.NormFloat64() * 0.7
				if strings.HasSuffix(p.Name, "norm.weight") || strings.HasSuffix(p.Name, ".weight") && len(p.Shape) == 1 {
					v[i] = 1 + 0.3*rng.NormFloat64() // a norm's scale: keep it away from 0
				}
			}
			if objective {
				copy(v, p.Init)
			}
			vals[p.Name] = v
		}
		if err := e64.SetParams(vals); err != nil {
			return nil, err
		}
		fdGrad, err := finiteDiff(e64, params, X, Y, rows64)
		if err != nil {
			return nil, err
		}
		var hand map[string][]float64
		if c.hand != nil {
			if hand, err = c.hand(X, Y, n, vals); err != nil {
				return nil, err
			}
		}
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			prob.Dtype = dt
			e, err := prob.Engine(graph.Options{})
			if err != nil {
				return nil, err
			}
			if err := e.SetParams(vals); err != nil {
				return nil, err
			}
			if _, err := e.Step(X, Y, rows64); err != nil {
				return nil, fmt.Errorf("models: gradcheck %s/%s %v: %w", c.model, c.loss, dt, err)
			}
			row := CheckRow{Model: c.model, Loss: c.loss, Dtype: dt.String(), HandTol: HandTol64, FDTol: FDTol64}
			if dt == tensor.Float32 {
				row.HandTol, row.FDTol = Tol32, Tol32
			}
			row.FDErr = relErr(e.Grads(), fdGrad, params)
			row.Pass = row.FDErr <= row.FDTol
			if hand != nil {
				h := relErr(e.Grads(), hand, params)
				row.HandErr = &h
				row.Pass = row.Pass && h <= row.HandTol
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

func checkData(rng *rand.Rand, objective bool, loss string, n, d, k int) (X, Y []float64) {
	if objective {
		return nil, nil
	}
	X = make([]float64, n*d)
	for i := range X {
		X[i] = rng.NormFloat64()
	}
	Y = make([]float64, n*k)
	switch loss {
	case "bce":
		for i := range Y {
			Y[i] = float64(rng.IntN(2))
		}
	case "xent":
		for i := 0; i < n; i++ {
			Y[i*k+rng.IntN(k)] = 1
		}
	default:
		for i := range Y {
			Y[i] = rng.NormFloat64()
		}
	}
	return X, Y
}

// finiteDiff is the central-difference gradient of the engine's loss.
func finiteDiff(e *graph.Engine, params []graph.Param, X, Y []float64, n int) (map[string][]float64, error) {
	var theta []float64
	for _, p := range params {
		theta = append(theta, e.Params()[p.Name]...)
	}
	saved := append([]float64(nil), theta...)
	var ferr error
	set := func(x []float64) {
		off := 0
		for _, p := range params {
			copy(e.Params()[p.Name], x[off:off+p.Size()])
			off += p.Size()
		}
	}
	// The gradient comes from a training step, so the loss is taken in
	// training mode too (batch statistics, the same dropout mask), with the
	// buffers and the step count put back after each evaluation.
	bufs := map[string][]float64{}
	for k, v := range e.Buffers() {
		bufs[k] = append([]float64(nil), v...)
	}
	steps := e.Steps()
	f := func(x []float64) float64 {
		set(x)
		j, err := e.Step(X, Y, n)
		if err != nil {
			ferr = err
		}
		e.SetBuffers(bufs)
		e.SetSteps(steps)
		return j
	}
	g := fd.Gradient(nil, f, theta, &fd.Settings{Formula: fd.Central})
	set(saved)
	if ferr != nil {
		return nil, ferr
	}
	out := map[string][]float64{}
	off := 0
	for _, p := range params {
		out[p.Name] = g[off : off+p.Size()]
		off += p.Size()
	}
	return out, nil
}

// relErr is max|a−b| / max|b| over every parameter.
func relErr(a, b map[string][]float64, params []graph.Param) float64 {
	var diff, scale float64
	for _, p := range params {
		for i, v := range b[p.Name] {
			diff = math.Max(diff, math.Abs(a[p.Name][i]-v))
			scale = math.Max(scale, math.Abs(v))
		}
	}
	if scale == 0 {
		return diff
	}
	return diff / scale
}

// WriteCheckTable prints gradient-check rows as an aligned table.
func WriteCheckTable(w io.Writer, rows []CheckRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "model\tloss\tdtype\tvs hand-derived\tvs finite diff\tresult")
	for _, r := range rows {
		hand := "-"
		if r.HandErr != nil {
			hand = fmt.Sprintf("%.1e", *r.HandErr)
		}
		res := "ok"
		if !r.Pass {
			res = fmt.Sprintf("FAIL (tol %g / %g)", r.HandTol, r.FDTol)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.1e\t%s\n", r.Model, r.Loss, r.Dtype, hand, r.FDErr, res)
	}
	return tw.Flush()
}
