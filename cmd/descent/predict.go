package main

import (
	"bytes"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/train"
)

func newPredict() *cobra.Command {
	var modelPath, dataPath, dataset, out string
	cmd := &cobra.Command{
		Use:   "predict --model FILE (--data FILE | --dataset NAME) [--out FILE]",
		Short: "Predict with a saved model, applying its standardization",
		Example: `  descent train --dataset salary --standardize --out salary.json
  descent predict --model salary.json --data new_hires.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if modelPath == "" {
				return fmt.Errorf("--model is required")
			}
			f, err := train.Load(modelPath)
			if err != nil {
				return err
			}
			ds, err := loadData(dataPath, dataset, data.CSVOptions{NoTarget: true})
			if err != nil {
				return err
			}
			p, err := train.Predict(f, ds)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := p.WriteCSV(&buf); err != nil {
				return err
			}
			if out == "" {
				_, err = cmd.OutOrStdout().Write(buf.Bytes())
				return err
			}
			return train.WriteFileAtomic(out, buf.Bytes())
		},
	}
	cmd.Flags().StringVar(&modelPath, "model", "", "model file written by descent train --out")
	cmd.Flags().StringVar(&dataPath, "data", "", "CSV file with a header row and the model's feature columns")
	cmd.Flags().StringVar(&dataset, "dataset", "", "built-in dataset instead of --data")
	cmd.Flags().StringVar(&out, "out", "", "write the predictions CSV here instead of stdout")
	return cmd
}

// loadData reads --data or --dataset; with neither, it is an error.
func loadData(path, name string, opt data.CSVOptions) (*data.Dataset, error) {
	switch {
	case path != "" && name != "":
		return nil, fmt.Errorf("give --data or --dataset, not both")
	case path != "":
		return data.ReadCSV(path, opt)
	case name != "":
		return data.Builtin(name)
	}
	return nil, fmt.Errorf("--data FILE or --dataset NAME is required")
}
