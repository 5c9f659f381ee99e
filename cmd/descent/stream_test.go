package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigCSV writes n rows of 3 features and a target, about 60 bytes a row.
func bigCSV(t *testing.T, n int) string {
	rng := rand.New(rand.NewPCG(1, 1))
	var b strings.Builder
	b.WriteString("a,b,c,y\n")
	for range n {
		a, c, d := rng.NormFloat64(), 5+2*rng.NormFloat64(), rng.Float64()
		fmt.Fprintf(&b, "%.15g,%.15g,%.15g,%.15g\n", a, c, d, 3*a-2*c+d+0.1*rng.NormFloat64())
	}
	return writeFile(t, "big.csv", b.String())
}

func summaryParams(t *testing.T, out string) map[string]any {
	t.Helper()
	var s map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &s), out)
	return s["params"].(map[string]any)
}

// TestConvertAndStream: descent convert writes a row file that trains as
// its CSV does, in memory and streamed; a streamed run in file order ends
// where the run in memory ends; a file above --stream-above is streamed
// by itself, and the headline says so.
func TestConvertAndStream(t *testing.T) {
	csv := bigCSV(t, 20000)
	rows := filepath.Join(t.TempDir(), "big.rows")
	out, _, err := runCLI(t, "convert", "--data", csv, "--out", rows)
	require.NoError(t, err)
	assert.Contains(t, out, "20000 rows")
	args := []string{"--optimizer", "adam", "--lr", "0.05", "--batch-size", "64", "--epochs", "2", "--no-shuffle", "--json", "--quiet"}
	var want map[string]any
	for i, a := range [][]string{{"--data", csv}, {"--data", rows}, {"--data", csv, "--stream"}, {"--data", rows, "--stream"}} {
		out, _, err := runCLI(t, append(append([]string{"train"}, a...), args...)...)
		require.NoError(t, err, a)
		got := summaryParams(t, out)
		if i == 0 {
			want = got
			continue
		}
		assert.Equal(t, want, got, "%v", a)
	}
	out, _, err = runCLI(t, "train", "--data", csv, "--stream-above", "1", "--epochs", "1", "--batch-size", "100", "--quiet")
	require.NoError(t, err)
	assert.Contains(t, out, "linear on big (20000 rows × 3 features, streamed)")
	out, _, err = runCLI(t, "train", "--data", csv, "--epochs", "1", "--batch-size", "100", "--quiet")
	require.NoError(t, err)
	assert.NotContains(t, out, "streamed")
}

// TestStreamCLIErrors: the stream flags and convert refuse what they
// cannot do, saying why.
func TestStreamCLIErrors(t *testing.T) {
	csv := bigCSV(t, 10)
	rows := filepath.Join(t.TempDir(), "x.rows")
	_, _, err := runCLI(t, "convert", "--data", csv, "--out", rows)
	require.NoError(t, err)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "--stream", "--dataset", "iris"}, "--stream reads a file: give --data FILE"},
		{[]string{"train", "--stream", "--data", csv, "--dataset", "iris"}, "--stream reads --data FILE, not a built-in --dataset"},
		{[]string{"train", "--stream", "--data", csv, "--shuffle-buffer", "0"}, "--shuffle-buffer must be in [1, 1048576] MiB, got 0"},
		{[]string{"train", "--data", csv, "--stream-above", "-1"}, "--stream-above must be >= 0, got -1"},
		{[]string{"train", "--stream", "--data", csv, "--batch-size", "11"}, "batch size 11 needs at least 11 rows, the training set has 10"},
		{[]string{"train", "--stream", "--data", filepath.Join(t.TempDir(), "none.csv")}, "no such file"},
		{[]string{"convert", "--data", csv}, "convert needs --data IN.csv and --out OUT.rows"},
		{[]string{"convert", "--data", rows, "--out", rows + "2"}, "is already a row file"},
	} {
		args := c.args
		if args[0] == "train" {
			args = append(args, "--quiet")
		}
		_, _, err := runCLI(t, args...)
		require.Error(t, err, "%v", c.args)
		assert.Contains(t, err.Error(), c.want, "%v", c.args)
	}
	_, err = os.Stat(rows + "2")
	assert.True(t, os.IsNotExist(err))
}
