package graph_test

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// dataCase is a supervised problem and a way to draw its targets. A wide
// one has enough parameters that a 5000-row batch is worth several workers.
type dataCase struct {
	name   string
	p      models.Problem
	target string
	wide   bool
}

func paramCount(spec graph.Spec) int {
	n := 0
	for _, p := range spec.Params {
		n += p.Size()
	}
	return n
}

func dataCases() []dataCase {
	m, err := models.NewMLP(6, 3, []int{8}, "relu", 7)
	if err != nil {
		panic(err)
	}
	t, err := models.NewMLP(6, 1, []int{5, 4}, "tanh", 8)
	if err != nil {
		panic(err)
	}
	wide, err := models.NewMLP(6, 4, []int{64}, "relu", 9)
	if err != nil {
		panic(err)
	}
	return []dataCase{
		{"linear/mse", models.Problem{Model: models.Linear{Features: 6}}, "real", false},
		{"linear/huber", models.Problem{Model: models.Linear{Features: 6}, Loss: "huber"}, "real", false},
		{"logistic/bce", models.Problem{Model: models.Logistic{Features: 6}}, "bits", false},
		{"softmax/xent", models.Problem{Model: models.Softmax{Features: 6, Classes: 4}}, "onehot", false},
		{"mlp-relu/xent", models.Problem{Model: m, Loss: "xent"}, "onehot", false},
		{"mlp-tanh/mae", models.Problem{Model: t, Loss: "mae"}, "real", false},
		{"mlp-wide-relu/huber", models.Problem{Model: wide, Loss: "huber"}, "real", true},
		{"linear/mse+l2", models.Problem{Model: models.Linear{Features: 6}, L2: 0.05}, "real", false},
	}
}

// draw returns n rows of X and Y for spec, with a fixed seed.
func draw(spec graph.Spec, target string, n int, seed uint64) (X, Y []float64) {
	X = uniform(seed, n*spec.InputSize(), -2, 2)
	switch target {
	case "bits":
		Y = bits(seed+1, n*spec.TargetSize())
	case "onehot":
		Y = onehot(seed+1, n, spec.TargetSize())
	default:
		Y = uniform(seed+1, n*spec.TargetSize(), -2, 2)
	}
	return X, Y
}

// step runs one Step and returns the loss and a copy of the gradients in
// Spec order.
func step(t *testing.T, e *graph.Engine, X, Y []float64, n int) (float64, [][]float64) {
	t.Helper()
	l, err := e.Step(X, Y, n)
	if err != nil {
		t.Fatalf("Step(%d rows): %v", n, err)
	}
	var g [][]float64
	for _, p := range e.Spec().Params {
		g = append(g, slices.Clone(e.Grads()[p.Name]))
	}
	return l, g
}

func newEngine(t *testing.T, spec graph.Spec, opt graph.Options, params map[string][]float64) *graph.Engine {
	t.Helper()
	e, err := graph.New(spec, opt)
	if err != nil {
		t.Fatalf("graph.New: %v", err)
	}
	if err := e.SetParams(params); err != nil {
		t.Fatalf("SetParams: %v", err)
	}
	return e
}

// TestPartialLastBatch steps one engine through batches of 4, 4 and 2 rows
// of a 10-row set. The 2-row batch must give exactly (bit for bit) what a
// fresh engine gives on those 2 rows, going back to 4 rows must repeat the
// first batch exactly, and the full-batch loss and gradient must equal the
// row-weighted mean of the three batches'.
func TestPartialLastBatch(t *testing.T) {
	for _, c := range dataCases() {
		for _, dt := range dtypes {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				p := c.p
				p.Dtype = dt
				spec, err := traced(p.Spec())
				if err != nil {
					t.Fatal(err)
				}
				d, k := spec.InputSize(), spec.TargetSize()
				X, Y := draw(spec, c.target, 10, 21)
				params := randomParams(spec, 5, -0.5, 0.5)
				e := newEngine(t, spec, graph.Options{Workers: 1}, params)
				bounds := [][2]int{{0, 4}, {4, 8}, {8, 10}}
				var losses []float64
				var grads [][][]float64
				for _, b := range bounds {
					l, g := step(t, e, X[b[0]*d:b[1]*d], Y[b[0]*k:b[1]*k], b[1]-b[0])
					losses = append(losses, l)
					grads = append(grads, g)
				}

				fresh := newEngine(t, spec, graph.Options{Workers: 1}, params)
				l, g := step(t, fresh, X[8*d:], Y[8*k:], 2)
				if l != losses[2] {
					t.Errorf("2-row batch after 4-row batches: loss %v, fresh engine %v", losses[2], l)
				}
				for j, prm := range spec.Params {
					if !slices.Equal(g[j], grads[2][j]) {
						t.Errorf("2-row batch after 4-row batches: grad %s = %v, fresh engine %v", prm.Name, grads[2][j], g[j])
					}
				}
				l, g = step(t, e, X[:4*d], Y[:4*k], 4)
				if l != losses[0] || !slices.EqualFunc(g, grads[0], slices.Equal) {
					t.Errorf("4 rows again after the 2-row batch: loss %v then %v, grads %v then %v", losses[0], l, grads[0], g)
				}

				full := newEngine(t, spec, graph.Options{Workers: 1}, params)
				lf, gf := step(t, full, X, Y, 10)
				var lw float64
				for i, b := range bounds {
					lw += float64(b[1]-b[0]) / 10 * losses[i]
				}
				tol := tolFor(dt)
				if e := errFor(dt, []float64{lw}, []float64{lf}); e > tol {
					t.Errorf("row-weighted mean of batch losses %v, full batch %v (rel err %.2g)", lw, lf, e)
				}
				for j, prm := range spec.Params {
					w := make([]float64, len(gf[j]))
					for i, b := range bounds {
						for m, v := range grads[i][j] {
							w[m] += float64(b[1]-b[0]) / 10 * v
						}
					}
					if e := errFor(dt, w, gf[j]); e > tol {
						t.Errorf("grad %s: row-weighted mean of batches %v, full batch %v (rel err %.2g)", prm.Name, w, gf[j], e)
					}
				}
			})
		}
	}
}

// recordRows wraps spec.Forward to count the graphs built per batch size.
// Each worker of a split run builds its own program per block size, so
// the count for the block size after one Step is the number of workers
// that ran.
func recordRows(spec *graph.Spec) func() map[int]int {
	var mu sync.Mutex
	seen := map[int]int{}
	fwd := spec.Forward
	spec.Forward = func(s *graph.Scope) (*G.Node, error) {
		mu.Lock()
		seen[s.N]++
		mu.Unlock()
		return fwd(s)
	}
	return func() map[int]int {
		mu.Lock()
		defer mu.Unlock()
		return maps.Clone(seen)
	}
}

// TestBlockSplitting runs a 5000-row batch split into row blocks over
// several workers and checks the loss, every gradient, Loss and Predict
// against the same batch run whole: 1e-12 relative for float64. For
// float32 the split run is compared with the float64 result to 1e-5
// instead, since it sums each block in float32 but the blocks in float64
// and so rounds differently (and better) than the whole float32 run.
func TestBlockSplitting(t *testing.T) {
	const n = 5000
	whole := graph.Options{Workers: 1, BlockRows: 1 << 30}
	for _, c := range dataCases() {
		for _, dt := range dtypes {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				p := c.p
				p.Dtype = dt
				spec, err := traced(p.Spec())
				if err != nil {
					t.Fatal(err)
				}
				X, Y := draw(spec, c.target, n, 31)
				params := randomParams(spec, 9, -0.5, 0.5)

				ref := newEngine(t, spec, whole, params)
				lr, gr := step(t, ref, X, Y, n)
				pr, err := ref.Predict(X, n, nil)
				if err != nil {
					t.Fatal(err)
				}
				tol := tolFor(dt)
				if dt == tensor.Float32 {
					p.Dtype = tensor.Float64
					spec64, err := traced(p.Spec())
					if err != nil {
						t.Fatal(err)
					}
					truth := newEngine(t, spec64, whole, params)
					l64, g64 := step(t, truth, X, Y, n)
					// The whole run sums 5000 rows in float32: 1e-4, as
					// models.Tol32 (measured up to 1.3e-5 on a bias).
					if e := errFor(dt, []float64{lr}, []float64{l64}); e > 1e-4 {
						t.Errorf("whole float32 run: loss %v, float64 %v (rel err %.2g)", lr, l64, e)
					}
					for j := range g64 {
						if e := errFor(dt, gr[j], g64[j]); e > 1e-4 {
							t.Errorf("whole float32 run: grad %s rel err %.2g against float64", spec.Params[j].Name, e)
						}
					}
					lr, gr = l64, g64
				}

				for _, block := range []int{64, 100, 333} {
					for _, workers := range []int{1, 2, 3} {
						t.Run(fmt.Sprintf("block=%d/workers=%d", block, workers), func(t *testing.T) {
							s := spec
							rows := recordRows(&s)
							e := newEngine(t, s, graph.Options{Workers: workers, BlockRows: block}, params)
							l, g := step(t, e, X, Y, n)
							ran := rows()[block] // workers that built a training program
							if e := errFor(dt, []float64{l}, []float64{lr}); e > tol {
								t.Errorf("loss %.17g, whole batch %.17g (rel err %.2g)", l, lr, e)
							}
							for j, prm := range spec.Params {
								if e := errFor(dt, g[j], gr[j]); e > tol {
									t.Errorf("grad %s: rel err %.2g against the whole batch", prm.Name, e)
								}
							}
							le, err := e.Loss(X, Y, n)
							if err != nil {
								t.Fatal(err)
							}
							if le != l {
								t.Errorf("Loss() = %v, Step() = %v", le, l)
							}
							pe, err := e.Predict(X, n, nil)
							if err != nil {
								t.Fatal(err)
							}
							if e := errFor(dt, pe, pr); e > tol {
								t.Errorf("Predict: rel err %.2g against the whole batch", e)
							}
							sizes := slices.Sorted(maps.Keys(rows()))
							if !spec.RowMean {
								if !slices.Contains(sizes, n) {
									t.Errorf("a loss that is not a row mean was split: built for %v rows", sizes)
								}
								return
							}
							if slices.Contains(sizes, n) || !slices.Contains(sizes, block) {
								t.Errorf("built for %v rows, want blocks of %d and no whole batch of %d", sizes, block, n)
							}
							// However many workers run, worker i takes rows
							// [i·n/w, (i+1)·n/w); a range that is not a multiple
							// of the block leaves a remainder block.
							remAlways, remNever := true, true
							for w := 1; w <= workers; w++ {
								rem := false
								for i := 0; i < w; i++ {
									rem = rem || ((i+1)*n/w-i*n/w)%block != 0
								}
								remAlways, remNever = remAlways && rem, remNever && !rem
							}
							hasRem := slices.ContainsFunc(sizes, func(r int) bool { return r != 1 && r != block })
							if remAlways && !hasRem || remNever && hasRem {
								t.Errorf("built for %v rows: remainder block %v", sizes, hasRem)
							}
							// Helpers join a split batch only when a worker
							// goroutine is idle (the caller runs any range no
							// one took), so how many ran depends on the load.
							t.Logf("%d worker(s) ran, blocks of %v rows", ran, sizes)
						})
					}
				}
			})
		}
	}
}

// TestSplitThreshold checks that a batch under two blocks runs whole and
// bit-identical to an engine that never splits, and that the split path
// with more workers than blocks still covers every row once.
func TestSplitThreshold(t *testing.T) {
	p := models.Problem{Model: models.Softmax{Features: 5, Classes: 3}}
	spec, err := traced(p.Spec())
	if err != nil {
		t.Fatal(err)
	}
	params := randomParams(spec, 4, -1, 1)
	for _, c := range []struct {
		n, block, workers int
	}{{199, 100, 4}, {200, 100, 8}, {1000, 400, 16}, {1000, 1, 3}} {
		t.Run(fmt.Sprintf("n=%d/block=%d/workers=%d", c.n, c.block, c.workers), func(t *testing.T) {
			X, Y := draw(spec, "onehot", c.n, 3)
			lr, gr := step(t, newEngine(t, spec, graph.Options{Workers: 1, BlockRows: 1 << 30}, params), X, Y, c.n)
			l, g := step(t, newEngine(t, spec, graph.Options{Workers: c.workers, BlockRows: c.block}, params), X, Y, c.n)
			if c.n < 2*c.block {
				if l != lr || !slices.EqualFunc(g, gr, slices.Equal) {
					t.Errorf("under two blocks the batch must run whole: loss %v vs %v", l, lr)
				}
				return
			}
			if e := relErr([]float64{l}, []float64{lr}); e > 1e-12 {
				t.Errorf("loss %v, whole %v (rel err %.2g)", l, lr, e)
			}
			for j := range g {
				if e := relErr(g[j], gr[j]); e > 1e-12 {
					t.Errorf("grad %s rel err %.2g", spec.Params[j].Name, e)
				}
			}
		})
	}
}

// TestPredictSplitMatchesHand checks a split Predict of a linear model,
// row by row, against X·W + b computed here.
func TestPredictSplitMatchesHand(t *testing.T) {
	const n, d = 1003, 4
	spec, err := traced(models.Problem{Model: models.Linear{Features: d}}.Spec())
	if err != nil {
		t.Fatal(err)
	}
	params := randomParams(spec, 2, -1, 1)
	X := uniform(8, n*d, -1, 1)
	e := newEngine(t, spec, graph.Options{Workers: 2, BlockRows: 64}, params)
	got, err := e.Predict(X, n, make([]float64, n))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		want := params["b"][0]
		for j := 0; j < d; j++ {
			want += X[i*d+j] * params["W"][j]
		}
		if math.Abs(got[i]-want) > 1e-14*math.Max(1, math.Abs(want)) {
			t.Fatalf("row %d: Predict %v, X·W+b %v", i, got[i], want)
		}
	}
}

// TestSplitCompileIsRaceFree compiles the block programs of fresh engines
// on several workers at once. Program building calls into Gorgonia, whose
// graph construction touches package-level state (gorgonia.Rectify calls
// internal/encoding.NewGroup, which increments a global counter without a
// lock), so the workers of a split run must not build graphs concurrently.
// This test only fails under -race.
func TestSplitCompileIsRaceFree(t *testing.T) {
	m, err := models.NewMLP(20, 2, []int{40}, "relu", 3)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := traced(models.Problem{Model: m, Loss: "huber"}.Spec())
	if err != nil {
		t.Fatal(err)
	}
	const n = 4000
	X, Y := draw(spec, "real", n, 1)
	for i := 0; i < 12; i++ {
		s := spec
		rows := recordRows(&s)
		block := 100 + 7*i
		e := newEngine(t, s, graph.Options{Workers: 4, BlockRows: block}, initParams(spec))
		step(t, e, X, Y, n)
		if ran := rows()[block]; ran < 2 {
			t.Fatalf("%d-row batch, %d parameters: ran on %d worker(s) of 4, so nothing was built concurrently", n, paramCount(spec), ran)
		}
	}
}
