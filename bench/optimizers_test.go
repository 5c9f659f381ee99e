package bench

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// TestRunOptimizers runs the comparison on problems of each kind (an
// objective of the parameters, a full-batch regression, mini-batches) and
// checks what each row says against the run itself.
func TestRunOptimizers(t *testing.T) {
	for _, c := range []struct {
		problem string
		opts    []string
		steps   int
	}{
		{"bowl-10", []string{"gd", "adam"}, 3000},
		{"diabetes", []string{"momentum"}, 3000},
		{"digits-mlp", []string{"adam"}, 600},
	} {
		t.Run(c.problem, func(t *testing.T) {
			if testing.Short() && c.problem == "digits-mlp" {
				t.Skip("600 mini-batch steps of an MLP, three times")
			}
			var out bytes.Buffer
			rows, err := RunOptimizers(context.Background(), SuiteOptions{Problems: []string{c.problem}, Optimizers: c.opts}, &out)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(c.opts) {
				t.Fatalf("%d rows, want %d", len(rows), len(c.opts))
			}
			for i, r := range rows {
				if r.Optimizer != c.opts[i] || r.Problem != c.problem {
					t.Errorf("row %d is %s on %s", i, r.Optimizer, r.Problem)
				}
				if r.Status != "converged" {
					t.Errorf("%s: status %q, want converged (final loss %g)", r.Optimizer, r.Status, r.Final)
				}
				if len(r.Curve) != c.steps {
					t.Errorf("%s: %d losses recorded, want one per step, %d", r.Optimizer, len(r.Curve), c.steps)
				}
				if r.Steps < 1 || r.Steps > c.steps || math.IsNaN(r.Final) {
					t.Errorf("%s: steps to tolerance %d, final %g", r.Optimizer, r.Steps, r.Final)
				}
				if !strings.Contains(out.String(), c.problem) {
					t.Errorf("the table does not name %s:\n%s", c.problem, out.String())
				}
			}
		})
	}
}

// TestRunSuiteIsTrainRun: a suite run is train.Run's run, step for step:
// the same losses as a run with a hook, and the same final loss.
func TestRunSuiteIsTrainRun(t *testing.T) {
	sp, err := suiteProblem1("diabetes")
	if err != nil {
		t.Fatal(err)
	}
	sp.steps = 50
	got, err := runSuite(context.Background(), sp, "diabetes", "adam", 0.01)
	if err != nil {
		t.Fatal(err)
	}
	e, X, Y, n, err := sp.engine()
	if err != nil {
		t.Fatal(err)
	}
	o, err := optimizers.New(optimizers.Config{Name: "adam", LR: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Init(e.Params()); err != nil {
		t.Fatal(err)
	}
	var want []float64
	res, err := train.Run(context.Background(), e, train.Adapt(o), train.Data{X: X, Y: Y, N: n, D: len(X) / n, T: len(Y) / n}, nil,
		train.Config{Epochs: 50, NoShuffle: true}, train.Funcs{Step: func(s *train.Step) error { want = append(want, s.Loss); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Curve) != len(want) {
		t.Fatalf("%d losses, train.Run made %d", len(got.Curve), len(want))
	}
	for i := range want {
		if got.Curve[i] != want[i] {
			t.Fatalf("step %d: loss %v, train.Run's %v", i+1, got.Curve[i], want[i])
		}
	}
	if got.Final != res.Loss {
		t.Errorf("final loss %v, train.Run's %v", got.Final, res.Loss)
	}
}

// TestRunSuiteDiverges: a learning rate far too large is reported as
// diverged, with no final loss.
func TestRunSuiteDiverges(t *testing.T) {
	sp, err := suiteProblem1("bowl-1000")
	if err != nil {
		t.Fatal(err)
	}
	r, err := runSuite(context.Background(), sp, "bowl-1000", "gd", 10)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "diverged" || !math.IsInf(r.Final, 1) || len(r.Curve) >= sp.steps {
		t.Errorf("status %q, final %v after %d steps; want diverged early", r.Status, r.Final, len(r.Curve))
	}
}

// TestRunSuiteInterrupted: a cancelled context ends the comparison with
// the context's error.
func TestRunSuiteInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RunOptimizers(ctx, SuiteOptions{Problems: []string{"rosenbrock"}}, &bytes.Buffer{}); err != context.Canceled {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
