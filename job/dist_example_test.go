package job_test

import (
	"context"
	"fmt"
	"sync"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/job"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// ShardOf gives each rank of a data-parallel job its share of a dataset;
// every rank runs the same Job, and they end with the same model. (From a
// file, ReadShard reads only the rank's own byte range.)
func ExampleShardOf() {
	iris, _ := data.Builtin("iris")
	comms, _ := dist.NewGroup(3)
	acc := make([]float64, 3)
	var wg sync.WaitGroup
	for r, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ds, shard := job.ShardOf(iris, c)
			j := &job.Job{Data: ds, Shard: shard, Standardize: true, Optimizer: optimizers.Config{Name: "adam", LR: 0.05},
				Loop: train.Config{Epochs: 30, BatchSize: 16, Seed: 1}}
			out, err := j.Run(context.Background())
			if err != nil {
				c.Abort(1, err.Error())
			}
			acc[r] = *out.TrainMetrics.Accuracy
			if r == 0 {
				fmt.Println(ds.N, "of", shard.Total, "rows on rank 0;", out.Ranks, "ranks")
			}
		}()
	}
	wg.Wait()
	fmt.Printf("accuracy on every rank: %.3f %.3f %.3f\n", acc[0], acc[1], acc[2])
	// Output:
	// 50 of 150 rows on rank 0; 3 ranks
	// accuracy on every rank: 0.980 0.980 0.980
}

// A Job with a Stream trains from a file read in passes; the first pass
// fits the standardization, which the model file keeps.
func ExampleStream() {
	j := &job.Job{Stream: &job.Stream{Path: "../data/testdata/houses.csv", Target: "price"}, Standardize: true,
		StandardizeTarget: true, Optimizer: optimizers.Config{Name: "gd", LR: 0.1}, Loop: train.Config{Epochs: 50}}
	p, err := j.Prepare()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	out, err := p.Run(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Scanned().Total, "rows; means", out.File.Standardize.Mean, "; R² ≥ 0.99:", *out.TrainMetrics.R2 >= 0.99)
	// Output: 3 rows; means [3 71.25 15.666666666666666] ; R² ≥ 0.99: true
}
