package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/descent-ml/descent/internal/atomicfile"
	"github.com/descent-ml/descent/job"
	"github.com/descent-ml/descent/modelfile"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

func newTrain() *cobra.Command {
	var (
		initPath, out, tracePath, plotPath string
		asJSON, quiet, confusion, reset    bool
		showTrace                          int
	)
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Train a model by gradient descent on a CSV file or a built-in dataset",
		Example: `  descent train --dataset salary --standardize --standardize-target --lr 0.1 --epochs 200
  descent train --dataset iris --optimizer adam --lr 0.05 --epochs 200 --standardize --val-split 0.2 --confusion
  descent train --dataset digits --model 'conv2d(16,3,padding=1) relu maxpool2d(2) flatten linear(10)' --optimizer adam --lr 0.01 --batch-size 64 --epochs 10
  descent train --data docs/data/houses.csv --target price --standardize --standardize-target --optimizer adam --lr 0.05 --epochs 500 --out model.json --plot loss.png`,
		Args: cobra.NoArgs,
	}
	l := addLoopFlags(cmd.Flags())
	o := addOptimizerFlags(cmd.Flags())
	mpi := addDistFlags(cmd.Flags())
	l.stream = addStreamFlags(cmd.Flags())
	fs := cmd.Flags()
	fs.StringVar(&initPath, "init", "", "start from a model file's parameters; a checkpoint's optimizer state and position resume exactly")
	fs.BoolVar(&reset, "reset-optimizer", false, "with --init: start the optimizer afresh (needed to switch optimizers)")
	fs.StringVar(&out, "out", "", "write the model file here (atomically); an interrupt (Ctrl-C, SIGTERM, SIGHUP) writes a checkpoint here too")
	fs.StringVar(&tracePath, "trace", "", "write one CSV row per step here ('-' for standard output)")
	fs.StringVar(&plotPath, "plot", "", "draw the loss curve here (.png or .svg)")
	fs.BoolVar(&asJSON, "json", false, "print the final summary, with the per-epoch history, as JSON on stdout")
	fs.BoolVar(&quiet, "quiet", false, "no progress bar")
	fs.BoolVar(&confusion, "confusion", false, "print the confusion matrix of a classifier (validation rows when there are some)")
	fs.IntVar(&showTrace, "show-trace", 0, "print the first N steps as a table (models with at most 8 parameter values)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if showTrace < 0 {
			return flagErr("show-trace", ">= 0", showTrace)
		}
		comm, err := joinWorld(mpi.timeout) // under mpirun: one rank of several
		if err != nil {
			return err
		}
		l.comm = comm
		rank0 := !quietRank(cmd, comm) // only rank 0 prints and writes files
		if !rank0 {
			out, tracePath, plotPath, quiet = "", "", "", true
		}
		if err := checkOutputs(map[string]string{"out": out, "trace": tracePath, "plot": plotPath}, plotPath); err != nil {
			return err
		}
		if _, err := optimizers.New(o.config(fs)); err != nil {
			return err // a bad optimizer option is reported before the data is read
		}
		var init *modelfile.File
		if initPath != "" {
			if init, err = modelfile.Load(initPath); err != nil {
				return err
			}
			if !fs.Changed("target") {
				l.target = init.Target
			}
		} else if reset {
			return fmt.Errorf("--reset-optimizer needs --init")
		}
		jb, err := l.job(cmd, o)
		if err != nil {
			return err
		}
		jb.Init, jb.ResetOptimizer = init, reset
		prep, err := jb.Prepare()
		if err != nil {
			return err
		}
		defer prep.Close()
		var hooks []train.Hook
		var table *train.Trace
		if showTrace > 0 {
			table = train.NewTrace(prep.Engine.Spec().Params)
			if table.Names == nil {
				return fmt.Errorf("--show-trace needs a model with at most %d parameter values; this one has more", train.MaxTraceValues)
			}
			table.Limit = showTrace
			hooks = append(hooks, table)
		}
		var bar *train.Progress
		if !quiet && !asJSON && term.IsTerminal(int(os.Stderr.Fd())) {
			start := 0
			if prep.Loop.Resume != nil {
				start = prep.Loop.Resume.Epoch
			}
			bar = train.NewProgress(os.Stderr, start, jb.Loop.Epochs)
			hooks = append(hooks, bar)
		}
		var res *job.Outcome
		if tracePath != "" {
			// The trace streams into its file (a temporary one, renamed
			// into place when the run ends), so a long run's trace takes no
			// memory; a failed run leaves no partial trace.
			err = atomicfile.Write(tracePath, func(w io.Writer) error {
				ct := train.NewCSVTrace(w, prep.Engine.Spec().Params)
				var err error
				if res, err = prep.Run(cmd.Context(), append(hooks, ct)...); err != nil {
					return err
				}
				return ct.Flush()
			})
		} else {
			res, err = prep.Run(cmd.Context(), hooks...)
		}
		if bar != nil {
			bar.Finish()
		}
		if err != nil {
			return err
		}
		stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
		r := res.Result
		if r.Status == train.Interrupted && rank0 {
			path := out
			if path == "" {
				path = "descent-checkpoint.json"
			}
			if res.File == nil {
				return fmt.Errorf("interrupted; no checkpoint: %v", res.FileErr)
			}
			if err := res.File.Save(path); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "descent: interrupted at epoch %d, step %d; checkpoint saved to %s (resume with the same flags and --init %s)\n", r.Position.Epoch+1, r.Steps, path, path)
		} else if out != "" {
			if res.File == nil {
				return res.FileErr
			}
			if err := res.File.Save(out); err != nil {
				return err
			}
		}
		if plotPath != "" {
			if err := plotLoss(plotPath, jb, prep, res); err != nil {
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
			fmt.Fprintln(stdout, headline(jb, prep))
			if table != nil {
				if err := table.WriteTable(stdout, showTrace); err != nil {
					return err
				}
			}
			if err := res.WriteSummary(stdout); err != nil {
				return err
			}
			if confusion {
				if err := writeConfusion(stdout, prep, res); err != nil { // every rank counts its rows
					return err
				}
			}
		}
		if d := r.Diverged; d != nil {
			return errAgreed{fmt.Errorf("training diverged at epoch %d, step %d (%s is not finite); %s, e.g. --lr %g", d.Epoch, d.Step, d.What, d.Hint, prep.Optimizer.Config().LR/10)}
		}
		if r.Status == train.Interrupted {
			return errInterrupted
		}
		return nil
	}
	return cmd
}

// errInterrupted ends a run that a signal stopped, with exit status 130.
var errInterrupted = errors.New("interrupted")

// headline is the first line of a run's report: model, data, loss and
// optimizer.
func headline(jb *job.Job, prep *job.Prepared) string {
	model := prep.Arch.Spec
	if model == "" {
		model = prep.Arch.Module
	}
	d := len(prep.Features)
	shape := fmt.Sprintf("%d %s", d, plural(d, "feature"))
	if len(prep.InputShape) > 1 {
		shape = dimsText(prep.InputShape)
	}
	if prep.Scanned() != nil {
		shape += ", streamed"
	}
	c := prep.Optimizer.Config()
	return fmt.Sprintf("%s on %s (%d rows × %s), loss %s, optimizer %s lr %g", model, prep.DataName(), prep.Rows(), shape, prep.Loss, c.Name, c.LR)
}

func dimsText(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return strings.Join(parts, "×")
}

// writeConfusion prints a classifier's confusion matrix on the validation
// rows, or the training rows without a split.
func writeConfusion(w interface{ Write([]byte) (int, error) }, prep *job.Prepared, res *job.Outcome) error {
	if prep.Classes == 0 {
		return fmt.Errorf("--confusion is for classifiers; this is a regression")
	}
	d, which := res.Train, "training"
	if res.Val != nil {
		d, which = *res.Val, "validation"
	}
	c, err := prep.Confusion(d)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "confusion matrix (%s rows; true class down, predicted across):\n", which)
	return c.Write(w)
}

// plotLoss draws the per-epoch training (and validation) loss, titled with
// the data, model, optimizer and learning rate.
func plotLoss(path string, jb *job.Job, prep *job.Prepared, res *job.Outcome) error {
	x, loss, val := res.Result.History.Curves()
	series := []plot.Series{{Name: "training loss", X: x, Y: loss}}
	if val != nil {
		series = append(series, plot.Series{Name: "validation loss", X: x, Y: val})
	}
	c := prep.Optimizer.Config()
	model := prep.Arch.Spec
	if model == "" {
		model = prep.Arch.Module
	}
	sub := fmt.Sprintf("%s · %s · %s · lr %g", prep.DataName(), model, c.Name, c.LR)
	if b := jb.Loop.BatchSize; b > 0 {
		sub += fmt.Sprintf(" · batches of %d", b)
	}
	opt := plot.Options{Title: "Loss by epoch", Subtitle: sub, XLabel: "epoch", IntegerX: true,
		YLabel: "loss J (" + prep.Loss + ")", LogY: plot.SpansDecades(loss, val)}
	if r := res.Result; r.Status == train.EarlyStopping {
		opt.Marks = []plot.Mark{{X: float64(r.BestEpoch), Label: fmt.Sprintf("early stop: best epoch %d", r.BestEpoch)}}
	}
	return plot.Lines(path, series, opt)
}
