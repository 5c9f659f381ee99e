package train_test

import (
	"context"
	"fmt"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// Adapt32 trains a float32 engine with a float32 optimizer: parameters,
// gradients and Adam's moments are all float32, as torch trains, and the
// optimizer steps the engine's Params32 in place.
func ExampleAdapt32() {
	ds, _ := data.Builtin("line") // y = 2x+1
	e, _ := models.Problem{Model: models.Linear{Features: 1}, Loss: "mse", Dtype: tensor.Float32}.Engine(graph.Options{})
	o, _ := optimizers.New32(optimizers.Config{Name: "adam", LR: 0.1})
	o.Init(e.Params32())
	res, err := train.Run(context.Background(), e, train.Adapt32(o), train.Data{X: ds.X, Y: ds.Y, N: ds.N, D: 1, T: 1}, nil, train.Config{Epochs: 1000})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := e.Params32()
	fmt.Printf("%v after %d steps: W=%.3f b=%.3f\n", e.Dtype(), res.Steps, p["W"][0], p["b"][0])
	// Output:
	// float32 after 1000 steps: W=2.000 b=1.000
}
