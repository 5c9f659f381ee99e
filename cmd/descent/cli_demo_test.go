package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/demo"
)

// The -update flag may be declared by another test file of this package;
// declare it here only if none has, and read it through flag.Lookup.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// checkGolden compares got with testdata/name, or rewrites it under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updateGolden() {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./cmd/descent -run %s -update", t.Name())
	assert.Equal(t, string(want), got)
}

// TestDemoGolden runs each demo through the CLI and compares its text
// with testdata/demo_<name>.golden; the long ones are skipped under -short.
func TestDemoGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
		long bool
	}{{name: "tour", args: []string{"demo"}}}
	for _, d := range demo.All() {
		cases = append(cases, struct {
			name string
			args []string
			long bool
		}{d.Name, []string{"demo", d.Name}, d.Long})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.long && testing.Short() {
				t.Skip("long demo: skipped under -short")
			}
			out, stderr, err := runCLI(t, c.args...)
			require.NoError(t, err)
			assert.Empty(t, stderr)
			checkGolden(t, "demo_"+c.name+".golden", out)
		})
	}
}

func TestDemoList(t *testing.T) {
	out, _, err := runCLI(t, "demo", "--list")
	require.NoError(t, err)
	checkGolden(t, "demo_list.golden", out)
}

func TestDemoPlots(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pictures")
	out, _, err := runCLI(t, "demo", "lr-sensitivity", "--plots", dir, "--timings")
	require.NoError(t, err)
	path := filepath.Join(dir, "lr-sensitivity.png")
	assert.Contains(t, out, "plot: "+path+"\n")
	assert.Regexp(t, `(?m)^time: \S+$`, out)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")))
}

func TestDemoErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown demo", []string{"demo", "mnist"}, `demo: unknown demo "mnist" (have: line, salary, noisy-line, multi, linear-300, parabola, hills, lr-sensitivity, batch-vs-sgd-vs-minibatch, digits-mlp)`},
		{"two names", []string{"demo", "line", "hills"}, "accepts at most 1 arg(s), received 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runCLI(t, c.args...)
			assert.EqualError(t, err, c.want)
		})
	}
}
