package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBenchGemmJSON runs `descent bench --gemm --json` without NumPy on a
// small product: one JSON object, a figure per dtype, nothing else on
// stdout.
func TestBenchGemmJSON(t *testing.T) {
	out, _, err := runCLI(t, "bench", "--gemm", "--no-peers", "--json", "--problems", "16x16x16", "--min-time", "5ms", "--rounds", "1")
	require.NoError(t, err)
	var doc struct {
		Rounds int `json:"rounds"`
		Rows   []struct {
			Dtype   string  `json:"dtype"`
			Shape   string  `json:"shape"`
			Descent float64 `json:"descent_gflops"`
		} `json:"rows"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	require.Len(t, doc.Rows, 2)
	assert.Equal(t, "16x16x16", doc.Rows[0].Shape)
	assert.Positive(t, doc.Rows[0].Descent)
}

// TestBenchStepsJSON runs the step harness with --json.
func TestBenchStepsJSON(t *testing.T) {
	out, _, err := runCLI(t, "bench", "--no-peers", "--json", "--problems", "linreg-50x2", "--contenders", "handgo,descent", "--min-time", "5ms")
	require.NoError(t, err)
	var doc struct {
		Rows []struct {
			Contender string `json:"contender"`
			Checked   bool   `json:"checked"`
		} `json:"rows"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	require.Len(t, doc.Rows, 2)
	assert.True(t, doc.Rows[1].Checked)
}

func TestBenchFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--rounds", "0"}, "--rounds must be >= 1, got 0"},
		{[]string{"--gemm", "--targets"}, "must be used one at a time"},
		{[]string{"--gemm", "--no-peers", "--problems", "5x3.4x2"}, `bench: product "5x3.4x2": inner sizes 3 and 4 differ`},
		{[]string{"--gemm", "--no-peers", "--dtypes", "f16", "--problems", "8"}, `bench: dtype must be "f32" or "f64", got "f16"`},
	} {
		_, _, err := runCLI(t, append([]string{"bench"}, tc.args...)...)
		if assert.Error(t, err, tc.args) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}
