package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI runs the command line in-process and returns stdout, stderr and
// the error main would print as "descent: <err>".
func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

func TestTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		return p
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"empty file", []string{"--data", bad("empty.csv", "")}, "empty.csv: empty file"},
		{"missing header", []string{"--data", bad("nohead.csv", "1,2\n3,4\n")}, `nohead.csv:1: missing header row (first row is numeric: "1,2")`},
		{"ragged row", []string{"--data", bad("ragged.csv", "x,y\n1,2\n3\n")}, "ragged.csv:3: row has 1 columns, header has 2"},
		{"non-numeric cell", []string{"--data", bad("text.csv", "x,y\n1,2\nabc,4\n")}, `text.csv:3:1: non-numeric cell "abc" in column "x"`},
		{"NaN cell", []string{"--data", bad("nan.csv", "x,y\n1,NaN\n")}, `nan.csv:2:2: non-finite value "NaN" in column "y"`},
		{"Inf cell", []string{"--data", bad("inf.csv", "x,y\n+Inf,1\n")}, `inf.csv:2:1: non-finite value "+Inf" in column "x"`},
		{"unknown target", []string{"--data", bad("t.csv", "x,y\n1,2\n"), "--target", "price"}, `unknown target column "price" (columns: x, y)`},
		{"batch larger than data", []string{"--dataset", "line", "--batch-size", "6"}, "--batch-size must be <= the 5 rows of line, got 6"},
		{"labels not 0..k-1", []string{"--data", bad("lab.csv", "x,label\n1,0\n2,1.5\n"), "--model", "logistic"}, `lab.csv:3: class label in column "label" must be an integer`},
		{"bce with 3 classes", []string{"--dataset", "iris", "--model", "logistic"}, "bce needs labels 0 and 1"},
		{"unknown model", []string{"--model", "tree"}, `unknown model "tree"`},
		{"unknown loss", []string{"--loss", "hinge"}, `unknown loss "hinge"`},
		{"unknown dataset", []string{"--dataset", "nosuch"}, `nosuch`},
		{"both data and dataset", []string{"--data", "x.csv", "--dataset", "line"}, "give --data or --dataset, not both"},
		{"missing file", []string{"--data", filepath.Join(dir, "nope.csv")}, "nope.csv: no such file"},
		{"epochs", []string{"--epochs", "0"}, "--epochs must be in [1, 1125899906842624], got 0"},
		{"batch size", []string{"--batch-size", "-1"}, "--batch-size must be >= 0, got -1"},
		{"val split", []string{"--val-split", "1"}, "--val-split must be in [0,1), got 1"},
		{"patience without val", []string{"--patience", "3"}, "--patience must be used with --val-split or a validation set, got 3"},
		{"tol", []string{"--tol", "-1"}, "--tol must be a finite number >= 0, got -1"},
		{"delta", []string{"--delta", "0"}, "--delta must be a finite number > 0, got 0"},
		{"lr", []string{"--lr", "-0.1"}, "optimizers: lr must be > 0, got -0.1"},
		{"beta1", []string{"--optimizer", "adam", "--beta1", "1.2"}, "optimizers: beta1 must be in [0,1), got 1.2"},
		{"eps", []string{"--optimizer", "adam", "--eps", "0"}, "optimizers: eps must be > 0, got 0"},
		{"option for another optimizer", []string{"--beta1", "0.5"}, "optimizers: option beta1 does not apply to gd"},
		{"nesterov dampening", []string{"--optimizer", "nesterov", "--dampening", "0.5"}, "nesterov momentum needs dampening 0, got 0.5"},
		{"schedule", []string{"--schedule", "step:x"}, `schedule "step:x"`},
		{"show-trace on big model", []string{"--dataset", "digits", "--model", "softmax", "--show-trace", "3", "--epochs", "1"}, "--show-trace needs a model with at most 8 parameter values"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runCLI(t, append([]string{"train", "--quiet"}, c.args...)...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, err.Error(), "goroutine", "no stack traces")
		})
	}
}

func TestTrainLineAndPredict(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.json")
	out, _, err := runCLI(t, "train", "--dataset", "line", "--loss", "half-mse", "--lr", "0.05", "--epochs", "3000", "--out", model, "--json")
	require.NoError(t, err)
	var s map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &s))
	assert.Equal(t, "max-epochs", s["status"])
	assert.InDelta(t, 1, s["metrics"].(map[string]any)["r2"], 1e-12)
	params := s["params"].(map[string]any)
	assert.InDelta(t, 2, params["W"].([]any)[0], 1e-9)
	assert.InDelta(t, 1, params["b"].([]any)[0], 1e-9)

	newData := writeFile(t, "new.csv", "x\n10\n-1\n")
	pred, _, err := runCLI(t, "predict", "--model", model, "--data", newData)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(pred), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, "prediction", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "21") || strings.HasPrefix(lines[1], "20.99999"), lines[1])

	_, _, err = runCLI(t, "predict", "--model", model, "--data", writeFile(t, "other.csv", "z\n1\n"))
	assert.ErrorContains(t, err, `has no column "x" (columns: z)`)
}

func TestTrainStandardizedModelFileAndInitShapes(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "salary.json")
	_, _, err := runCLI(t, "train", "--dataset", "salary", "--standardize", "--lr", "0.1", "--epochs", "500", "--out", model, "--quiet")
	require.NoError(t, err)
	b, err := os.ReadFile(model)
	require.NoError(t, err)
	var f map[string]any
	require.NoError(t, json.Unmarshal(b, &f))
	st := f["standardize"].(map[string]any)
	assert.InDelta(t, 4.2, st["mean"].([]any)[0], 1e-12)
	// Predicting 4.2 years, the mean, gives the mean salary 72000.
	pred, _, err := runCLI(t, "predict", "--model", model, "--data", writeFile(t, "q.csv", "years\n4.2\n"))
	require.NoError(t, err)
	v, err := strconv.ParseFloat(strings.Split(strings.TrimSpace(pred), "\n")[1], 64)
	require.NoError(t, err)
	assert.InDelta(t, 72000, v, 1e-6)

	// The model file's columns are looked up by name; a missing one is named.
	_, _, err = runCLI(t, "train", "--dataset", "multi", "--init", model, "--quiet")
	assert.ErrorContains(t, err, `job: the model file was trained on columns years: data: multi.csv has no column "years" (columns: x1, x2, x3)`)
	_, _, err = runCLI(t, "train", "--dataset", "salary", "--model", "poly:2", "--init", model, "--quiet")
	assert.ErrorContains(t, err, `job: the model file holds model "linear", not "poly:2"`)
}

func TestTrainDivergesKeepsFiniteModel(t *testing.T) {
	model := filepath.Join(t.TempDir(), "d.json")
	out, _, err := runCLI(t, "train", "--dataset", "linear-300", "--lr", "0.01", "--epochs", "1000", "--out", model, "--quiet")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "training diverged at epoch")
	assert.Contains(t, err.Error(), "e.g. --lr 0.001")
	assert.Contains(t, out, "kept the last finite parameters")
	b, rerr := os.ReadFile(model)
	require.NoError(t, rerr)
	assert.NotContains(t, string(b), "NaN")
	assert.NotContains(t, string(b), "Inf")
}

func TestTrainTraceTableAndFiles(t *testing.T) {
	dir := t.TempDir()
	trace, png := filepath.Join(dir, "t.csv"), filepath.Join(dir, "loss.png")
	out, _, err := runCLI(t, "train", "--dataset", "line", "--epochs", "3", "--show-trace", "2", "--trace", trace, "--plot", png)
	require.NoError(t, err)
	// First step from W = b = 0 under mse: ∇W = −50, ∇b = −14 (by hand).
	assert.Contains(t, out, "-50")
	assert.Contains(t, out, "-14")
	csv, err := os.ReadFile(trace)
	require.NoError(t, err)
	assert.Equal(t, "epoch,step,loss,grad_norm,lr,W,b,dJ/dW,dJ/db", strings.Split(string(csv), "\n")[0])
	assert.Len(t, strings.Split(strings.TrimSpace(string(csv)), "\n"), 4)
	st, err := os.Stat(png)
	require.NoError(t, err)
	assert.Greater(t, st.Size(), int64(1000))
}

func TestResumeFromCheckpointMatchesUninterrupted(t *testing.T) {
	dir := t.TempDir()
	full, half := filepath.Join(dir, "full.json"), filepath.Join(dir, "half.json")
	args := []string{"train", "--dataset", "multi", "--optimizer", "adam", "--lr", "0.05", "--batch-size", "8", "--seed", "3", "--quiet"}
	_, _, err := runCLI(t, append(args, "--epochs", "10", "--out", full)...)
	require.NoError(t, err)
	_, _, err = runCLI(t, append(args, "--epochs", "4", "--out", half)...)
	require.NoError(t, err)
	resumed := filepath.Join(dir, "resumed.json")
	_, _, err = runCLI(t, append(args, "--epochs", "10", "--init", half, "--out", resumed)...)
	require.NoError(t, err)
	a, b := readParams(t, full), readParams(t, resumed)
	assert.Equal(t, a, b, "resumed training must follow the uninterrupted trajectory bit for bit")
}

func readParams(t *testing.T, path string) map[string]any {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var f map[string]any
	require.NoError(t, json.Unmarshal(b, &f))
	return f["params"].(map[string]any)
}

func TestGradcheckCommand(t *testing.T) {
	out, _, err := runCLI(t, "gradcheck", "--json")
	require.NoError(t, err)
	var rows []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	assert.GreaterOrEqual(t, len(rows), 30)
	_, _, err = runCLI(t, "gradcheck", "--rows", "0")
	assert.EqualError(t, err, "--rows must be in [1, 10000], got 0")
	_, _, err = runCLI(t, "gradcheck", "--rows", "1000000000")
	assert.EqualError(t, err, "--rows must be in [1, 10000], got 1000000000")
}

func TestOptimizersCommand(t *testing.T) {
	out, _, err := runCLI(t, "optimizers")
	require.NoError(t, err)
	for _, name := range []string{"gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"} {
		assert.Contains(t, out, "\n"+name+" ")
	}
}

// Ctrl-C cancels the command's context (interruptible in main); the
// run stops between steps and writes a checkpoint that --init resumes.
func TestInterruptWritesCheckpoint(t *testing.T) {
	dir := t.TempDir()
	ckpt := filepath.Join(dir, "ckpt.json")
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs([]string{"train", "--dataset", "multi", "--optimizer", "adam", "--epochs", "50", "--out", ckpt, "--quiet"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, root.ExecuteContext(ctx), errInterrupted)
	assert.Contains(t, errb.String(), "interrupted at epoch 1, step 0; checkpoint saved to "+ckpt)
	assert.Contains(t, out.String(), "stopped:   interrupted")
	b, err := os.ReadFile(ckpt)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"optimizer": {`)
	_, _, err = runCLI(t, "train", "--dataset", "multi", "--optimizer", "adam", "--epochs", "50", "--init", ckpt, "--quiet")
	assert.NoError(t, err)
}

// TestPlotOfAFlatCurveEnds is the reproduction of a plot that spun
// forever: a resumed run whose loss curve spans a few ulps.
func TestPlotOfAFlatCurveEnds(t *testing.T) {
	dir := t.TempDir()
	c, d := filepath.Join(dir, "c.json"), filepath.Join(dir, "d.png")
	_, _, err := runCLI(t, "train", "--dataset", "diabetes", "--standardize", "--lr", "0.05", "--epochs", "20000", "--out", c, "--quiet")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, _, err := runCLI(t, "train", "--dataset", "diabetes", "--standardize", "--lr", "0.05", "--init", c, "--epochs", "20002", "--plot", d, "--quiet")
		done <- err
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(2 * time.Minute):
		t.Fatal("the plot of a curve a few ulps tall did not finish")
	}
	st, err := os.Stat(d)
	require.NoError(t, err)
	assert.Greater(t, st.Size(), int64(1000))
}

// TestOutputsFollowLinksAndDevices: --out through a symlink replaces the
// link's target and keeps the link; --trace to a device writes it
// directly; a bad output path fails before any training.
func TestOutputsFollowLinksAndDevices(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "model.json")
	require.NoError(t, os.WriteFile(target, []byte("old"), 0o640))
	link := filepath.Join(dir, "link.json")
	require.NoError(t, os.Symlink("model.json", link))
	_, _, err := runCLI(t, "train", "--dataset", "line", "--epochs", "3", "--out", link, "--trace", "/dev/null", "--quiet")
	require.NoError(t, err)
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSymlink, "the link is still a link")
	b, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"descent-model"`)
	st, err := os.Stat(target)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), st.Mode().Perm(), "the target keeps its mode")
	fi, err = os.Stat("/dev/null")
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeDevice, "/dev/null is still a device")

	start := time.Now()
	_, _, err = runCLI(t, "train", "--dataset", "linear-300", "--epochs", "100000000", "--out", filepath.Join(dir, "nope", "x.json"), "--quiet")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--out "+filepath.Join(dir, "nope", "x.json")+": directory "+filepath.Join(dir, "nope")+" does not exist")
	_, _, err = runCLI(t, "train", "--dataset", "line", "--plot", filepath.Join(dir, "loss.pdf"))
	assert.ErrorContains(t, err, "the picture must be .png or .svg")
	assert.Less(t, time.Since(start), 5*time.Second, "checked before training")
}

// TestInitFromATorchStateDict fine-tunes a network PyTorch trained: the
// safetensors state_dict holds weights only, --model gives the
// architecture, and a mismatch names the tensor.
func TestInitFromATorchStateDict(t *testing.T) {
	sd := "../../modelfile/testdata/torch/cnn_f64.safetensors"
	arch := "conv2d(4,3,padding=1) batchnorm2d relu maxpool2d(2) flatten linear(16) gelu linear(10)"
	out := filepath.Join(t.TempDir(), "tuned.safetensors")
	stdout, _, err := runCLI(t, "train", "--dataset", "digits", "--init", sd, "--model", arch, "--optimizer", "adam", "--lr", "0.01",
		"--batch-size", "64", "--epochs", "2", "--standardize", "--out", out, "--quiet")
	require.NoError(t, err)
	assert.Contains(t, stdout, "accuracy:")
	_, _, err = runCLI(t, "predict", "--model", out, "--dataset", "digits", "--evaluate")
	require.NoError(t, err)
	_, _, err = runCLI(t, "train", "--dataset", "digits", "--init", sd, "--quiet")
	assert.ErrorContains(t, err, "holds weights only (a state_dict): give the architecture with --model")
	_, _, err = runCLI(t, "train", "--dataset", "digits", "--init", sd, "--model", "conv2d(4,3,padding=1) relu maxpool2d(2) flatten linear(16) gelu linear(10)", "--quiet")
	assert.ErrorContains(t, err, "1.num_batches_tracked")
}

// TestGradcheckUserModel: gradcheck checks one model of the user's, from a
// spec or a model file (a trained model's architecture), and names what
// is wrong with its flags.
func TestGradcheckUserModel(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "m.json")
	_, _, err := runCLI(t, "train", "--dataset", "iris", "--model", "linear(5) gelu linear(3)", "--epochs", "2", "--out", file)
	require.NoError(t, err)
	for _, c := range []struct {
		args []string
		want string // a row's model name, or the error
		ok   bool
	}{
		{[]string{"--model", "conv2d(2,3,padding=1) relu maxpool2d(2) flatten linear(3)", "--input-shape", "1,4,4", "--loss", "xent"}, "conv2d(2,3,padding=1) relu maxpool2d(2) flatten linear(3)", true},
		{[]string{"--model", "mlp:5", "--features", "3", "--outputs", "2"}, "mlp:5", true},
		{[]string{"--model", "embedding(7,3) flatten linear(3)", "--ids", "7", "--loss", "xent"}, "embedding(7,3) flatten linear(3)", true},
		{[]string{"--model-file", file}, file, true},
		{[]string{"--model", "linear(3)", "--model-file", file}, "give --model or --model-file, not both", false},
		{[]string{"--model-file", file, "--loss", "mse"}, "--loss goes with --model; a model file gives its own", false},
		{[]string{"--model", "flatten linear(3)", "--input-shape", "1,200,200"}, "--input-shape must be in [1, 10000] values a row, got 40000", false},
		{[]string{"--model", "linear(3)", "--outputs", "0"}, "--outputs must be in [1, 10000], got 0", false},
		{[]string{"--ids", "3"}, "--ids goes with --model or --model-file", false},
		{[]string{"--model", "linear(3", "--features", "2"}, `nn: "linear(3": column 9: missing ')' after the arguments of linear`, false},
	} {
		out, _, err := runCLI(t, append([]string{"gradcheck", "--json"}, c.args...)...)
		if !c.ok {
			assert.EqualError(t, err, c.want, c.args)
			continue
		}
		require.NoError(t, err, c.args)
		var rows []map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &rows))
		require.Len(t, rows, 2, c.args)
		for _, r := range rows {
			assert.Equal(t, c.want, r["model"])
			assert.Equal(t, true, r["pass"])
		}
	}
}

// TestMetricsAndHonestSummaries checks what issue 8 asked of the
// summaries: a confusion matrix, predict's evaluation (accuracy, or R² and
// RMSE), the per-epoch history in --json, predict's errors not prefixed
// "train:", and surface's default lr taken from the curvature, so that the
// default run does not diverge.
func TestMetricsAndHonestSummaries(t *testing.T) {
	dir := t.TempDir()
	iris, sal := filepath.Join(dir, "iris.json"), filepath.Join(dir, "sal.json")
	for _, c := range []struct {
		name string
		args []string
		want []string // in stdout
		not  []string
	}{
		{"confusion", []string{"train", "--dataset", "iris", "--model", "softmax", "--epochs", "50", "--confusion", "--out", iris},
			[]string{"confusion matrix (training rows; true class down, predicted across)", " true\\pred", "recall"}, nil},
		{"evaluate a classifier", []string{"predict", "--model", iris, "--dataset", "iris", "--evaluate"},
			[]string{`scored on 150 rows against "species"`, "accuracy:"}, []string{"R²"}},
		{"train a regression", []string{"train", "--dataset", "salary", "--standardize", "--epochs", "30", "--out", sal}, []string{"R²:"}, nil},
		{"evaluate a regression", []string{"predict", "--model", sal, "--dataset", "salary", "--evaluate"},
			[]string{`scored on 5 rows against "salary"`, "R²:", "RMSE:"}, []string{"accuracy"}},
		{"surface's lr from the curvature", []string{"surface", "--dataset", "linear-300", "--plot", filepath.Join(dir, "s.png")},
			[]string{"from the loss's curvature", "max-epochs"}, []string{"diverged"}},
	} {
		out, _, err := runCLI(t, c.args...)
		require.NoError(t, err, c.name)
		for _, w := range c.want {
			assert.Contains(t, out, w, c.name)
		}
		for _, w := range c.not {
			assert.NotContains(t, out, w, c.name)
		}
	}
	out, _, err := runCLI(t, "train", "--dataset", "salary", "--epochs", "5", "--json")
	require.NoError(t, err)
	var res struct {
		History struct {
			Epoch []int     `json:"epoch"`
			Loss  []float64 `json:"loss"`
		} `json:"history"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	assert.Equal(t, []int{1, 2, 3, 4, 5}, res.History.Epoch)
	assert.Len(t, res.History.Loss, 5)
	_, _, err = runCLI(t, "predict", "--model", filepath.Join(dir, "missing.json"), "--dataset", "salary")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "train:")
	assert.Contains(t, err.Error(), "missing.json")
}
