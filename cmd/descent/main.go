// Command descent trains models by gradient descent with Gorgonia's
// reverse-mode autodiff, and shows how it goes: step tables, loss curves,
// learning-rate and optimizer comparisons, loss surfaces with descent
// paths, gradient checks and benchmarks. Every command is a thin layer over
// the descent packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, cancel := interruptible(context.Background(), rankStderr())
	defer cancel()
	err := newRoot().ExecuteContext(ctx)
	quiet := leaveWorld(err) // a data-parallel run: see mpi.go
	if err != nil {
		if errors.Is(err, errInterrupted) {
			os.Exit(130) // the checkpoint message is out already
		}
		if !quiet {
			fmt.Fprintf(os.Stderr, "descent: %v\n", err)
		}
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			os.Exit(130)
		}
		os.Exit(1)
	}
}

// interruptible returns a context that SIGINT, SIGTERM or SIGHUP cancels:
// a training run then stops between steps and writes a checkpoint, as a
// container stop or a closed terminal should. After the first signal the
// default handling comes back, so a second Ctrl-C exits at once.
func interruptible(parent context.Context, w io.Writer) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		select {
		case s := <-sigs:
			signal.Reset(os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			fmt.Fprintf(w, "\ndescent: %v: stopping after the current step (again to exit at once)\n", s)
			cancel()
		case <-ctx.Done():
			signal.Stop(sigs)
		}
	}()
	return ctx, cancel
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "descent",
		Short:         "Gradient descent with Gorgonia autodiff: train, compare, see and check",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newDemo(), newTrain(), newConvert(), newPredict(), newCompare(), newSurface(), newOptimizers(), newLayers(), newGradcheck(), newBench(), newServe())
	return root
}
