package main

import (
	"fmt"
	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/job"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

// maxSurfaceSteps bounds the steps of one path: every iterate is kept to
// be drawn.
const maxSurfaceSteps = 1_000_000

func newSurface() *cobra.Command {
	var (
		objective, dataPath, dataset, target, model, loss string
		startsFlag, xrangeFlag, yrangeFlag, plotPath      string
		standardize                                       bool
		steps                                             int
		tol, gradTol, cond                                float64
	)
	cmd := &cobra.Command{
		Use:   "surface (--objective NAME | --dataset NAME | --data FILE) --plot FILE",
		Short: "Draw a 2-parameter loss surface with the descent paths from several starts",
		Long: `surface descends a loss of two parameter values from several starting points
and draws its contours with each path on top: a built-in objective
(--objective hills or rosenbrock) or a data model with exactly two parameter
values, such as --model linear on a one-feature dataset (W and b). It prints
each start, where it ended, the loss there and the steps taken.

Defaults: hills: lr 0.1, 200 steps, range [-4,4]²; rosenbrock: lr 0.001,
5000 steps, x in [-2,2], y in [-1,3]; data: the optimizer's lr, 200 steps,
starts at the model's initial point and around where it ends, and a range
that holds every path. A path that leaves the range is clipped and marked.`,
		Example: `  descent surface --objective hills --plot hills.png
  descent surface --objective rosenbrock --optimizer adam --lr 0.02 --steps 2000 --plot rosenbrock.svg
  descent surface --dataset line --model linear --lr 0.05 --starts "0,0;4,-2" --plot line-surface.png`,
		Args: cobra.NoArgs,
	}
	o := addOptimizerFlags(cmd.Flags())
	fs := cmd.Flags()
	fs.StringVar(&objective, "objective", "", "built-in objective: "+strings.Join(models.ObjectiveNames(), ", "))
	fs.Float64Var(&cond, "cond", 0, "the bowl's condition number κ >= 1 (default 1)")
	fs.StringVar(&dataPath, "data", "", "CSV file with a header row")
	fs.StringVar(&dataset, "dataset", "", "built-in dataset, e.g. line, noisy-line, salary, linear-300")
	fs.StringVar(&target, "target", "", "target column (default: the last column)")
	fs.StringVar(&model, "model", "linear", "a model with exactly 2 parameter values: linear or logistic on one feature, poly:1")
	fs.StringVar(&loss, "loss", "", "mse, half-mse, mae, huber or bce (default: follows the model)")
	fs.BoolVar(&standardize, "standardize", false, "z-score the feature (population std)")
	fs.StringVar(&startsFlag, "starts", "", `starting points "x1,y1;x2,y2;..." (default: several sensible ones)`)
	fs.IntVar(&steps, "steps", 0, "most steps per path (>= 1; default 200, 5000 on rosenbrock)")
	fs.Float64Var(&tol, "tol", 0, "stop a path when |J(t) − J(t−1)| < tol (0 = off)")
	fs.Float64Var(&gradTol, "grad-tol", 0, "stop a path when ‖∇J‖₂ < grad-tol (0 = off)")
	fs.StringVar(&plotPath, "plot", "", "the picture to draw (.png or .svg); required")
	fs.StringVar(&xrangeFlag, "xrange", "", "range of the first parameter, a,b (default: see above)")
	fs.StringVar(&yrangeFlag, "yrange", "", "range of the second parameter, a,b (default: see above)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if plotPath == "" {
			return fmt.Errorf("--plot FILE is required (.png or .svg)")
		}
		if err := checkPlotPath(plotPath); err != nil {
			return err
		}
		if fs.Changed("steps") && steps < 1 {
			return flagErr("steps", ">= 1", steps)
		}
		if fs.Changed("steps") && steps > maxSurfaceSteps {
			return flagErr("steps", fmt.Sprintf("in [1, %d]", maxSurfaceSteps), steps)
		}
		if !finiteNonNeg(tol) {
			return flagErr("tol", "a finite number >= 0", tol)
		}
		if !finiteNonNeg(gradTol) {
			return flagErr("grad-tol", "a finite number >= 0", gradTol)
		}
		if fs.Changed("cond") && !(cond >= 1 && cond <= 1e6) {
			return flagErr("cond", "in [1, 1e6]", cond)
		}
		xr, err := optionalRange(fs.Changed("xrange"), "xrange", xrangeFlag)
		if err != nil {
			return err
		}
		yr, err := optionalRange(fs.Changed("yrange"), "yrange", yrangeFlag)
		if err != nil {
			return err
		}
		var starts [][2]float64
		if fs.Changed("starts") {
			if starts, err = parseStarts(startsFlag); err != nil {
				return err
			}
		}
		set := &surfaceSetup{cfg: o.config(fs), loop: train.Config{Tol: tol, GradTol: gradTol, Epochs: steps}, starts: starts}
		switch {
		case objective != "" && (dataPath != "" || dataset != ""):
			return fmt.Errorf("give --objective or --data/--dataset, not both")
		case objective != "":
			for _, f := range []string{"model", "loss", "standardize", "target"} {
				if fs.Changed(f) {
					return fmt.Errorf("--%s applies to a data surface, not to --objective", f)
				}
			}
			err = set.objective(objective, fs.Changed("lr"), cond)
		case dataPath == "" && dataset == "":
			return fmt.Errorf("--objective NAME, --dataset NAME or --data FILE is required")
		default:
			ds, lerr := loadData(cmd, dataPath, dataset, data.CSVOptions{Target: target})
			if lerr != nil {
				return lerr
			}
			err = set.data(cmd, &job.Job{Data: ds, Model: model, Loss: loss, Standardize: standardize, Optimizer: set.cfg}, fs.Changed("lr"))
		}
		if err != nil {
			return err
		}
		cfg, loop, s := set.cfg, set.loop, set.s
		starts = set.starts
		opt, err := optimizers.New(cfg)
		if err != nil {
			return err
		}
		resolved := opt.Config()
		out := cmd.OutOrStdout()
		fmt.Fprintln(out, set.header)
		fmt.Fprintf(out, "optimizer %s lr %.4g%s, at most %d steps from each of %d %s\n", resolved.Name, resolved.LR, set.lrNote, loop.Epochs, len(starts), plural(len(starts), "start"))
		paths, err := s.Descend(cmd.Context(), cfg, loop, starts)
		if err != nil {
			return err
		}
		bx, by := frame(paths, set.defX, set.defY)
		if xr == nil {
			xr = &bx
		}
		if yr == nil {
			yr = &by
		}
		if err := writePaths(out, s.Names, paths); err != nil {
			return err
		}
		series := make([]plot.Series, len(paths))
		for i, p := range paths {
			series[i] = plot.Series{Name: fmt.Sprintf("from (%g, %g)", p.Start[0], p.Start[1]), X: p.X, Y: p.Y}
		}
		popt := plot.Options{Title: set.title, XLabel: s.Names[0], YLabel: s.Names[1], ZLabel: set.zlabel, Minima: set.minima}
		if set.defX == nil { // a data surface
			popt.Resolution = 121            // each grid point is a pass over the data
			popt.Width, popt.Height = 16, 12 // W and b have different units: no equal scales
		}
		if err := plot.Contour(plotPath, s.Eval, *xr, *yr, series, popt); err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "plot: %s\n", plotPath)
		return err
	}
	return cmd
}

// surfaceSetup is what surface descends and draws: the surface, the
// optimizer and loop settings with their per-surface defaults, the starts,
// the default frame (objectives only) and the text around it.
type surfaceSetup struct {
	s                     *job.Surface
	cfg                   optimizers.Config
	loop                  train.Config
	starts                [][2]float64
	defX, defY            *[2]float64
	header, title, zlabel string
	minima                []plot.Point
	lrNote                string
}

func isFiniteNum(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func cloneSet(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// objective sets up a built-in objective with its default lr (unless
// lrGiven), steps, starts and frame.
func (u *surfaceSetup) objective(name string, lrGiven bool, cond float64) error {
	info, err := models.LookupObjective(name)
	if err != nil {
		return flagErr("objective", "one of "+strings.Join(models.ObjectiveNames(), ", "), strconv.Quote(name))
	}
	if cond != 0 && name != "bowl" {
		return fmt.Errorf("--cond applies to --objective bowl only")
	}
	if !lrGiven {
		u.cfg.LR = info.LR
	}
	if u.loop.Epochs == 0 {
		u.loop.Epochs = info.Steps
	}
	if u.starts == nil {
		u.starts = info.Starts
	}
	if u.s, err = job.NewObjectiveSurface(info.New(cond), graph.Options{}); err != nil {
		return err
	}
	u.defX, u.defY = &info.X, &info.Y
	u.header = name + ": " + info.Formula
	u.title, u.zlabel = u.header, "f(x, y)"
	for _, m := range info.Minima() {
		u.minima = append(u.minima, plot.Point{X: m.X, Y: m.Y})
	}
	return nil
}

// data sets up the loss of a 2-parameter model on the job's data, with
// 200 steps and dataStarts by default.
func (u *surfaceSetup) data(cmd *cobra.Command, jb *job.Job, lrGiven bool) error {
	prep, err := jb.Prepare()
	if err != nil {
		return err
	}
	ds := jb.Data
	if u.s, err = job.NewSurface(prep.Engine, &prep.Train); err != nil {
		return fmt.Errorf("--model %s on %s: %w", jb.Model, ds.Name, err)
	}
	if name := prep.Optimizer.Config().Name; !lrGiven && (name == "gd" || name == "momentum" || name == "nesterov") {
		// A learning rate from the curvature: 1/λmax is stable near the
		// start where the optimizer's default (0.01) may well diverge.
		lmax, err := u.s.Curvature()
		if err != nil {
			return err
		}
		if lmax > 0 && isFiniteNum(lmax) {
			u.cfg.LR = 1 / lmax
			if name != "gd" {
				u.cfg.LR = 0.1 / lmax // momentum amplifies the step about 10×
			}
			u.cfg.Set = cloneSet(u.cfg.Set)
			u.cfg.Set["lr"] = true
			u.lrNote = fmt.Sprintf(" (from the loss's curvature: λmax = %.4g, so lr = %.3g; pass --lr to choose)", lmax, u.cfg.LR)
		}
	}
	if u.loop.Epochs == 0 {
		u.loop.Epochs = 200
	}
	if u.starts == nil {
		if u.starts, err = dataStarts(cmd, u.s, u.cfg, u.loop); err != nil {
			return err
		}
	}
	names := u.s.Names
	std := ""
	if jb.Standardize {
		std = ", x standardized"
	}
	u.header = fmt.Sprintf("%s on %s (%d rows × %d %s%s), loss %s, surface over (%s, %s)",
		jb.Model, ds.Name, ds.N, ds.D, plural(ds.D, "feature"), std, prep.Loss, names[0], names[1])
	u.title = fmt.Sprintf("%s on %s: loss %s over (%s, %s)", jb.Model, ds.Name, prep.Loss, names[0], names[1])
	u.zlabel = "loss J"
	return nil
}

// frame is the default picture range: every start, the paths that did
// not diverge and the first steps of those that did, with a margin; for an
// objective, its own box, widened to hold the starts. A path that leaves
// the frame is clipped and marked.
func frame(paths []job.Path, defX, defY *[2]float64) (xr, yr [2]float64) {
	var keep []job.Path
	for _, p := range paths {
		switch {
		case defX != nil:
			keep = append(keep, job.Path{X: []float64{p.Start[0]}, Y: []float64{p.Start[1]}})
		case p.Status == train.Diverged:
			n := min(len(p.X), 4)
			keep = append(keep, job.Path{X: p.X[:n], Y: p.Y[:n]})
		default:
			keep = append(keep, p)
		}
	}
	xr, yr, _ = job.PathBounds(keep, 0.1) // every start is finite
	if defX != nil {
		xr = [2]float64{math.Min(defX[0], xr[0]), math.Max(defX[1], xr[1])}
		yr = [2]float64{math.Min(defY[0], yr[0]), math.Max(defY[1], yr[1])}
	}
	return xr, yr
}

// dataStarts descends once from the model's initial point, then adds the
// four corners of a box around where that path ended, half as wide as the
// end is far from the origin (at least 1): paths from all sides into the
// minimum. A first path that diverges is the only start.
func dataStarts(cmd *cobra.Command, s *job.Surface, cfg optimizers.Config, loop train.Config) ([][2]float64, error) {
	p0 := s.Point()
	first, err := s.Descend(cmd.Context(), cfg, loop, [][2]float64{p0})
	if err != nil {
		return nil, err
	}
	starts := [][2]float64{p0}
	if first[0].Status == train.Diverged {
		return starts, nil
	}
	e := first[0].End
	d := math.Max(1, 0.5*math.Max(math.Abs(e[0]), math.Abs(e[1])))
	d = roundNice(d)
	c := [2]float64{roundTo(e[0], d), roundTo(e[1], d)}
	for _, sg := range [][2]float64{{-1, -1}, {1, 1}, {-1, 1}, {1, -1}} {
		starts = append(starts, [2]float64{c[0] + sg[0]*d, c[1] + sg[1]*d})
	}
	return starts, nil
}

// roundNice rounds d down to 1, 2 or 5 times a power of ten.
func roundNice(d float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(d)))
	for _, m := range []float64{5, 2, 1} {
		if d >= m*p {
			return m * p
		}
	}
	return p
}

// roundTo rounds v to a multiple of step/2, so printed starts stay short.
func roundTo(v, step float64) float64 { return math.Round(2*v/step) * step / 2 }

// optionalRange parses a range flag when it was given, and is nil otherwise.
func optionalRange(given bool, flag, v string) (*[2]float64, error) {
	if !given {
		return nil, nil
	}
	r, err := parseRange(flag, v)
	return &r, err
}

// parseRange reads "a,b" with finite a < b.
func parseRange(flag, v string) ([2]float64, error) {
	bad := flagErr(flag, "two numbers a,b with a < b", strconv.Quote(v))
	a, b, ok := strings.Cut(v, ",")
	if !ok {
		return [2]float64{}, bad
	}
	lo, err1 := parseFinite(a)
	hi, err2 := parseFinite(b)
	if err1 != nil || err2 != nil || !(lo < hi) {
		return [2]float64{}, bad
	}
	// The picture needs a width it can divide: at least 1e-9 of the
	// values' size (a range of a few ulps cannot be drawn).
	if w := hi/2 - lo/2; !(w > 0.5e-9*math.Max(math.Abs(lo), math.Abs(hi))) || w < 1e-280 || math.IsInf(w, 0) {
		return [2]float64{}, flagErr(flag, "two numbers a < b at least 1e-9 of their size apart", strconv.Quote(v))
	}
	return [2]float64{lo, hi}, nil
}

// parseStarts reads "x1,y1;x2,y2;...", naming the first bad point.
func parseStarts(v string) ([][2]float64, error) {
	var out [][2]float64
	for i, part := range strings.Split(v, ";") {
		x, y, ok := strings.Cut(part, ",")
		px, err1 := parseFinite(x)
		py, err2 := parseFinite(y)
		if !ok || err1 != nil || err2 != nil {
			return nil, flagErr("starts", `"x,y" points separated by ";"`, fmt.Sprintf("%q (point %d of %q)", part, i+1, v))
		}
		out = append(out, [2]float64{px, py})
	}
	return out, nil
}

func parseFinite(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("not a finite number: %q", s)
	}
	return v, nil
}

// writePaths prints one line per path: start, end, loss there, steps and status.
func writePaths(w io.Writer, names [2]string, paths []job.Path) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "start (%s, %s)\tend\tloss at end\tsteps\tstatus\n", names[0], names[1])
	for _, p := range paths {
		fmt.Fprintf(tw, "(%g, %g)\t(%s, %s)\t%.6g\t%d\t%s\n", p.Start[0], p.Start[1], coord(p.End[0]), coord(p.End[1]), p.Loss, p.Steps, p.Status)
	}
	return tw.Flush()
}

// coord formats a coordinate with 4 decimals, or 4 significant digits when
// it is huge (a diverged path), never as -0.0000.
func coord(v float64) string {
	s := fmt.Sprintf("%.4f", v)
	if math.Abs(v) >= 1e6 {
		s = fmt.Sprintf("%.4g", v)
	}
	if strings.Trim(s, "-0.") == "" {
		return strings.TrimPrefix(s, "-")
	}
	return s
}
