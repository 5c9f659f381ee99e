package job

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/descent-ml/descent/train"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/optimizers"
)

// compareLineJob is full-batch gradient descent on y = 2x + 1, half-mse.
func compareLineJob(t *testing.T, epochs int) *Job {
	t.Helper()
	ds, err := data.Builtin("line")
	require.NoError(t, err)
	return &Job{Data: ds, Model: "linear", Loss: "half-mse", Optimizer: optimizers.Config{Name: "gd"}, Loop: train.Config{Epochs: epochs}}
}

// halfMSELineGD runs plain-Go gradient descent on the half-mse of a line
// through (x, y) from W = b = 0 and returns J(θₖ) for k = 0..steps.
func halfMSELineGD(x, y []float64, lr float64, steps int) []float64 {
	var w, b float64
	n := float64(len(x))
	var out []float64
	for k := 0; k <= steps; k++ {
		var j, gw, gb float64
		for i := range x {
			r := w*x[i] + b - y[i]
			j += r * r / (2 * n)
			gw += r * x[i] / n
			gb += r / n
		}
		out = append(out, j)
		w, b = w-lr*gw, b-lr*gb
	}
	return out
}

func TestCompareLearningRates(t *testing.T) {
	const epochs = 300
	job := compareLineJob(t, epochs)
	lrs := []float64{0.01, 0.1, 0.5}
	var variants []Variant
	for _, lr := range lrs {
		variants = append(variants, Variant{LR: lr})
	}
	c, err := Compare(context.Background(), job, variants, CompareOptions{})
	require.NoError(t, err)
	require.Len(t, c.Rows, 3)

	ref := make([][]float64, len(lrs))
	for i, lr := range lrs {
		ref[i] = halfMSELineGD(job.Data.X, job.Data.Y, lr, epochs)
	}
	assert.InDelta(t, ref[0][0], c.Initial, 1e-12)
	for i, r := range c.Rows[:2] {
		assert.Equal(t, train.MaxEpochs, r.Status, r.Label)
		assert.Equal(t, "gd", r.Optimizer)
		assert.Equal(t, lrs[i], r.LR)
		require.Len(t, r.Curve, epochs)
		for k := range r.Curve {
			assert.InEpsilon(t, ref[i][k], r.Curve[k], 1e-9, "%s epoch %d", r.Label, k+1)
			assert.Equal(t, k+1, r.CurveSteps[k])
		}
		assert.InEpsilon(t, ref[i][epochs], r.Loss, 1e-9)
	}
	bad := c.Rows[2]
	assert.Equal(t, train.Diverged, bad.Status)
	require.NotNil(t, bad.Diverged)
	assert.Equal(t, -1, bad.StepsToTarget)
	assert.Equal(t, []string{"lr=0.01", "lr=0.1", "lr=0.5"}, []string{c.Rows[0].Label, c.Rows[1].Label, bad.Label})

	// The default target, and the first k with J(θₖ) ≤ target, from the reference.
	best := math.Min(ref[0][epochs], ref[1][epochs])
	want := math.Max(1.05*best, 1e-6*ref[0][0])
	assert.InEpsilon(t, want, c.Target, 1e-9)
	for i, r := range c.Rows[:2] {
		k := -1
		for j, l := range ref[i] {
			if l <= want {
				k = j
				break
			}
		}
		assert.Equal(t, k, r.StepsToTarget, r.Label)
	}
	assert.Greater(t, c.Rows[1].StepsToTarget, 0)
}

func TestCompareGivenTargetAndFinalLoss(t *testing.T) {
	job := compareLineJob(t, 5)
	ref := halfMSELineGD(job.Data.X, job.Data.Y, 0.01, 5)
	// A target below every recorded step loss but above the final one is
	// reached after all 5 updates.
	target := (ref[4] + ref[5]) / 2
	c, err := Compare(context.Background(), job, []Variant{{LR: 0.01}}, CompareOptions{Target: target})
	require.NoError(t, err)
	assert.Equal(t, "given", c.TargetRule)
	assert.Equal(t, 5, c.Rows[0].StepsToTarget)
	// At the start: 0 updates.
	c, err = Compare(context.Background(), job, []Variant{{LR: 0.01}}, CompareOptions{Target: ref[0]})
	require.NoError(t, err)
	assert.Equal(t, 0, c.Rows[0].StepsToTarget)
}

func TestCompareSameDataSeedAndStart(t *testing.T) {
	ds, err := data.Builtin("multi")
	require.NoError(t, err)
	job := &Job{Data: ds, Model: "linear", Standardize: true, ValSplit: 0.2,
		Optimizer: optimizers.Config{Name: "gd", LR: 0.05}, Loop: train.Config{Epochs: 4, BatchSize: 8, Seed: 3}}
	c, err := Compare(context.Background(), job, []Variant{{Label: "a"}, {Label: "b", Optimizer: "gd", LR: 0.05}}, CompareOptions{})
	require.NoError(t, err)
	a, b := c.Rows[0], c.Rows[1]
	assert.Equal(t, a.Curve, b.Curve, "same data, split, shuffles and start give the same run")
	assert.Equal(t, a.Loss, b.Loss)
	assert.Equal(t, a.ValLoss, b.ValLoss)
	assert.False(t, math.IsNaN(a.ValLoss))
	// 40 training rows in batches of 8: 5 steps an epoch; the target is
	// counted at epoch ends.
	assert.Equal(t, []int{5, 10, 15, 20}, a.CurveSteps)
	assert.Contains(t, []int{5, 10, 15, 20}, a.StepsToTarget)
	assert.Nil(t, job.Optimizer.Set, "the base job is not modified")
	var buf bytes.Buffer
	require.NoError(t, c.WriteTable(&buf, false))
	assert.Equal(t, []string{"variant", "optimizer", "lr", "final", "loss", "val", "loss", "steps", "to", "target", "status"},
		strings.Fields(strings.SplitN(buf.String(), "\n", 2)[0]))
}

func TestCompareEditAndOptimizers(t *testing.T) {
	job := compareLineJob(t, 20)
	job.Optimizer.LR = 0.02
	job.Optimizer.Set = map[string]bool{"lr": true}
	variants := []Variant{
		{Optimizer: "momentum"},
		{Optimizer: "adam", LR: 0.3},
		{Label: "sgd", Edit: func(j *Job) { j.Loop.BatchSize = 1 }},
	}
	c, err := Compare(context.Background(), job, variants, CompareOptions{})
	require.NoError(t, err)
	assert.Equal(t, "momentum", c.Rows[0].Label)
	assert.Equal(t, 0.02, c.Rows[0].LR, "the base lr applies to every variant")
	assert.Equal(t, "adam lr=0.3", c.Rows[1].Label)
	assert.Equal(t, 0.3, c.Rows[1].LR)
	assert.Equal(t, 100, c.Rows[2].Steps, "5 rows, one per step, 20 epochs")
	assert.Equal(t, map[string]bool{"lr": true}, job.Optimizer.Set)
}

func TestCompareErrors(t *testing.T) {
	job := compareLineJob(t, 3)
	withMomentum := compareLineJob(t, 3)
	withMomentum.Optimizer.Momentum = 0.5
	withMomentum.Optimizer.Set = map[string]bool{"momentum": true}
	cases := []struct {
		name     string
		base     *Job
		variants []Variant
		opt      CompareOptions
		want     string
	}{
		{"no base", nil, []Variant{{}}, CompareOptions{}, "job: compare: no base job"},
		{"no variants", job, nil, CompareOptions{}, "job: compare: no variants"},
		{"negative target", job, []Variant{{}}, CompareOptions{Target: -1}, "job: compare: target must be >= 0 (0 = default), got -1"},
		{"negative lr", job, []Variant{{LR: -0.1}}, CompareOptions{}, "job: compare: variant base: lr must be > 0 (0 keeps the base job's), got -0.1"},
		{"unknown optimizer", job, []Variant{{Optimizer: "lbfgs"}}, CompareOptions{}, `job: compare: variant lbfgs: optimizers: unknown optimizer "lbfgs"`},
		{"option for another optimizer", withMomentum, []Variant{{Optimizer: "momentum"}, {Optimizer: "adam"}}, CompareOptions{},
			"job: compare: variant adam: optimizers: option momentum does not apply to adam"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Compare(context.Background(), c.base, c.variants, c.opt)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), c.want), "got %q, want prefix %q", err, c.want)
		})
	}
}

func TestCompareCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Compare(ctx, compareLineJob(t, 3), []Variant{{}}, CompareOptions{})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestDefaultTarget(t *testing.T) {
	cases := []struct {
		name    string
		rows    []CompareRow
		initial float64
		want    float64
	}{
		{"best of the calm runs", []CompareRow{{Loss: 2}, {Loss: 1}, {Loss: 1e-9, Status: train.Diverged}}, 10, 1.05},
		{"floor when the best fits exactly", []CompareRow{{Loss: 1e-12}, {Loss: 3}}, 50, 5e-5},
		{"every run diverged", []CompareRow{{Loss: 1, Status: train.Diverged}}, 1, math.NaN()},
		{"non-finite losses are skipped", []CompareRow{{Loss: math.Inf(1)}, {Loss: 4}}, 10, 4.2},
		{"no run lowered the loss", []CompareRow{{Loss: 20}, {Loss: 30}}, 1, math.NaN()},
		{"never above the starting loss", []CompareRow{{Loss: 0.99}, {Loss: 30}}, 1, 0.99},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, rule := DefaultTarget(c.rows, c.initial)
			if math.IsNaN(c.want) {
				assert.True(t, math.IsNaN(got), "got %v", got)
			} else {
				assert.InEpsilon(t, c.want, got, 1e-12)
			}
			assert.NotEmpty(t, rule)
		})
	}
}

func TestComparisonTableAndJSON(t *testing.T) {
	c, err := Compare(context.Background(), compareLineJob(t, 300), []Variant{{Label: "slow", LR: 0.01}, {LR: 0.5}}, CompareOptions{})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, c.WriteTable(&buf, false))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, []string{"variant", "optimizer", "lr", "final", "loss", "steps", "to", "target", "status"}, strings.Fields(lines[0]))
	assert.Equal(t, []string{"slow", "gd", "0.01"}, strings.Fields(lines[1])[:3])
	assert.Regexp(t, `^lr=0\.5 +gd +0\.5 +\S+ +never +diverged at step \d+$`, lines[2])
	assert.Contains(t, lines[3], "target loss: ")
	buf.Reset()
	require.NoError(t, c.WriteTable(&buf, true))
	assert.Contains(t, strings.Split(buf.String(), "\n")[0], "time")

	b, err := json.Marshal(c)
	require.NoError(t, err)
	var got struct {
		Target float64 `json:"target"`
		Rows   []struct {
			Label         string    `json:"label"`
			Status        string    `json:"status"`
			StepsToTarget *int      `json:"steps_to_target"`
			Curve         []float64 `json:"curve"`
			Diverged      *struct {
				Step int `json:"step"`
			} `json:"diverged"`
		} `json:"rows"`
	}
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, c.Target, got.Target)
	require.Len(t, got.Rows, 2)
	assert.Equal(t, "diverged", got.Rows[1].Status)
	assert.Nil(t, got.Rows[1].StepsToTarget, "never reached is null")
	require.NotNil(t, got.Rows[1].Diverged)
	assert.Equal(t, c.Rows[1].Diverged.Step, got.Rows[1].Diverged.Step)
	assert.Len(t, got.Rows[0].Curve, 300)
}

// Three learning rates on y = 2x + 1: too small crawls, 0.1 converges, 0.5
// diverges — a row with status diverged, not an error.
func ExampleCompare() {
	ds, _ := data.Builtin("line")
	job := &Job{Data: ds, Loss: "half-mse", Optimizer: optimizers.Config{Name: "gd"}, Loop: train.Config{Epochs: 300}}
	c, err := Compare(context.Background(), job, []Variant{{LR: 0.01}, {LR: 0.1}, {LR: 0.5}}, CompareOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range c.Rows {
		fmt.Printf("%-8s %-10s reached the target: %v\n", r.Label, r.Status, r.StepsToTarget >= 0)
	}
	fmt.Println(c.TargetRule)
	// Output:
	// lr=0.01  max-epochs reached the target: false
	// lr=0.1   max-epochs reached the target: true
	// lr=0.5   diverged   reached the target: false
	// 1e-6 × the starting loss, as the best run fits almost exactly
}
