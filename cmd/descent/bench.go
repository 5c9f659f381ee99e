package main

import (
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/bench"
)

func newBench() *cobra.Command {
	var (
		problems, contenders, opts, dtypes string
		noPeers, optimizersSuite, asJSON   bool
		gemmMode, targets                  bool
		minTime                            time.Duration
		python, plots                      string
		threads, rounds                    int
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Time one training step against hand-written Go, stock Gorgonia, NumPy and PyTorch; GEMM GFLOPS; issue 10's targets; or compare optimizers",
		Long: `bench times one training step (forward, backward, update) of each problem for
Descent, the plain and the fused hand-written Go steps, stock Gorgonia
(TapeMachine + VanillaSolver) and, when /usr/bin/python3 has them, NumPy and
PyTorch, in one run on this machine, and prints the ratios. Every
contender's loss after 5 steps is checked against a reference step's. The
problems are float64 dense models, the float32 CNN steps cnn-digits and
cnn-lenet, and lenet-fashion, one epoch of LeNet-5 on Fashion-MNIST (when
the dataset is installed). On the network problems every contender that
can runs at 1 thread and at all cores and keeps the faster.

With --gemm it times Descent's GEMM and NumPy's matmul on the same products
(GFLOPS, float32 and float64), alternating the two for --rounds rounds.

With --targets it measures issue 10's targets side by side (the GEMM
products, the digits MLP and CNN steps, a LeNet-5 epoch, linreg 100000×100,
allocations and the live heap) and prints a verdict for each.

With --optimizers it instead compares the optimizers on problems with known
minima (quadratic bowls of rising condition number, Rosenbrock, diabetes
regression, iris softmax, a digits MLP), each on a small learning-rate grid.

--json prints the result of any mode as JSON instead of tables.`,
		Example: `  descent bench --problems linreg-5x1,linreg-1000x10
  descent bench --problems cnn-digits,lenet-fashion --rounds 3
  descent bench --gemm --json
  descent bench --targets --rounds 3
  descent bench --optimizers --plots out/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			text := out
			if asJSON {
				text = io.Discard
			}
			if minTime <= 0 {
				return flagErr("min-time", "> 0", minTime)
			}
			if threads < 0 {
				return flagErr("threads", ">= 0", threads)
			}
			if rounds < 1 {
				return flagErr("rounds", ">= 1", rounds)
			}
			modes := 0
			for _, on := range []bool{optimizersSuite, gemmMode, targets} {
				if on {
					modes++
				}
			}
			if modes > 1 {
				return flagErr("gemm, --targets and --optimizers", "used one at a time", "more than one")
			}
			switch {
			case optimizersSuite:
				if plots != "" {
					if err := os.MkdirAll(plots, 0o755); err != nil {
						return err
					}
				}
				rows, err := bench.RunOptimizers(cmd.Context(), bench.SuiteOptions{Problems: split(problems), Optimizers: split(opts), PlotDir: plots}, text)
				if err != nil || !asJSON {
					return err
				}
				return bench.WriteSuiteJSON(out, rows)
			case gemmMode:
				t, err := bench.RunGemm(cmd.Context(), bench.GemmOptions{Shapes: split(problems), Dtypes: split(dtypes), MinTime: minTime,
					Rounds: rounds, NoPeers: noPeers, Python: python, Threads: threads, Progress: cmd.ErrOrStderr()}, text)
				if err != nil || !asJSON {
					return err
				}
				return t.WriteJSON(out)
			case targets:
				t, err := bench.RunTargets(cmd.Context(), bench.TargetOptions{MinTime: minTime, Rounds: rounds, Python: python,
					Threads: threads, Progress: cmd.ErrOrStderr()}, text)
				if err != nil || !asJSON {
					return err
				}
				return t.WriteJSON(out)
			}
			t, err := bench.Run(cmd.Context(), bench.Options{Problems: split(problems), Contenders: split(contenders), Peers: !noPeers,
				MinTime: minTime, Python: python, Threads: threads, Rounds: rounds, Progress: cmd.ErrOrStderr()}, text)
			if err != nil || !asJSON {
				return err
			}
			return t.WriteJSON(out)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&problems, "problems", "", "comma-separated problems (default: all); e.g. linreg-1000x10, mlp-digits, cnn-digits, lenet-fashion; with --gemm: products such as "+strings.Join(bench.GemmTargets, ",")+"; with --optimizers: "+strings.Join(bench.SuiteProblems, ","))
	fs.StringVar(&contenders, "contenders", "", "comma-separated Go contenders (default: all)")
	fs.BoolVar(&noPeers, "no-peers", false, "skip the NumPy and PyTorch peers")
	fs.DurationVar(&minTime, "min-time", time.Second, "time each contender at least this long (per round)")
	fs.IntVar(&rounds, "rounds", 1, "measure every contender this many times, alternating the order, and keep each one's best (with --gemm and --targets: 3 is a good choice on a shared machine)")
	fs.StringVar(&python, "python", "", "Python for the peers (default: $DESCENT_PYTHON, /usr/bin/python3, python3)")
	fs.IntVar(&threads, "threads", 0, "threads for the peers and, on the network problems, Descent's other try besides 1 (0 = the number of cores)")
	fs.BoolVar(&gemmMode, "gemm", false, "time the GEMM against NumPy's matmul (GFLOPS) instead")
	fs.StringVar(&dtypes, "dtypes", "", "with --gemm: f32, f64 or both (default)")
	fs.BoolVar(&targets, "targets", false, "measure issue 10's speed targets and print a verdict for each instead")
	fs.BoolVar(&asJSON, "json", false, "print the result as JSON instead of tables")
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
