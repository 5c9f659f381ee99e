package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/descent-ml/descent/modelfile"
	"github.com/descent-ml/descent/models"
)

// userCheck holds gradcheck's flags for checking one model of the user's
// instead of the built-in table.
type userCheck struct {
	model, file, inputShape, loss, activation string
	features, outputs, ids                    int
}

func (u *userCheck) flags(fs *pflag.FlagSet) {
	fs.StringVar(&u.model, "model", "", "check this model instead of the built-ins: a classic spec (mlp:16) or a layer sequence")
	fs.StringVar(&u.file, "model-file", "", "check the architecture of this model file instead of the built-ins")
	fs.StringVar(&u.inputShape, "input-shape", "", "with --model: the shape of one input row, e.g. 1,8,8 (default: --features)")
	fs.IntVar(&u.features, "features", 4, "with --model: input values a row, in [1, 10000], when --input-shape is not given")
	fs.IntVar(&u.outputs, "outputs", 3, "with --model: the model's outputs a row, in [1, 10000]")
	fs.StringVar(&u.loss, "loss", "", "with --model: the loss (mse, half-mse, mae, huber, bce, xent; default: the model's)")
	fs.StringVar(&u.activation, "activation", "", "with --model: a classic mlp's activation (default relu)")
	fs.IntVar(&u.ids, "ids", 0, "draw each input value as an integer id in [0, ids), for a model that starts with an embedding")
}

// problems returns the model to check, or nil for the built-in table.
func (u *userCheck) problems(cmd *cobra.Command) ([]models.CheckProblem, error) {
	fs := cmd.Flags()
	if u.ids < 0 || u.ids > 1<<24 {
		return nil, flagErr("ids", "in [0, 16777216]", u.ids)
	}
	switch {
	case u.model != "" && u.file != "":
		return nil, fmt.Errorf("give --model or --model-file, not both")
	case u.file != "":
		for _, f := range []string{"input-shape", "features", "outputs", "loss", "activation"} {
			if fs.Changed(f) {
				return nil, fmt.Errorf("--%s goes with --model; a model file gives its own", f)
			}
		}
		f, err := modelfile.Load(u.file)
		if err != nil {
			return nil, err
		}
		p, err := f.Problem()
		if err != nil {
			return nil, err
		}
		return []models.CheckProblem{{Name: u.file, Problem: p, IDs: u.ids}}, nil
	case u.model != "":
	default:
		if fs.Changed("ids") {
			return nil, fmt.Errorf("--ids goes with --model or --model-file")
		}
		return nil, nil
	}
	if u.outputs < 1 || u.outputs > models.MaxCheckRows {
		return nil, flagErr("outputs", "in [1, "+strconv.Itoa(models.MaxCheckRows)+"]", u.outputs)
	}
	input := []int{u.features}
	if u.inputShape != "" {
		if fs.Changed("features") {
			return nil, fmt.Errorf("give --input-shape or --features, not both")
		}
		var err error
		if input, err = parseShape(u.inputShape); err != nil {
			return nil, err
		}
	}
	d := 1
	for _, v := range input {
		d *= v
	}
	if d < 1 || d > models.MaxCheckRows {
		flag := "features"
		if u.inputShape != "" {
			flag = "input-shape"
		}
		return nil, flagErr(flag, "in [1, "+strconv.Itoa(models.MaxCheckRows)+"] values a row", d)
	}
	m, err := models.Parse(u.model, d, u.outputs, u.activation, 1)
	if err != nil {
		return nil, err
	}
	return []models.CheckProblem{{Name: u.model, IDs: u.ids,
		Problem: models.Problem{Model: m, Loss: u.loss, Input: input, Target: []int{u.outputs}}}}, nil
}
