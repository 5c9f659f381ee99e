package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/nn"
)

func newLayers() *cobra.Command {
	return &cobra.Command{
		Use:   "layers",
		Short: "List the layers --model accepts, with their arguments (PyTorch's names and order)",
		Example: `  descent layers
  descent train --dataset digits --model 'conv2d(16,3,padding=1) relu maxpool2d(2) flatten linear(10)' --optimizer adam --lr 0.01 --batch-size 64`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "layer\twhat it computes")
			for _, l := range nn.Layers() {
				u, err := nn.Usage(l.Name)
				if err != nil {
					return err
				}
				fmt.Fprintf(tw, "%s\t%s\n", u, l.Doc)
			}
			return tw.Flush()
		},
	}
}
