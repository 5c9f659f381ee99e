package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/optimizers"
)

func newOptimizers() *cobra.Command {
	return &cobra.Command{
		Use:   "optimizers",
		Short: "List the optimizers with their defaults and update formulas",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "optimizer\tupdate\tdefaults\treference")
			for _, i := range optimizers.Describe() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", i.Name, i.Formula, i.Defaults, i.Paper)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "\nEvery optimizer takes --lr, --schedule (constant, step:N:gamma, exp:gamma, cosine:T[:min], warmup:W+<schedule>),\n--clip-norm and --clip-value; all but adamw take coupled --weight-decay (g ← g + λw). Semantics are torch.optim's.")
			return nil
		},
	}
}
