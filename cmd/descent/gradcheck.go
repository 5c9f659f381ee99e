package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/models"
)

func newGradcheck() *cobra.Command {
	var asJSON bool
	var seed uint64
	var rows int
	var user userCheck
	cmd := &cobra.Command{
		Use:   "gradcheck",
		Short: "Check autodiff gradients against hand-derived ones and central finite differences",
		Long: `gradcheck runs every built-in model × loss pair, and a small network around
every layer of the layer grammar, on seeded random data in float64 and
float32, and prints the largest relative error of Gorgonia's reverse-mode
gradient against the hand-derived gradient (where a closed form exists) and
against central finite differences (taken in training mode, so batch norm's
batch statistics and dropout's mask are those of the gradient). It exits non-zero when a row
exceeds its tolerance: float64 1e-10 (hand) and 1e-6 (finite differences),
float32 1e-4.

With --model (a classic spec or a layer sequence) or --model-file (the
architecture a model file describes, a registered module included) it checks
that one model instead, at random parameters, against finite differences.`,
		Example: `  descent gradcheck
  descent gradcheck --model "conv2d(4,3,padding=1) relu maxpool2d(2) flatten linear(3)" --input-shape 1,6,6 --outputs 3 --loss xent`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if rows < 1 || rows > models.MaxCheckRows {
				return flagErr("rows", fmt.Sprintf("in [1, %d]", models.MaxCheckRows), rows)
			}
			problems, err := user.problems(cmd)
			if err != nil {
				return err
			}
			res, err := models.GradCheck(models.CheckOptions{Seed: seed, Rows: rows, Problems: problems})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				b, err := json.MarshalIndent(res, "", "  ")
				if err != nil {
					return err
				}
				fmt.Fprintln(out, string(b))
			} else if err := models.WriteCheckTable(out, res); err != nil {
				return err
			}
			for _, r := range res {
				if !r.Pass {
					return fmt.Errorf("gradcheck: %s/%s/%s exceeds its tolerance", r.Model, r.Loss, r.Dtype)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the table as JSON")
	cmd.Flags().Uint64Var(&seed, "seed", 0, "seed for the random data and parameters")
	cmd.Flags().IntVar(&rows, "rows", 7, "rows of random data per check, in [1, 10000]")
	user.flags(cmd.Flags())
	return cmd
}
