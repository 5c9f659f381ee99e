package train_test

import (
	"context"
	"fmt"
	"sync"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// Run with Config.Comm is one rank of a data-parallel run: here two
// in-process ranks each hold half of the built-in "line" set (y = 2x+1 on
// 5 rows, split 2 + 3) and end with the parameters one process reaches
// (to rounding: 1e-12 relative is the contract).
func ExampleRun_dataParallel() {
	ds, _ := data.Builtin("line")
	whole := train.Data{X: ds.X, Y: ds.Y, N: ds.N, D: 1, T: 1}
	newRun := func() (*graph.Engine, train.Optimizer) {
		e, _ := models.Problem{Model: models.Linear{Features: 1}, Loss: "mse"}.Engine(graph.Options{})
		o, _ := optimizers.New(optimizers.Config{Name: "adam", LR: 0.1})
		o.Init(e.Params())
		return e, train.Adapt(o)
	}
	cfg := train.Config{Epochs: 200, BatchSize: 2, Seed: 1}
	e, o := newRun()
	train.Run(context.Background(), e, o, whole, nil, cfg)
	fmt.Printf("one process: W=%.9f b=%.9f\n", e.Params()["W"][0], e.Params()["b"][0])

	comms, _ := dist.NewGroup(2)
	cuts := []int{0, 2, 5}
	got := make([]*graph.Engine, 2)
	var wg sync.WaitGroup
	for r := range 2 {
		e, o := newRun()
		got[r] = e
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := cuts[r], cuts[r+1]
			share := train.Data{X: ds.X[lo:hi], Y: ds.Y[lo:hi], N: hi - lo, D: 1, T: 1, Lo: lo, Total: ds.N}
			c := cfg
			c.Comm = comms[r]
			if _, err := train.Run(context.Background(), e, o, share, nil, c); err != nil {
				comms[r].Abort(1, err.Error())
			}
		}()
	}
	wg.Wait()
	for r, e := range got {
		fmt.Printf("rank %d:      W=%.9f b=%.9f\n", r, e.Params()["W"][0], e.Params()["b"][0])
	}
	// Output:
	// one process: W=1.999978188 b=1.000064885
	// rank 0:      W=1.999978188 b=1.000064885
	// rank 1:      W=1.999978188 b=1.000064885
}

// LabelsOf recovers class labels from encoded targets: one-hot rows, or
// 0/1 targets of a binary logit.
func ExampleLabelsOf() {
	fmt.Println(train.LabelsOf(make([]float64, 2), []float64{0, 0, 1, 0, 1, 0}, 3))
	fmt.Println(train.LabelsOf(make([]float64, 3), []float64{1, 0, 1}, 1))
	// Output:
	// [2 1]
	// [1 0 1]
}
