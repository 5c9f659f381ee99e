package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/demo"
)

func newDemo() *cobra.Command {
	var (
		plots         string
		timings, list bool
	)
	cmd := &cobra.Command{
		Use:   "demo [NAME|all]",
		Short: "Run the worked examples: fits, learning rates, surfaces, batches, an MLP",
		Long: `demo runs Descent's worked examples end to end and prints what they show.
With no NAME it runs a short tour (` + strings.Join(demo.Tour(), ", ") + `); "all" runs every
demo; --list names them. --plots DIR draws each demo's pictures into DIR.`,
		Example: `  descent demo
  descent demo lr-sensitivity --plots plots/
  descent demo all --timings`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if list {
				tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
				for _, d := range demo.All() {
					long := ""
					if d.Long {
						long = " (takes a few seconds)"
					}
					fmt.Fprintf(tw, "%s\t%s%s\n", d.Name, d.Title, long)
				}
				return tw.Flush()
			}
			names := demo.Tour()
			if len(args) == 1 {
				names = []string{args[0]}
				if args[0] == "all" {
					names = demo.Names()
				}
			}
			return demo.Run(cmd.Context(), out, names, demo.Options{Plots: plots, Timings: timings})
		},
	}
	cmd.Flags().StringVar(&plots, "plots", "", "write each demo's pictures (.png) into this directory")
	cmd.Flags().BoolVar(&timings, "timings", false, "print each demo's wall time")
	cmd.Flags().BoolVar(&list, "list", false, "list the demos and exit")
	return cmd
}
