package serve

import (
	"strconv"
	"strings"
)

// The command lines that compute what a view shows: the page prints them
// under each run, so a learner can get the same numbers in a terminal.

// cliSurface is the `descent surface` line of one surface path, or "" for
// an objective the command does not know.
func (s *SurfaceState) cli(p PathSpec) string {
	info, _ := objectiveByName(s.Objective)
	if !info.CLI {
		return ""
	}
	args := []string{"descent", "surface", "--objective", s.Objective}
	if s.Objective == "bowl" && s.Cond != 0 {
		args = append(args, "--cond", fmtG(s.Cond))
	}
	args = append(args, p.flags()...)
	args = append(args, "--starts", fmtG(s.Start[0])+","+fmtG(s.Start[1]), "--steps", strconv.Itoa(s.Steps))
	if s.Tol != 0 {
		args = append(args, "--tol", fmtG(s.Tol))
	}
	if s.GradTol != 0 {
		args = append(args, "--grad-tol", fmtG(s.GradTol))
	}
	return join(append(args, "--plot", s.Objective+".png"))
}

// cli is the line of a fit: `descent surface` when it starts from a
// chosen (W, b), `descent train` otherwise; "" for iris on two features,
// which the command line cannot select.
func (f *FitState) cli() string {
	d := &f.DataState
	if d.Data == "iris" {
		return ""
	}
	if d.Start != nil {
		if d.Batch != 0 || d.Seed != 1 || d.Tol != 0 || d.GradTol != 0 {
			return "" // descent surface takes no loop flags but --steps
		}
		args := []string{"descent", "surface", "--dataset", d.Data, "--model", d.modelSpec()}
		args = append(args, f.Opt.flags()...)
		args = append(args, "--starts", fmtG(d.Start[0])+","+fmtG(d.Start[1]), "--steps", strconv.Itoa(d.Epochs))
		if d.Standardize {
			args = append(args, "--standardize")
		}
		return join(append(args, "--plot", d.Data+"-surface.png"))
	}
	args := []string{"descent", "train", "--dataset", d.Data, "--model", d.modelSpec()}
	args = append(args, f.Opt.flags()...)
	return join(append(args, d.loopFlags()...))
}

// cli is the `descent compare --lrs` line of a data problem; "" for an
// objective or iris on two features.
func (r *RatesState) cli() string {
	d := r.Data
	if d == nil || d.Data == "iris" {
		return ""
	}
	lrs := make([]string, len(r.LRs))
	for i, v := range r.LRs {
		lrs[i] = fmtG(v)
	}
	args := []string{"descent", "compare", "--dataset", d.Data, "--model", d.modelSpec()}
	args = append(args, r.Opt.flags()...)
	args = append(args, "--lrs", strings.Join(lrs, ","))
	return join(append(args, d.loopFlags()...))
}

func (d *DataState) loopFlags() []string {
	out := []string{"--epochs", strconv.Itoa(d.Epochs)}
	if d.Batch != 0 {
		out = append(out, "--batch-size", strconv.Itoa(d.Batch))
	}
	if d.Seed != 1 {
		out = append(out, "--seed", strconv.FormatUint(d.Seed, 10))
	}
	if d.Standardize {
		out = append(out, "--standardize")
	}
	if d.Tol != 0 {
		out = append(out, "--tol", fmtG(d.Tol))
	}
	if d.GradTol != 0 {
		out = append(out, "--grad-tol", fmtG(d.GradTol))
	}
	return out
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// join quotes the arguments that a shell would split or expand.
func join(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " +*?;&|<>()$'\"\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}
