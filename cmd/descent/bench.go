package main

import (
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/bench"
)

func newBench() *cobra.Command {
	var (
		problems, contenders, opts string
		noPeers, optimizersSuite   bool
		minTime                    time.Duration
		python, plots              string
		threads                    int
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Time one training step against hand-written Go, stock Gorgonia, NumPy and PyTorch; or compare optimizers",
		Long: `bench times one training step (forward, backward, update; float64) of each
problem for Descent, the plain and the fused hand-written Go steps, stock
Gorgonia (TapeMachine + VanillaSolver) and, when /usr/bin/python3 has them,
NumPy and PyTorch, in one run on this machine, and prints the ratios. Every
contender's loss after 5 steps is checked against the plain Go step's.

With --optimizers it instead compares the optimizers on problems with known
minima (quadratic bowls of rising condition number, Rosenbrock, diabetes
regression, iris softmax, a digits MLP), each on a small learning-rate grid.`,
		Example: `  descent bench --problems linreg-5x1,linreg-1000x10
  descent bench --optimizers --plots out/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if optimizersSuite {
				if plots != "" {
					if err := os.MkdirAll(plots, 0o755); err != nil {
						return err
					}
				}
				_, err := bench.RunOptimizers(cmd.Context(), bench.SuiteOptions{Problems: split(problems), Optimizers: split(opts), PlotDir: plots}, cmd.OutOrStdout())
				return err
			}
			if minTime <= 0 {
				return flagErr("min-time", "> 0", minTime)
			}
			if threads < 0 {
				return flagErr("threads", ">= 0", threads)
			}
			_, err := bench.Run(cmd.Context(), bench.Options{Problems: split(problems), Contenders: split(contenders), Peers: !noPeers,
				MinTime: minTime, Python: python, Threads: threads, Progress: cmd.ErrOrStderr()}, cmd.OutOrStdout())
			return err
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&problems, "problems", "", "comma-separated problems (default: all); e.g. linreg-1000x10, softmax-100000x100x10, mlp-digits; with --optimizers: "+strings.Join(bench.SuiteProblems, ","))
	fs.StringVar(&contenders, "contenders", "", "comma-separated Go contenders (default: all)")
	fs.BoolVar(&noPeers, "no-peers", false, "skip the NumPy and PyTorch peers")
	fs.DurationVar(&minTime, "min-time", time.Second, "time each contender at least this long")
	fs.StringVar(&python, "python", "", "Python for the peers (default: $DESCENT_PYTHON, /usr/bin/python3, python3)")
	fs.IntVar(&threads, "threads", 0, "threads for the peers (0 = the number of cores)")
	fs.BoolVar(&optimizersSuite, "optimizers", false, "compare the optimizers on problems with known minima instead")
	fs.StringVar(&opts, "optimizer-list", "", "with --optimizers: comma-separated optimizers (default: all)")
	fs.StringVar(&plots, "plots", "", "with --optimizers: write one loss-curve plot per problem into this directory")
	return cmd
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
