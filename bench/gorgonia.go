package bench

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// gorgoniaContender is stock Gorgonia as its own examples use it: the loss
// built on an ExprGraph, gorgonia.Grad once, a TapeMachine with the
// parameters' dual values bound, and per step RunAll, a built-in solver
// step (VanillaSolver for SGD, AdamSolver for Adam: both follow the
// standard definitions at these settings) and Reset.
var gorgoniaContender = Contender{Name: "gorgonia", New: newGorgonia}

// gorgoniaStep is one compiled training graph.
type gorgoniaStep struct {
	p        Problem
	names    []string
	params   []*G.Node
	x, y     *G.Node
	xs, ys   []G.Value // per mini-batch, views of the data (nil for one batch)
	machine  G.VM
	solver   G.Solver
	model    []G.ValueGrad
	step     int
	isScalar []bool // linreg and logreg hold b as a scalar
}

var _ Stepper = (*gorgoniaStep)(nil)

func newGorgonia(p Problem, d *Data) (s Stepper, err error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if !p.Dense() {
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, p.Kind)
	}
	p = p.withDefaults()
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("bench: gorgonia: building %s: %v", p.Name, r)
		}
	}()
	gs := &gorgoniaStep{p: p, names: ParamNames(p)}
	g := G.NewGraph()
	B, D := p.BatchRows(), p.D
	init := InitParams(p)
	xs, ys := gs.batchValues(d)
	gs.x = G.NewMatrix(g, G.Float64, G.WithShape(B, D), G.WithName("X"), G.WithValue(xs[0]))
	if p.Batches() > 1 {
		gs.xs, gs.ys = xs, ys
	}

	var cost *G.Node
	switch p.Kind {
	case "linreg", "logreg":
		gs.y = G.NewVector(g, G.Float64, G.WithShape(B), G.WithName("y"), G.WithValue(ys[0]))
		w := G.NewVector(g, G.Float64, G.WithShape(D), G.WithName("W"),
			G.WithValue(tensor.New(tensor.WithShape(D), tensor.WithBacking(init["W"]))))
		b := G.NewScalar(g, G.Float64, G.WithName("b"), G.WithValue(0.0))
		gs.params, gs.isScalar = []*G.Node{w, b}, []bool{false, true}
		z := G.Must(G.Add(G.Must(G.Mul(gs.x, w)), b))
		if p.Kind == "linreg" {
			cost = G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(z, gs.y))))))
		} else {
			// mean(softplus(z) − y⊙z): binary cross-entropy from logits
			cost = G.Must(G.Mean(G.Must(G.Sub(G.Must(G.Softplus(z)), G.Must(G.HadamardProd(gs.y, z))))))
		}
	default:
		gs.y = G.NewMatrix(g, G.Float64, G.WithShape(B, p.K), G.WithName("Y"), G.WithValue(ys[0]))
		h := gs.x
		layers := p.Layers()
		for l, io := range layers {
			Wn, bn := gs.names[2*l], gs.names[2*l+1]
			W := G.NewMatrix(g, G.Float64, G.WithShape(io[0], io[1]), G.WithName(Wn),
				G.WithValue(tensor.New(tensor.WithShape(io[0], io[1]), tensor.WithBacking(init[Wn]))))
			b := G.NewVector(g, G.Float64, G.WithShape(io[1]), G.WithName(bn),
				G.WithValue(tensor.New(tensor.WithShape(io[1]), tensor.WithBacking(init[bn]))))
			gs.params = append(gs.params, W, b)
			gs.isScalar = append(gs.isScalar, false, false)
			h = G.Must(G.BroadcastAdd(G.Must(G.Mul(h, W)), b, nil, []byte{0}))
			if l < len(layers)-1 {
				h = G.Must(G.Rectify(h))
			}
		}
		// −(1/B)·Σ onehot ⊙ log softmax(z)
		logp := G.Must(G.Log(G.Must(G.SoftMax(h))))
		cost = G.Must(G.Mul(G.Must(G.Sum(G.Must(G.HadamardProd(gs.y, logp)))), G.NewConstant(-1/float64(B))))
	}

	if _, err := G.Grad(cost, gs.params...); err != nil {
		return nil, fmt.Errorf("bench: gorgonia: gradient of %s: %w", p.Name, err)
	}
	gs.machine = G.NewTapeMachine(g, G.BindDualValues(gs.params...))
	if p.Optimizer == "adam" {
		gs.solver = G.NewAdamSolver(G.WithLearnRate(p.LR), G.WithBeta1(adamBeta1), G.WithBeta2(adamBeta2), G.WithEps(adamEps))
	} else {
		gs.solver = G.NewVanillaSolver(G.WithLearnRate(p.LR))
	}
	for _, n := range gs.params {
		gs.model = append(gs.model, n)
	}
	return gs, nil
}

// batchValues wraps each mini-batch of d, without copying X, as the
// graph's input values: X, and y (a vector) or the one-hot labels.
func (gs *gorgoniaStep) batchValues(d *Data) (xs, ys []G.Value) {
	p := gs.p
	B, D := p.BatchRows(), p.D
	for k := range p.Batches() {
		s0 := p.BatchStart(k)
		xs = append(xs, tensor.New(tensor.WithShape(B, D), tensor.WithBacking(d.X[s0*D:(s0+B)*D])))
		if p.Kind == "linreg" || p.Kind == "logreg" {
			ys = append(ys, tensor.New(tensor.WithShape(B), tensor.WithBacking(d.Y[s0:s0+B])))
			continue
		}
		oh := make([]float64, B*p.K)
		for i := range B {
			oh[i*p.K+d.Class[s0+i]] = 1
		}
		ys = append(ys, tensor.New(tensor.WithShape(B, p.K), tensor.WithBacking(oh)))
	}
	return xs, ys
}

// Step binds the step's mini-batch, runs the tape, steps the solver and
// resets the machine (RunAll does nothing on a machine not reset).
func (gs *gorgoniaStep) Step() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bench: gorgonia: step of %s: %v", gs.p.Name, r)
		}
	}()
	if gs.xs != nil {
		k := gs.step % len(gs.xs)
		if err := G.Let(gs.x, gs.xs[k]); err != nil {
			return fmt.Errorf("bench: gorgonia: binding X: %w", err)
		}
		if err := G.Let(gs.y, gs.ys[k]); err != nil {
			return fmt.Errorf("bench: gorgonia: binding y: %w", err)
		}
	}
	gs.step++
	if err := gs.machine.RunAll(); err != nil {
		return fmt.Errorf("bench: gorgonia: run: %w", err)
	}
	if err := gs.solver.Step(gs.model); err != nil {
		return fmt.Errorf("bench: gorgonia: solver: %w", err)
	}
	gs.machine.Reset()
	return nil
}

// Params returns a copy of the parameters.
func (gs *gorgoniaStep) Params() map[string][]float64 {
	out := make(map[string][]float64, len(gs.params))
	for i, n := range gs.params {
		switch v := n.Value().(type) {
		case *G.F64:
			out[gs.names[i]] = []float64{float64(*v)}
		case tensor.Tensor:
			out[gs.names[i]] = append([]float64(nil), v.Data().([]float64)...)
		}
	}
	return out
}

// Close releases the machine.
func (gs *gorgoniaStep) Close() error {
	gs.machine.Close()
	return nil
}
