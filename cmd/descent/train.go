package main

import (
	"bytes"
	"fmt"

	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

func newTrain() *cobra.Command {
	var (
		initPath, out, tracePath, plotPath string
		asJSON, quiet                      bool
		showTrace                          int
	)
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Train a model by gradient descent on a CSV file or a built-in dataset",
		Example: `  descent train --dataset salary --standardize --lr 0.1 --epochs 5 --show-trace 5
  descent train --dataset iris --model softmax --optimizer adam --lr 0.05 --epochs 200 --standardize
  descent train --data houses.csv --target price --standardize --optimizer adam --out model.json --plot loss.png`,
		Args: cobra.NoArgs,
	}
	l := addLoopFlags(cmd.Flags())
	o := addOptimizerFlags(cmd.Flags())
	fs := cmd.Flags()
	fs.StringVar(&initPath, "init", "", "start from the parameters (and optimizer state) of a model file or checkpoint")
	fs.StringVar(&out, "out", "", "write the model file here (atomically); Ctrl-C writes a checkpoint here too")
	fs.StringVar(&tracePath, "trace", "", "write one CSV row per step here")
	fs.StringVar(&plotPath, "plot", "", "draw the loss curve here (.png or .svg)")
	fs.BoolVar(&asJSON, "json", false, "print the final summary as JSON on stdout")
	fs.BoolVar(&quiet, "quiet", false, "no progress bar")
	fs.IntVar(&showTrace, "show-trace", 0, "print the first N steps as a table (models with at most 8 parameters)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if showTrace < 0 {
			return flagErr("show-trace", ">= 0", showTrace)
		}
		job, err := l.job(cmd, o)
		if err != nil {
			return err
		}
		if initPath != "" {
			if job.Init, err = train.Load(initPath); err != nil {
				return err
			}
		}
		prep, err := job.Prepare()
		if err != nil {
			return err
		}
		var trace *train.Trace
		if tracePath != "" || showTrace > 0 {
			trace = train.NewTrace(prep.Engine.Spec().Params)
			if showTrace > 0 && trace.Names == nil {
				return fmt.Errorf("--show-trace needs a model with at most %d parameter values; this one has more", train.MaxTraceValues)
			}
			job.Hooks = append(job.Hooks, trace)
		}
		var bar *train.Progress
		if !quiet && !asJSON && term.IsTerminal(int(os.Stderr.Fd())) {
			bar = train.NewProgress(os.Stderr, job.Loop.Epochs-prep.Loop.StartEpoch)
			job.Hooks = append(job.Hooks, bar)
		}
		res, err := job.Run(cmd.Context())
		if bar != nil {
			bar.Finish()
		}
		if err != nil {
			return err
		}
		stdout := cmd.OutOrStdout()
		if res.Result.Status == train.Interrupted {
			path := out
			if path == "" {
				path = "descent-checkpoint.json"
			}
			if err := res.File.Save(path); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "descent: interrupted; checkpoint saved to %s (resume with --init %s)\n", path, path)
		} else if out != "" {
			if err := res.File.Save(out); err != nil {
				return err
			}
		}
		if trace != nil && tracePath != "" {
			var buf bytes.Buffer
			if err := trace.WriteCSV(&buf); err != nil {
				return err
			}
			if err := train.WriteFileAtomic(tracePath, buf.Bytes()); err != nil {
				return err
			}
		}
		if plotPath != "" {
			if err := plotLoss(plotPath, res); err != nil {
				return err
			}
		}
		if asJSON {
			b, err := res.MarshalSummary()
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, string(b))
		} else {
			fmt.Fprintf(stdout, "%s on %s (%d rows × %d %s), loss %s, optimizer %s lr %g\n",
				prep.Spec.Spec, job.Data.Name, job.Data.N, job.Data.D, plural(job.Data.D, "feature"), prep.Spec.Loss, prep.Optimizer.Config().Name, prep.Optimizer.Config().LR)
			if showTrace > 0 {
				if err := trace.WriteTable(stdout, showTrace); err != nil {
					return err
				}
			}
			if err := res.WriteSummary(stdout); err != nil {
				return err
			}
		}
		if d := res.Result.Diverged; d != nil {
			return fmt.Errorf("training diverged at epoch %d, step %d (%s is not finite); %s, e.g. --lr %g", d.Epoch, d.Step, d.What, d.Hint, prep.Optimizer.Config().LR/10)
		}
		return nil
	}
	return cmd
}

// plotLoss draws the per-epoch training (and validation) loss.
func plotLoss(path string, res *train.Outcome) error {
	series := []plot.Series{{Name: "training loss", Y: res.Result.EpochLoss}}
	if res.Result.EpochValLoss != nil {
		series = append(series, plot.Series{Name: "validation loss", Y: res.Result.EpochValLoss})
	}
	xs := make([]float64, len(res.Result.EpochLoss))
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	for i := range series {
		series[i].X = xs[:len(series[i].Y)]
	}
	return plot.Lines(path, series, plot.Options{Title: "Loss by epoch", XLabel: "epoch", YLabel: "loss J", LogY: plot.SpansDecades(res.Result.EpochLoss)})
}
