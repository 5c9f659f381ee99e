package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompareLearningRatesWithPlot(t *testing.T) {
	png := filepath.Join(t.TempDir(), "lrs.png")
	out, _, err := runCLI(t, "compare", "--dataset", "line", "--loss", "half-mse", "--lrs", "0.01, 0.1,0.5",
		"--epochs", "300", "--plot", png, "--time=false")
	require.NoError(t, err, "a diverged variant is a row, not an error")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 6)
	assert.Equal(t, "linear on line (5 rows × 1 feature), 300 epochs, full batch, seed 1", lines[0])
	assert.Equal(t, []string{"variant", "optimizer", "lr", "final", "loss", "steps", "to", "target", "status"}, strings.Fields(lines[1]))
	assert.Regexp(t, `^lr=0\.01 +gd +0\.01 +\S+ +never +max-epochs$`, lines[2])
	assert.Regexp(t, `^lr=0\.1 +gd +0\.1 +\S+ +\d+ +max-epochs$`, lines[3])
	assert.Regexp(t, `^lr=0\.5 +gd +0\.5 +\S+ +never +diverged at step \d+$`, lines[4])
	assert.True(t, strings.HasPrefix(lines[5], "target loss: "))
	b, err := os.ReadFile(png)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")))
}

func TestCompareOptimizersJSON(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "opts.svg")
	out, _, err := runCLI(t, "compare", "--dataset", "multi", "--standardize", "--optimizers", "gd,momentum,adam",
		"--lr", "0.05", "--epochs", "30", "--batch-size", "10", "--json", "--plot", svg, "--loss-target", "0.5")
	require.NoError(t, err)
	var got struct {
		Target     float64 `json:"target"`
		TargetRule string  `json:"target_rule"`
		Rows       []struct {
			Label     string    `json:"label"`
			Optimizer string    `json:"optimizer"`
			LR        float64   `json:"lr"`
			Status    string    `json:"status"`
			Steps     int       `json:"steps"`
			Curve     []float64 `json:"curve"`
			Seconds   float64   `json:"seconds"`
		} `json:"rows"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	assert.Equal(t, 0.5, got.Target)
	assert.Equal(t, "given", got.TargetRule)
	require.Len(t, got.Rows, 3)
	for i, name := range []string{"gd", "momentum", "adam"} {
		r := got.Rows[i]
		assert.Equal(t, name, r.Label)
		assert.Equal(t, name, r.Optimizer)
		assert.Equal(t, 0.05, r.LR, "--lr applies to every variant")
		assert.Equal(t, 150, r.Steps, "50 rows in batches of 10 for 30 epochs")
		assert.Len(t, r.Curve, 30)
	}
	st, err := os.Stat(svg)
	require.NoError(t, err)
	assert.Positive(t, st.Size())
}

func TestCompareErrors(t *testing.T) {
	line := []string{"compare", "--dataset", "line"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"neither list", nil, "--optimizers LIST or --lrs LIST is required"},
		{"both lists", []string{"--optimizers", "gd", "--lrs", "0.1"}, "give --optimizers or --lrs, not both"},
		{"optimizer and optimizers", []string{"--optimizer", "adam", "--optimizers", "gd,adam"}, "give --optimizer or --optimizers, not both"},
		{"lr and lrs", []string{"--lr", "0.1", "--lrs", "0.1,0.2"}, "give --lr or --lrs, not both"},
		{"unknown optimizer", []string{"--optimizers", "gd,lbfgs"}, `--optimizers must be a comma-separated list of gd, momentum, nesterov, adagrad, rmsprop, adam, adamw, got "lbfgs"`},
		{"empty optimizer", []string{"--optimizers", "gd,"}, `--optimizers must be a comma-separated list of gd, momentum, nesterov, adagrad, rmsprop, adam, adamw, got ""`},
		{"repeated optimizer", []string{"--optimizers", "adam,gd,adam"}, "--optimizers must be a list without repeats, got adam twice"},
		{"bad lr", []string{"--lrs", "0.1,fast"}, `--lrs must be a comma-separated list of learning rates > 0, got "fast"`},
		{"zero lr", []string{"--lrs", "0,0.1"}, `--lrs must be a comma-separated list of learning rates > 0, got "0"`},
		{"repeated lr", []string{"--lrs", "0.1,1e-1"}, "--lrs must be a list without repeats, got 0.1 twice"},
		{"loss target", []string{"--lrs", "0.1", "--loss-target", "0"}, "--loss-target must be > 0, got 0"},
		{"plot extension", []string{"--lrs", "0.1", "--plot", "curves.pdf"}, "--plot curves.pdf: the picture must be .png or .svg"},
		{"loop flag", []string{"--lrs", "0.1", "--epochs", "0"}, "--epochs must be in [1, 1125899906842624], got 0"},
		{"option for another optimizer", []string{"--optimizers", "momentum,adam", "--momentum", "0.5"},
			"job: compare: variant adam: optimizers: option momentum does not apply to adam"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runCLI(t, append(append([]string{}, line...), c.args...)...)
			assert.EqualError(t, err, c.want)
		})
	}
}
