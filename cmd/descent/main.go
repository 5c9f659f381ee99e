// Command descent trains models by gradient descent with Gorgonia's
// reverse-mode autodiff, and shows how it goes: step tables, loss curves,
// learning-rate and optimizer comparisons, loss surfaces with descent
// paths, gradient checks and benchmarks. Every command is a thin layer over
// the descent packages.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := newRoot().ExecuteContext(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "descent: %v\n", err)
		os.Exit(1)
	}
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "descent",
		Short:         "Gradient descent with Gorgonia autodiff: train, compare, see and check",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newDemo(), newTrain(), newPredict(), newCompare(), newSurface(), newOptimizers(), newGradcheck(), newBench(), newServe())
	return root
}
