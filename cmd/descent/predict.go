package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/modelfile"
)

func newPredict() *cobra.Command {
	var (
		modelPath, dataPath, dataset, out string
		evaluate, asJSON, confusion       bool
	)
	cmd := &cobra.Command{
		Use:   "predict --model FILE (--data FILE | --dataset NAME) [--out FILE]",
		Short: "Predict with a saved model, applying its standardization; score it when the data has the target",
		Example: `  descent train --dataset salary --standardize --standardize-target --out salary.json
  descent predict --model salary.json --data new_hires.csv
  descent predict --model iris.json --dataset iris --confusion`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if modelPath == "" {
				return fmt.Errorf("--model is required")
			}
			if err := checkOutputs(map[string]string{"out": out}, ""); err != nil {
				return err
			}
			f, err := modelfile.Load(modelPath)
			if err != nil {
				return err
			}
			ds, err := loadData(cmd, dataPath, dataset, data.CSVOptions{NoTarget: true})
			if err != nil {
				return err
			}
			p, err := modelfile.Predict(f, ds)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := p.WriteCSV(&buf); err != nil {
				return err
			}
			stdout := cmd.OutOrStdout()
			if out != "" {
				if err := writeOutput(out, stdout, buf.Bytes()); err != nil {
					return err
				}
			} else if !asJSON && !evaluate && !confusion {
				_, err = stdout.Write(buf.Bytes())
				return err
			}
			// With the target among the columns, score the prediction.
			col := slices.Index(ds.Features, f.Target)
			if col < 0 {
				if evaluate || confusion {
					return fmt.Errorf("--evaluate needs the target column %q in the data (columns: %s)", f.Target, listCols(ds.Features))
				}
				return nil
			}
			y := make([]float64, ds.N)
			for i := range y {
				y[i] = ds.X[i*ds.D+col]
			}
			ev, err := p.Evaluate(y)
			if err != nil {
				return err
			}
			if asJSON {
				b, err := json.MarshalIndent(ev, "", "  ")
				if err != nil {
					return err
				}
				_, err = fmt.Fprintln(stdout, string(b))
				return err
			}
			w := cmd.ErrOrStderr()
			if out != "" || evaluate || confusion {
				w = stdout
			}
			return writeEvaluation(w, f, ev, confusion)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&modelPath, "model", "", "model file (or checkpoint) written by descent train --out")
	fs.StringVar(&dataPath, "data", "", "CSV file with a header row and the model's feature columns")
	fs.StringVar(&dataset, "dataset", "", "built-in dataset instead of --data")
	fs.StringVar(&out, "out", "", "write the predictions CSV here ('-' for stdout); then the scores are printed")
	fs.BoolVar(&evaluate, "evaluate", false, "print only the scores: accuracy, or R², RMSE and MAE in the target's units")
	fs.BoolVar(&confusion, "confusion", false, "print the confusion matrix of a classifier")
	fs.BoolVar(&asJSON, "json", false, "print the scores as JSON")
	return cmd
}

func writeEvaluation(w interface{ Write([]byte) (int, error) }, f *modelfile.File, ev *modelfile.Evaluation, confusion bool) error {
	fmt.Fprintf(w, "scored on %d rows against %q:\n", ev.Rows, f.Target)
	if ev.Accuracy != nil {
		fmt.Fprintf(w, "accuracy:  %.2f%%\n", 100**ev.Accuracy)
	}
	if ev.R2 != nil {
		fmt.Fprintf(w, "R²:        %.6f\n", *ev.R2)
	}
	if ev.RMSE != nil {
		fmt.Fprintf(w, "RMSE:      %.6g\nMAE:       %.6g\n", *ev.RMSE, *ev.MAE)
	}
	if confusion {
		if ev.Confusion == nil {
			return fmt.Errorf("--confusion is for classifiers; this model is a regression")
		}
		fmt.Fprintln(w, "confusion matrix (true class down, predicted across):")
		return ev.Confusion.Write(w)
	}
	return nil
}

func listCols(cols []string) string {
	if len(cols) > 12 {
		return fmt.Sprintf("%v… (%d in all)", cols[:12], len(cols))
	}
	return fmt.Sprint(cols)
}
