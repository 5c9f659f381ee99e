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
		arch, inputShape, target          string
		classes                           int
		evaluate, asJSON, confusion       bool
	)
	cmd := &cobra.Command{
		Use:   "predict --model FILE (--data FILE | --dataset NAME) [--out FILE]",
		Short: "Predict with a saved model, applying its standardization; score it when the data has the target",
		Example: `  descent train --dataset salary --standardize --standardize-target --out salary.json
  descent predict --model salary.json --data docs/data/new_hires.csv
  descent train --dataset iris --standardize --optimizer adam --lr 0.05 --epochs 200 --out iris.json
  descent predict --model iris.json --dataset iris --confusion
  # a state_dict saved by PyTorch (safetensors.torch.save_file), the architecture from --arch:
  descent predict --model modelfile/testdata/torch/cnn_f64.safetensors --arch 'conv2d(4,3,padding=1) batchnorm2d relu maxpool2d(2) flatten linear(16) gelu linear(10)' --input-shape 1,8,8 --classes 10 --target digit --dataset digits`,
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
			if f.Bare() {
				// A PyTorch state_dict: the flags say what the file cannot.
				if arch == "" {
					return fmt.Errorf("%s holds weights only (a state_dict): give the architecture with --arch, such as 'linear(16) relu linear(3)'", modelPath)
				}
				if classes < 0 || classes == 1 || classes > 1<<16 {
					return flagErr("classes", "0 (a regression) or 2..65536", classes)
				}
				features := ds.Features
				if target != "" {
					features = nil
					for _, c := range ds.Features {
						if c != target {
							features = append(features, c)
						}
					}
				}
				shape, err := parseShape(inputShape)
				if err != nil {
					return err
				}
				if shape == nil {
					shape = []int{len(features)}
				}
				outputs := max(classes, 1)
				f.Target = target
				if err := f.Describe(arch, shape, features, outputs, classes); err != nil {
					return err
				}
			} else if arch != "" {
				return fmt.Errorf("--arch is for a bare state_dict; %s describes its own model (%s)", modelPath, f.Model.Spec)
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
			var y []float64
			if col := slices.Index(ds.Features, f.Target); col >= 0 {
				y = make([]float64, ds.N)
				for i := range y {
					y[i] = ds.X[i*ds.D+col]
				}
			} else if ds.Target == f.Target && f.Target != "" && len(ds.Y) == ds.N {
				y = ds.Y // a built-in dataset keeps its target apart
			}
			if y == nil {
				if evaluate || confusion {
					return fmt.Errorf("--evaluate needs the target column %q in the data (columns: %s)", f.Target, listCols(ds.Features))
				}
				return nil
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
	fs.StringVar(&arch, "arch", "", "for a PyTorch state_dict (.safetensors without Descent's metadata): the layers, as in --model")
	fs.StringVar(&inputShape, "input-shape", "", "for a state_dict: the shape of one input row, e.g. 1,28,28")
	fs.IntVar(&classes, "classes", 0, "for a state_dict: the number of classes of a classifier (0: a regression)")
	fs.StringVar(&target, "target", "", "for a state_dict: the target column, left out of the inputs and used to score")
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
