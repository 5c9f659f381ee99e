package demo

import (
	"context"
	"github.com/descent-ml/descent/job"
	"strconv"
	"strings"

	"github.com/descent-ml/descent/train"
)

// run is a finished job: its prepared engine, result and step trace.
type run struct {
	prep  *job.Prepared
	res   *train.Result
	trace *train.Trace
}

// param returns the first value of the named parameter.
func (r *run) param(name string) float64 { return r.prep.Engine.Params()[name][0] }

// traced prepares job and runs it with a Trace (and job.Hooks).
func traced(ctx context.Context, j *job.Job) (*run, error) {
	prep, err := j.Prepare()
	if err != nil {
		return nil, err
	}
	trace := train.NewTrace(prep.Engine.Spec().Params)
	hooks := append([]train.Hook{trace}, j.Hooks...)
	res, err := train.Run(ctx, prep.Engine, prep.TrainOptimizer(), prep.Train, prep.Val, prep.Loop, hooks...)
	if err != nil {
		return nil, err
	}
	return &run{prep: prep, res: res, trace: trace}, nil
}

// seq returns 0, 1, …, n−1.
func seq(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// list formats values as "1, 2, 4".
func list(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strings.Join(parts, ", ")
}
