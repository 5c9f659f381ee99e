// Package demo holds Descent's worked examples: small, complete runs that
// show what gradient descent does and why, from fitting y = 2x + 1 by hand
// to a digit classifier. Each demo is a function that prints its results
// as deterministic text (timings only when Options.Timings asks) and
// returns them, and, given Options.Plots, draws its pictures.
//
// `descent demo` runs them; with no name it runs the short Tour.
package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Options tune a demo run. The zero value prints text only, with no timings.
type Options struct {
	// Plots is a directory to write each demo's pictures into (created if
	// needed); "" draws none.
	Plots string
	// Timings prints each demo's wall time; without it the output is
	// deterministic.
	Timings bool
}

// Demo is one worked example.
type Demo struct {
	Name  string
	Title string
	// Long marks a demo that takes more than a second or so; tests skip
	// it under -short.
	Long bool
	// Run prints the demo to w.
	Run func(ctx context.Context, w io.Writer, opt Options) error
}

// All lists every demo in the order they teach.
func All() []Demo {
	return []Demo{
		{Name: "line", Title: "y = 2x + 1 from five points, step by step", Run: drop(Line)},
		{Name: "salary", Title: "salary by years of experience, standardized", Run: drop(Salary)},
		{Name: "noisy-line", Title: "noisy points: gradient descent against the least-squares line", Run: drop(NoisyLine)},
		{Name: "multi", Title: "three features: recovering known coefficients", Run: drop(Multi)},
		{Name: "linear-300", Title: "x = 1..300 unstandardized: the conditioning lesson", Long: true, Run: drop(Linear300)},
		{Name: "parabola", Title: "line, parabola and degree 9: bias and variance", Run: drop(Parabola)},
		{Name: "hills", Title: "a bumpy surface: where you start decides where you end", Run: drop(Hills)},
		{Name: "lr-sensitivity", Title: "one problem, three learning rates", Run: drop(LRSensitivity)},
		{Name: "batch-vs-sgd-vs-minibatch", Title: "full batch, SGD and mini-batches for the same epochs", Run: drop(Batches)},
		{Name: "digits-mlp", Title: "handwritten digits with a small MLP", Long: true, Run: drop(DigitsMLP)},
	}
}

// Tour is the short tour `descent demo` runs with no name: fast and
// readable.
func Tour() []string { return []string{"line", "salary", "hills", "lr-sensitivity"} }

// Names lists every demo's name.
func Names() []string {
	var names []string
	for _, d := range All() {
		names = append(names, d.Name)
	}
	return names
}

// Lookup finds a demo by name.
func Lookup(name string) (Demo, error) {
	for _, d := range All() {
		if d.Name == name {
			return d, nil
		}
	}
	return Demo{}, fmt.Errorf("demo: unknown demo %q (have: %s)", name, strings.Join(Names(), ", "))
}

// Run runs the named demos in order, a blank line between them.
func Run(ctx context.Context, w io.Writer, names []string, opt Options) error {
	var demos []Demo
	for _, n := range names {
		d, err := Lookup(n)
		if err != nil {
			return err
		}
		demos = append(demos, d)
	}
	for i, d := range demos {
		if i > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		start := time.Now()
		if err := d.Run(ctx, w, opt); err != nil {
			return fmt.Errorf("demo %s: %w", d.Name, err)
		}
		if opt.Timings {
			if _, err := fmt.Fprintf(w, "time: %s\n", time.Since(start).Round(time.Millisecond)); err != nil {
				return err
			}
		}
	}
	return nil
}

// drop adapts a demo function that returns its result to Demo.Run.
func drop[R any](f func(context.Context, io.Writer, Options) (R, error)) func(context.Context, io.Writer, Options) error {
	return func(ctx context.Context, w io.Writer, opt Options) error {
		_, err := f(ctx, w, opt)
		return err
	}
}
