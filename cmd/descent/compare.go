package main

import (
	"encoding/json"
	"fmt"
	"github.com/descent-ml/descent/job"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

func newCompare() *cobra.Command {
	var (
		optList, lrList, plotPath string
		target                    float64
		asJSON, timings           bool
	)
	cmd := &cobra.Command{
		Use:   "compare (--optimizers LIST | --lrs LIST)",
		Short: "Compare optimizers or learning rates on the same data, model and seed",
		Long: `compare trains the same problem once per optimizer (--optimizers) or per
learning rate (--lrs), on the same data, split, initial parameters and seed,
and prints each run's final loss, the steps it took to reach the loss target,
its status and its wall time. A run that diverges is a row, not an error.

The target is --loss-target, or else max(1.05 × the best final loss, 1e-6 × the
starting loss): "within 5% of the best run". Every other optimizer flag
(--momentum, --schedule, ...) applies to every variant.`,
		Example: `  descent compare --dataset line --loss half-mse --lrs 0.01,0.1,0.5 --epochs 300 --plot lrs.png
  descent compare --dataset multi --standardize --optimizers gd,momentum,adam --lr 0.05 --epochs 50`,
		Args: cobra.NoArgs,
	}
	l := addLoopFlags(cmd.Flags())
	o := addOptimizerFlags(cmd.Flags())
	fs := cmd.Flags()
	fs.StringVar(&optList, "optimizers", "", "comma-separated optimizers to compare, e.g. gd,momentum,adam")
	fs.StringVar(&lrList, "lrs", "", "comma-separated learning rates to compare, e.g. 0.001,0.02,0.25")
	fs.Float64Var(&target, "loss-target", 0, "loss for the 'steps to target' column (> 0; default: 1.05 × the best final loss)")
	fs.StringVar(&plotPath, "plot", "", "draw every loss curve on one plot here (.png or .svg)")
	fs.BoolVar(&asJSON, "json", false, "print the comparison as JSON")
	fs.BoolVar(&timings, "time", true, "show each run's wall time in the table")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		variants, err := compareVariants(cmd, optList, lrList)
		if err != nil {
			return err
		}
		if fs.Changed("loss-target") && !(target > 0 && !math.IsInf(target, 0)) {
			return flagErr("loss-target", "> 0", target)
		}
		if err := checkPlotPath(plotPath); err != nil {
			return err
		}
		jb, err := l.job(cmd, o)
		if err != nil {
			return err
		}
		c, err := job.Compare(cmd.Context(), jb, variants, job.CompareOptions{Target: target})
		if err != nil {
			return err
		}
		if plotPath != "" {
			if err := plotComparison(plotPath, jb, c); err != nil {
				return err
			}
		}
		out := cmd.OutOrStdout()
		if asJSON {
			b, err := json.MarshalIndent(c, "", "  ")
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(out, string(b))
			return err
		}
		batch := "full batch"
		if b := jb.Loop.BatchSize; b > 0 {
			batch = "batches of " + itoa(b)
		}
		model := jb.Model
		if model == "" {
			model = "linear"
		}
		fmt.Fprintf(out, "%s on %s (%d rows × %d %s), %d epochs, %s, seed %d\n",
			model, jb.Data.Name, jb.Data.N, jb.Data.D, plural(jb.Data.D, "feature"), jb.Loop.Epochs, batch, jb.Loop.Seed)
		return c.WriteTable(out, timings)
	}
	return cmd
}

// compareVariants reads --optimizers or --lrs (exactly one).
func compareVariants(cmd *cobra.Command, optList, lrList string) ([]job.Variant, error) {
	fs := cmd.Flags()
	switch {
	case fs.Changed("optimizers") && fs.Changed("lrs"):
		return nil, fmt.Errorf("give --optimizers or --lrs, not both")
	case !fs.Changed("optimizers") && !fs.Changed("lrs"):
		return nil, fmt.Errorf("--optimizers LIST or --lrs LIST is required")
	case fs.Changed("optimizers") && fs.Changed("optimizer"):
		return nil, fmt.Errorf("give --optimizer or --optimizers, not both")
	case fs.Changed("lrs") && fs.Changed("lr"):
		return nil, fmt.Errorf("give --lr or --lrs, not both")
	}
	var out []job.Variant
	seen := map[string]bool{}
	if fs.Changed("optimizers") {
		known := map[string]bool{}
		for _, n := range optimizers.Names() {
			known[n] = true
		}
		for _, name := range strings.Split(optList, ",") {
			name = strings.TrimSpace(name)
			if !known[name] {
				return nil, flagErr("optimizers", "a comma-separated list of "+strings.Join(optimizers.Names(), ", "), strconv.Quote(name))
			}
			if seen[name] {
				return nil, flagErr("optimizers", "a list without repeats", name+" twice")
			}
			seen[name] = true
			out = append(out, job.Variant{Optimizer: name})
		}
		return out, nil
	}
	for _, s := range strings.Split(lrList, ",") {
		s = strings.TrimSpace(s)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return nil, flagErr("lrs", "a comma-separated list of learning rates > 0", strconv.Quote(s))
		}
		key := strconv.FormatFloat(v, 'g', -1, 64)
		if seen[key] {
			return nil, flagErr("lrs", "a list without repeats", key+" twice")
		}
		seen[key] = true
		out = append(out, job.Variant{LR: v})
	}
	return out, nil
}

// plotComparison draws every variant's loss per epoch on one plot; a
// diverged curve ends in +Inf, so plot.Lines clips and labels it. The Y
// axis is logarithmic when the runs that did not diverge span decades.
func plotComparison(path string, jb *job.Job, c *job.Comparison) error {
	var series []plot.Series
	var calm []float64
	logY := true
	for _, r := range c.Rows {
		if len(r.Curve) == 0 {
			continue // diverged at its first step: nothing to draw
		}
		xs, y := job.CurveXY(r)
		if r.Status != train.Diverged {
			calm = append(calm, r.Curve...)
			logY = false
		}
		series = append(series, plot.Series{Name: r.Label, LR: r.LR, X: xs, Y: y})
	}
	if len(series) == 0 {
		return fmt.Errorf("--plot: every run diverged at its first step; there is no curve to draw")
	}
	if !logY {
		logY = plot.SpansDecades(calm)
	}
	model := jb.Model
	if model == "" {
		model = "linear"
	}
	sub := fmt.Sprintf("%s on %s · %d epochs · seed %d", model, jb.Data.Name, jb.Loop.Epochs, jb.Loop.Seed)
	if b := jb.Loop.BatchSize; b > 0 {
		sub += fmt.Sprintf(" · batches of %d", b)
	}
	return plot.Lines(path, series, plot.Options{Title: "Loss by epoch", Subtitle: sub, XLabel: "epoch", IntegerX: true, YLabel: "loss J", LogY: logY})
}
