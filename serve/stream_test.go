package serve

import (
	"context"
	"fmt"
	"github.com/descent-ml/descent/job"
	"net/url"
	"strings"
	"testing"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// libraryObjective is `descent surface`'s run of one start: the path from
// job.Surface.Descend, and the same run through train.Run with a Trace
// for f and ∇f at every point.
func libraryObjective(t *testing.T, m models.Objective, cfg optimizers.Config, loop train.Config, start [2]float64) (job.Path, *train.Trace) {
	t.Helper()
	s, err := job.NewObjectiveSurface(m, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	paths, err := s.Descend(context.Background(), cfg, loop, [][2]float64{start})
	if err != nil {
		t.Fatal(err)
	}
	e, err := models.Problem{Model: m}.Engine(graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_ = e.SetParams(map[string][]float64{"x": {start[0]}, "y": {start[1]}})
	o, err := optimizers.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_ = o.Init(e.Params())
	tr := train.NewTrace(e.Spec().Params)
	if _, err := train.Run(context.Background(), e, train.Adapt(o), train.Data{}, nil, loop, tr); err != nil {
		t.Fatal(err)
	}
	return paths[0], tr
}

// TestSurfaceStreamMatchesLibrary races optimizers across every objective
// through the HTTP stream and wants every number the page gets to equal
// the library's own run of the same settings, bit for bit: each point
// against job.Surface.Descend's path (what `descent surface` draws), f
// and ∇f against train.Run's trace, the last stage's update against the
// step taken, and the end (status, steps, loss) against Descend's.
func TestSurfaceStreamMatchesLibrary(t *testing.T) {
	cases := []struct {
		query string
		obj   models.Objective
		steps int
		gtol  float64
		start [2]float64
	}{
		{"obj=hills&steps=80", models.Hills{}, 80, 1e-6, [2]float64{2.5, 1.5}},
		{"obj=rosenbrock&steps=150&start=0,2&p=gd,lr=0.002&p=adam,lr=0.05,beta1=0.8,schedule=cosine:100&p=nesterov,lr=0.001,clip-norm=5", models.Rosenbrock{}, 150, 1e-6, [2]float64{0, 2}},
		{"obj=bowl&cond=30&steps=60&gtol=0&p=gd,lr=0.07&p=momentum,lr=0.02,momentum=0.5&p=rmsprop,lr=0.05,clip-value=0.5", models.Bowl{Cond: 30}, 60, 0, [2]float64{-2.5, 2}},
		{"obj=saddle&steps=70&start=1,0", models.Saddle{}, 70, 1e-6, [2]float64{1, 0}},
		{"obj=beale&steps=50&p=adam,lr=0.1,amsgrad=true&p=adagrad,lr=0.5&p=gd,lr=0.05", models.Beale{}, 50, 1e-6, [2]float64{1, 1.5}},
	}
	_, ts := newTestServer(t, Options{})
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			q, _ := url.ParseQuery("view=surface&" + c.query)
			st, err := ParseState(q)
			if err != nil {
				t.Fatal(err)
			}
			cl := open(t, ts, q.Encode(), "")
			logs := cl.collect(cl.start(), 37)
			if len(logs) != len(st.Surface.Paths) {
				t.Fatalf("%d paths streamed, want %d", len(logs), len(st.Surface.Paths))
			}
			for i, ps := range st.Surface.Paths {
				loop := train.Config{Epochs: c.steps, GradTol: c.gtol}
				path, trace := libraryObjective(t, c.obj, ps.Config, loop, c.start)
				l := logs[i]
				if l.end == nil {
					t.Fatalf("path %d: no end", i)
				}
				e := l.end.End
				if e.Status != path.Status.String() || e.Steps != path.Steps || float64(e.Loss) != path.Loss {
					t.Errorf("path %d (%s): end %s, %d steps, loss %v; descent surface: %s, %d steps, loss %v",
						i, ps.Spec, e.Status, e.Steps, e.Loss, path.Status, path.Steps, path.Loss)
				}
				if len(l.rows) != len(path.X) {
					t.Fatalf("path %d (%s): %d points, descent surface has %d", i, ps.Spec, len(l.rows), len(path.X))
				}
				for k, r := range l.rows {
					if float64(r.P[0]) != path.X[k] || float64(r.P[1]) != path.Y[k] {
						t.Fatalf("path %d point %d: (%v, %v), descent surface (%v, %v)", i, k, r.P[0], r.P[1], path.X[k], path.Y[k])
					}
					if k < len(trace.Rows) {
						tr := trace.Rows[k]
						if !same(float64(r.F), tr.Loss) || float64(r.G[0]) != tr.Grads[0] || float64(r.G[1]) != tr.Grads[1] || !same(float64(r.LR), tr.LR) {
							t.Fatalf("path %d row %d: f %v ∇f %v lr %v; train.Run f %v ∇f %v lr %v", i, k, r.F, r.G, r.LR, tr.Loss, tr.Grads, tr.LR)
						}
					}
					if u, ok := l.upd[k]; ok && k+1 < len(l.rows) {
						last := u[len(u)-1]
						for j := range 2 {
							if float64(l.rows[k+1].P[j]) != float64(r.P[j])-float64(last[j]) {
								t.Fatalf("path %d row %d: θ%d − u = %v − %v, next point %v", i, k, j, r.P[j], last[j], l.rows[k+1].P[j])
							}
						}
					}
				}
			}
		})
	}
}

// dataJob builds, independently of the server, the job `descent train`
// makes of a data view's settings.
func dataJob(t *testing.T, d *DataState, cfg optimizers.Config) *job.Job {
	t.Helper()
	ds, err := data.Builtin(d.Data)
	if err != nil {
		t.Fatal(err)
	}
	if d.Data == "iris" {
		if ds, err = ds.Select([]string{d.FX, d.FY}); err != nil {
			t.Fatal(err)
		}
		if d.Model == "logistic" {
			for i := range ds.Y {
				if int(ds.Y[i]) == d.Class {
					ds.Y[i] = 1
				} else {
					ds.Y[i] = 0
				}
			}
		}
	}
	model := d.Model
	if model == "poly" {
		model = fmt.Sprintf("poly:%d", d.Degree)
	}
	return &job.Job{Data: ds, Model: model, Optimizer: cfg, Standardize: d.Standardize,
		Loop: train.Config{Epochs: d.Epochs, BatchSize: d.Batch, Seed: d.Seed, Tol: d.Tol, GradTol: d.GradTol}}
}

// stepLog records what train.Run's hooks see.
type stepLog struct {
	loss   []float64
	params [][]float64
}

func (s *stepLog) hook(order []string) train.Hook {
	return train.Funcs{Step: func(st *train.Step) error {
		s.loss = append(s.loss, st.Loss)
		var p []float64
		for _, n := range order {
			p = append(p, st.Params[n]...)
		}
		s.params = append(s.params, p)
		return nil
	}}
}

// TestFitStreamMatchesTrain trains through the stream and wants the
// numbers of job.Job.Run, the run `descent train` makes: every step's
// loss and parameters, every epoch's loss, and the final loss, status and
// parameters, bit for bit.
func TestFitStreamMatchesTrain(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, query := range []string{
		"data=line&epochs=40",
		"data=salary&epochs=30&opt=momentum,lr=0.05",
		"data=salary&std=0&epochs=5&opt=gd,lr=0.01",
		"data=noisy-line&epochs=12&batch=2&opt=adam,lr=0.2&start=3,-2",
		"data=parabola&deg=3&epochs=6&batch=8&seed=7&opt=adam,lr=0.1,schedule=exp:0.99",
		"data=iris&epochs=8&batch=50",
		"data=iris&model=logistic&cls=1&fx=sepal_length&fy=sepal_width&epochs=15",
	} {
		t.Run(query, func(t *testing.T) {
			q, _ := url.ParseQuery("view=fit&" + query)
			st, err := ParseState(q)
			if err != nil {
				t.Fatal(err)
			}
			cl := open(t, ts, q.Encode(), "")
			logs := cl.collect(cl.start(), 9)
			l := logs[0]
			jb := dataJob(t, &st.Fit.DataState, st.Fit.Opt.Config)
			prep, err := jb.Prepare()
			if err != nil {
				t.Fatal(err)
			}
			var order []string
			for _, p := range prep.Engine.Spec().Params {
				order = append(order, p.Name)
			}
			var sl stepLog
			jb.Hooks = []train.Hook{sl.hook(order)}
			var out *job.Outcome
			if st.Fit.Start != nil {
				// descent surface's path: the same job from a chosen (W, b)
				if err := setPoint(prep.Engine, *st.Fit.Start); err != nil {
					t.Fatal(err)
				}
				res, err := train.Run(context.Background(), prep.Engine, train.Adapt(prep.Optimizer), prep.Train, nil, prep.Loop, jb.Hooks...)
				if err != nil {
					t.Fatal(err)
				}
				out = &job.Outcome{Result: res, Engine: prep.Engine}
			} else if out, err = jb.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			res := out.Result
			if l.end.End.Status != res.Status.String() || l.end.End.Steps != res.Steps || float64(l.end.End.Loss) != res.Loss {
				t.Errorf("end %+v; train: %s, %d steps, loss %v", *l.end.End, res.Status, res.Steps, res.Loss)
			}
			_, epochLoss, _ := res.History.Points()
			if len(l.epochs) != len(epochLoss) {
				t.Fatalf("%d epoch losses, train has %d", len(l.epochs), len(epochLoss))
			}
			for i, v := range epochLoss {
				if l.epochs[i] != v {
					t.Fatalf("epoch %d loss %v, train %v", i+1, l.epochs[i], v)
				}
			}
			for k, v := range sl.loss {
				if float64(l.rows[k].F) != v {
					t.Fatalf("step %d loss %v, train %v", k, l.rows[k].F, v)
				}
				for j, p := range sl.params[k] {
					if float64(l.rows[k].P[j]) != p {
						t.Fatalf("step %d value %d: %v, train %v", k, j, l.rows[k].P[j], p)
					}
				}
			}
			var final []float64
			for _, n := range order {
				final = append(final, out.Engine.Params()[n]...)
			}
			for j, v := range final {
				if float64(l.end.End.End[j]) != v {
					t.Errorf("final value %d: %v, train %v", j, l.end.End.End[j], v)
				}
			}
		})
	}
}

// TestRatesStreamMatchesCompare runs several learning rates through the
// stream and wants job.Compare's rows (what `descent compare --lrs`
// prints and plots): each curve, final loss, steps and status, including
// a rate that diverges.
func TestRatesStreamMatchesCompare(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, query := range []string{
		"lrs=0.01,0.08,0.5&epochs=200",
		"data=salary&lrs=0.05,0.5,1.5&epochs=40&opt=momentum,momentum=0.8",
		"data=parabola&deg=2&batch=10&lrs=0.01,0.1&epochs=20",
	} {
		t.Run(query, func(t *testing.T) {
			q, _ := url.ParseQuery("view=rates&" + query)
			st, err := ParseState(q)
			if err != nil {
				t.Fatal(err)
			}
			cl := open(t, ts, q.Encode(), "")
			logs := cl.collect(cl.start(), 50)
			jb := dataJob(t, st.Rates.Data, st.Rates.Opt.Config)
			var vs []job.Variant
			for _, lr := range st.Rates.LRs {
				vs = append(vs, job.Variant{LR: lr})
			}
			cmp, err := job.Compare(context.Background(), jb, vs, job.CompareOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for i, row := range cmp.Rows {
				l := logs[i]
				e := l.end.End
				if e.Status != row.Status.String() || e.Steps != row.Steps || float64(e.Loss) != row.Loss {
					t.Errorf("%s: end %s %d steps loss %v; compare %s %d steps loss %v", row.Label, e.Status, e.Steps, e.Loss, row.Status, row.Steps, row.Loss)
				}
				if row.Diverged != nil && e.DivergedStep != row.Diverged.Step {
					t.Errorf("%s: diverged at %d, compare at %d", row.Label, e.DivergedStep, row.Diverged.Step)
				}
				if len(l.epochs) != len(row.Curve) {
					t.Fatalf("%s: %d epoch losses, compare %d", row.Label, len(l.epochs), len(row.Curve))
				}
				for k, v := range row.Curve {
					if l.epochs[k] != v {
						t.Fatalf("%s: epoch %d loss %v, compare %v", row.Label, k+1, l.epochs[k], v)
					}
				}
			}
			if !strings.Contains(st.Rates.cli(), "--lrs") {
				t.Errorf("cli %q", st.Rates.cli())
			}
		})
	}
}
