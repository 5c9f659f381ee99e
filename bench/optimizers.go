package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

// SuiteProblems are the problems of the optimizer comparison, in order.
var SuiteProblems = []string{"bowl-10", "bowl-100", "bowl-1000", "rosenbrock", "diabetes", "iris-softmax", "digits-mlp"}

// SuiteOptions configure RunOptimizers. The zero value runs every problem
// and optimizer on a grid of three learning rates each.
type SuiteOptions struct {
	Problems, Optimizers []string
	// LRScales multiply each optimizer's default learning rate; nil is {0.1, 1, 10}.
	LRScales []float64
	// PlotDir, if set, receives one loss-curve plot per problem.
	PlotDir string
}

// SuiteRow is one optimizer's best run on one problem.
type SuiteRow struct {
	Problem, Optimizer string
	LR                 float64
	// Steps is the first step from which the loss stays within the
	// problem's tolerance of the minimum; -1 if it does not end there.
	Steps  int
	Final  float64
	Status string // converged, not reached, diverged
	Time   time.Duration
	Curve  []float64
}

type suiteProblem struct {
	steps int
	// fstar is the known minimum; NaN means the best final loss of any run.
	fstar, tol float64
	engine     func() (*graph.Engine, []float64, []float64, int, error)
	batch      int
}

func suiteProblem1(name string) (suiteProblem, error) {
	objective := func(m models.Model) func() (*graph.Engine, []float64, []float64, int, error) {
		return func() (*graph.Engine, []float64, []float64, int, error) {
			e, err := models.Problem{Model: m}.Engine(graph.Options{})
			return e, nil, nil, 0, err
		}
	}
	dataset := func(ds string, model string, hidden []int) func() (*graph.Engine, []float64, []float64, int, error) {
		return func() (*graph.Engine, []float64, []float64, int, error) {
			d, err := data.Builtin(ds)
			if err != nil {
				return nil, nil, nil, 0, err
			}
			st := data.FitStats(d.X, d.N, d.D)
			if err := st.Apply(d.X, d.D); err != nil {
				return nil, nil, nil, 0, err
			}
			var prob models.Problem
			Y := d.Y
			switch model {
			case "linear":
				ys := data.FitStats(d.Y, d.N, 1)
				Y = append([]float64(nil), d.Y...)
				if err := ys.Apply(Y, 1); err != nil {
					return nil, nil, nil, 0, err
				}
				prob = models.Problem{Model: models.Linear{Features: d.D}}
			default:
				k, err := d.Classes()
				if err != nil {
					return nil, nil, nil, 0, err
				}
				Y = make([]float64, d.N*k)
				for i, l := range d.Y {
					Y[i*k+int(l)] = 1
				}
				var m models.Model = models.Softmax{Features: d.D, Classes: k}
				if model == "mlp" {
					if m, err = models.NewMLP(d.D, k, hidden, "relu", 1); err != nil {
						return nil, nil, nil, 0, err
					}
				}
				prob = models.Problem{Model: m, Loss: "xent"}
			}
			e, err := prob.Engine(graph.Options{})
			return e, d.X, Y, d.N, err
		}
	}
	switch name {
	case "bowl-10", "bowl-100", "bowl-1000":
		var k float64
		fmt.Sscanf(name, "bowl-%g", &k)
		return suiteProblem{steps: 3000, fstar: 0, tol: 1e-8, engine: objective(models.Bowl{Cond: k, X0: 1, Y0: 1})}, nil
	case "rosenbrock":
		return suiteProblem{steps: 20000, fstar: 0, tol: 1e-6, engine: objective(models.Rosenbrock{X0: -1.2, Y0: 1})}, nil
	case "diabetes":
		f, err := diabetesOptimum()
		return suiteProblem{steps: 3000, fstar: f, tol: 1e-6, engine: dataset("diabetes", "linear", nil)}, err
	case "iris-softmax":
		return suiteProblem{steps: 2000, fstar: math.NaN(), tol: 1e-2, engine: dataset("iris", "softmax", nil)}, nil
	case "digits-mlp":
		return suiteProblem{steps: 600, fstar: math.NaN(), tol: 5e-2, batch: 128, engine: dataset("digits", "mlp", []int{32})}, nil
	}
	return suiteProblem{}, fmt.Errorf("bench: unknown suite problem %q (want one of %v)", name, SuiteProblems)
}

// diabetesOptimum is the least-squares mse of the standardized diabetes
// regression (features and target z-scored), from a QR solve.
func diabetesOptimum() (float64, error) {
	d, err := data.Builtin("diabetes")
	if err != nil {
		return 0, err
	}
	st := data.FitStats(d.X, d.N, d.D)
	if err := st.Apply(d.X, d.D); err != nil {
		return 0, err
	}
	y := append([]float64(nil), d.Y...)
	if err := data.FitStats(y, d.N, 1).Apply(y, 1); err != nil {
		return 0, err
	}
	A := mat.NewDense(d.N, d.D+1, nil)
	for i := 0; i < d.N; i++ {
		A.Set(i, 0, 1)
		for j := 0; j < d.D; j++ {
			A.Set(i, j+1, d.X[i*d.D+j])
		}
	}
	var beta mat.VecDense
	if err := beta.SolveVec(A, mat.NewVecDense(d.N, y)); err != nil {
		return 0, err
	}
	var r mat.VecDense
	r.MulVec(A, &beta)
	r.SubVec(&r, mat.NewVecDense(d.N, y))
	return mat.Dot(&r, &r) / float64(d.N), nil
}

// RunOptimizers compares the optimizers on the suite: for each one it tries
// the learning-rate grid, keeps the rate that reaches the tolerance in the
// fewest steps (or, failing that, the lowest final loss), and prints one
// table row per problem and optimizer.
func RunOptimizers(ctx context.Context, opt SuiteOptions, w io.Writer) ([]SuiteRow, error) {
	problems := opt.Problems
	if len(problems) == 0 {
		problems = SuiteProblems
	}
	names := opt.Optimizers
	if len(names) == 0 {
		names = optimizers.Names()
	}
	scales := opt.LRScales
	if scales == nil {
		scales = []float64{0.1, 1, 10}
	}
	var rows []SuiteRow
	for _, pname := range problems {
		sp, err := suiteProblem1(pname)
		if err != nil {
			return nil, err
		}
		var runs []SuiteRow
		for _, oname := range names {
			def, err := optimizers.New(optimizers.Config{Name: oname})
			if err != nil {
				return nil, err
			}
			for _, s := range scales {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				r, err := runSuite(ctx, sp, pname, oname, def.Config().LR*s)
				if err != nil {
					return nil, err
				}
				runs = append(runs, r)
			}
		}
		fstar := sp.fstar
		if math.IsNaN(fstar) {
			fstar = math.Inf(1)
			for _, r := range runs {
				fstar = math.Min(fstar, r.Final)
			}
		}
		target := fstar + sp.tol*math.Max(1, math.Abs(fstar))
		best := map[string]SuiteRow{}
		for _, r := range runs {
			// Steps counts to the first step from which the loss stays
			// within the tolerance, not a lucky visit on the way.
			r.Steps = -1
			if n := len(r.Curve); n > 0 && r.Curve[n-1] <= target && r.Status != "diverged" {
				r.Steps = 1
				for i := n - 1; i >= 0; i-- {
					if r.Curve[i] > target {
						r.Steps = i + 2
						break
					}
				}
			}
			if r.Status == "" {
				r.Status = "not reached"
				if r.Steps > 0 {
					r.Status = "converged"
				}
			}
			b, ok := best[r.Optimizer]
			if !ok || better(r, b) {
				best[r.Optimizer] = r
			}
		}
		var curves []plot.Series
		for _, oname := range names {
			r := best[oname]
			rows = append(rows, r)
			curves = append(curves, plot.Series{Name: fmt.Sprintf("%s (lr %g)", oname, r.LR), Y: r.Curve})
		}
		if opt.PlotDir != "" {
			err := plot.Lines(filepath.Join(opt.PlotDir, "optimizers-"+pname+".png"), curves,
				plot.Options{Title: pname + ": best learning rate per optimizer", XLabel: "step", YLabel: "loss", LogY: true})
			if err != nil {
				return nil, err
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "problem\toptimizer\tbest lr\tsteps to tol\tfinal loss\tstatus\ttime")
	for _, r := range rows {
		steps := "-"
		if r.Steps > 0 {
			steps = fmt.Sprint(r.Steps)
		}
		fmt.Fprintf(tw, "%s\t%s\t%g\t%s\t%.4g\t%s\t%s\n", r.Problem, r.Optimizer, r.LR, steps, r.Final, r.Status, r.Time.Round(time.Microsecond))
	}
	return rows, tw.Flush()
}

func better(a, b SuiteRow) bool {
	switch {
	case a.Steps > 0 && b.Steps > 0:
		return a.Steps < b.Steps
	case a.Steps > 0 || b.Steps > 0:
		return a.Steps > 0
	case a.Status == "diverged" || b.Status == "diverged":
		return b.Status == "diverged" && a.Status != "diverged"
	}
	return a.Final < b.Final
}

// runSuite trains one problem with one optimizer and learning rate on
// train.Run, the loop every command uses: sp.steps updates, the rows in
// file order (mini-batches of sp.batch, the last smaller one included),
// the loss of every step recorded. A loss above 1e12 counts as diverged,
// as does any non-finite value train.Run's guard catches.
func runSuite(ctx context.Context, sp suiteProblem, pname, oname string, lr float64) (SuiteRow, error) {
	e, X, Y, n, err := sp.engine()
	if err != nil {
		return SuiteRow{}, err
	}
	o, err := optimizers.New(optimizers.Config{Name: oname, LR: lr})
	if err != nil {
		return SuiteRow{}, err
	}
	if err := o.Init(e.Params()); err != nil {
		return SuiteRow{}, err
	}
	row := SuiteRow{Problem: pname, Optimizer: oname, LR: lr, Final: math.Inf(1), Curve: make([]float64, 0, sp.steps)}
	var tr train.Data
	cfg := train.Config{NoShuffle: true, Epochs: sp.steps}
	if n > 0 {
		tr = train.Data{X: X, Y: Y, N: n, D: len(X) / n, T: len(Y) / n}
		if sp.batch > 0 && n > sp.batch {
			cfg.BatchSize = sp.batch
			per := (n + sp.batch - 1) / sp.batch
			cfg.Epochs = (sp.steps + per - 1) / per
		}
	}
	diverged := false
	record := train.Funcs{Step: func(s *train.Step) error {
		switch {
		case len(row.Curve) == sp.steps: // a step past the last epoch's
			return train.ErrStop
		case s.Loss > 1e12:
			diverged = true
			return train.ErrStop
		}
		row.Curve = append(row.Curve, s.Loss)
		return nil
	}}
	start := time.Now()
	res, err := train.Run(ctx, e, train.Adapt(o), tr, nil, cfg, record)
	row.Time = time.Since(start)
	if err != nil {
		return row, err
	}
	switch {
	case res.Status == train.Interrupted:
		return row, ctx.Err()
	case diverged || res.Status == train.Diverged:
		row.Status = "diverged"
	default:
		row.Final = res.Loss
	}
	return row, nil
}

// WriteSuiteJSON writes RunOptimizers's rows as a JSON array; a final loss
// that is not finite (a diverged run) is null.
func WriteSuiteJSON(w io.Writer, rows []SuiteRow) error {
	type jsonRow struct {
		Problem   string     `json:"problem"`
		Optimizer string     `json:"optimizer"`
		LR        float64    `json:"lr"`
		Steps     int        `json:"steps"`
		Final     *float64   `json:"final"`
		Status    string     `json:"status"`
		Seconds   float64    `json:"seconds"`
		Curve     []*float64 `json:"curve"`
	}
	finite := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	out := make([]jsonRow, 0, len(rows))
	for _, r := range rows {
		jr := jsonRow{Problem: r.Problem, Optimizer: r.Optimizer, LR: r.LR, Steps: r.Steps, Final: finite(r.Final),
			Status: r.Status, Seconds: r.Time.Seconds(), Curve: make([]*float64, len(r.Curve))}
		for i, v := range r.Curve {
			jr.Curve[i] = finite(v)
		}
		out = append(out, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
