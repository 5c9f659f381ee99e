package demo

import (
	"context"
	"fmt"
	"github.com/descent-ml/descent/job"
	"io"
	"math"

	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

// hillsStarts are the starting points of the hills demo.
var hillsStarts = [][2]float64{{-3, -3}, {-0.5, 2.5}, {0.5, 0.5}, {2, 0}, {2.5, -3}}

// HillsResult holds one path per start and the number of distinct minima
// they reached.
type HillsResult struct {
	Paths  []job.Path
	Minima int
}

// Hills runs gradient descent (lr 0.1, 300 steps, stop when ‖∇f‖ < 1e-6)
// on f(x, y) = sin(x)·cos(y) + 0.1·(x² + y²) from several starts: the
// surface has several local minima, and where a path starts decides which
// one it ends in.
func Hills(ctx context.Context, w io.Writer, opt Options) (*HillsResult, error) {
	const lr, maxSteps = 0.1, 300
	s, err := job.NewObjectiveSurface(models.Hills{}, engineOpts)
	if err != nil {
		return nil, err
	}
	paths, err := s.Descend(ctx, optimizers.Config{Name: "gd", LR: lr}, train.Config{Epochs: maxSteps, GradTol: 1e-6}, hillsStarts)
	if err != nil {
		return nil, err
	}
	r := &HillsResult{Paths: paths, Minima: distinct(paths, 1e-3)}
	p := &printer{w: w}
	p.header("hills", "a bumpy surface: where you start decides where you end")
	p.printf("f(x, y) = sin(x)·cos(y) + 0.1·(x² + y²); gradient descent with lr %g, at most %d steps, stop when ‖∇f‖ < 1e-6\n", lr, maxSteps)
	rows := [][]string{{"start", "", "end", "f(end)", "steps", "status"}}
	for _, pa := range paths {
		rows = append(rows, []string{ptg(pa.Start), "→", pt(pa.End), fmt.Sprintf("%.4f", pa.Loss), fmt.Sprint(pa.Steps), pa.Status.String()})
	}
	p.table(rows)
	p.printf("%d starts reached %d different minima; a lower f(end) is a deeper one. Gradient descent only\n", len(paths), r.Minima)
	p.printf("goes downhill from where it starts: on a non-convex surface it finds a local minimum, not the best.\n")
	if err := p.plot(opt, "hills-contour.png", func(path string) error {
		return plot.Contour(path, s.Eval, [2]float64{-4, 4}, [2]float64{-4, 4}, pathSeries(paths),
			plot.Options{Title: "hills: gradient descent from five starts", XLabel: "x", YLabel: "y", ZLabel: "f(x, y)"})
	}); err != nil {
		return nil, err
	}
	return r, p.err
}

// pt formats a point as (x, y) with 3 decimals, ptg in shortest form.
func pt(p [2]float64) string  { return fmt.Sprintf("(%s, %s)", f3(p[0]), f3(p[1])) }
func ptg(p [2]float64) string { return fmt.Sprintf("(%g, %g)", p[0], p[1]) }

func f3(v float64) string { return noNegZero(fmt.Sprintf("%.3f", v)) }

// distinct counts the end points that differ by more than tol.
func distinct(paths []job.Path, tol float64) int {
	var seen [][2]float64
next:
	for _, p := range paths {
		for _, q := range seen {
			if math.Hypot(p.End[0]-q[0], p.End[1]-q[1]) < tol {
				continue next
			}
		}
		seen = append(seen, p.End)
	}
	return len(seen)
}

// pathSeries turns descent paths into plot series named by their start.
func pathSeries(paths []job.Path) []plot.Series {
	out := make([]plot.Series, len(paths))
	for i, p := range paths {
		out[i] = plot.Series{Name: "from " + ptg(p.Start), X: p.X, Y: p.Y}
	}
	return out
}
