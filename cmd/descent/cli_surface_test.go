package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/models"
)

// isPNG reports whether path holds a PNG file.
func isPNG(t *testing.T, path string) bool {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n"))
}

func TestSurfaceHills(t *testing.T) {
	png := filepath.Join(t.TempDir(), "hills.png")
	out, _, err := runCLI(t, "surface", "--objective", "hills", "--starts", "0.5,0.5; 2,0", "--grad-tol", "1e-6", "--steps", "400", "--plot", png)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 6)
	assert.Equal(t, "hills: f(x, y) = sin(x)·cos(y) + 0.1·(x² + y²)", lines[0])
	assert.Equal(t, "optimizer gd lr 0.1, at most 400 steps from each of 2 starts", lines[1])
	assert.Equal(t, []string{"start", "(x,", "y)", "end", "loss", "at", "end", "steps", "status"}, strings.Fields(lines[2]))
	// Each end is a stationary point of Hills, and the loss printed is f there.
	row := regexp.MustCompile(`^\((\S+), (\S+)\) +\((\S+), (\S+)\) +(\S+) +(\d+) +gradient-tolerance$`)
	for i, want := range [][2]float64{{0.5, 0.5}, {2, 0}} {
		m := row.FindStringSubmatch(lines[3+i])
		require.NotNil(t, m, lines[3+i])
		assert.Equal(t, []string{strconv.FormatFloat(want[0], 'g', -1, 64), strconv.FormatFloat(want[1], 'g', -1, 64)}, m[1:3])
		x, _ := strconv.ParseFloat(m[3], 64)
		y, _ := strconv.ParseFloat(m[4], 64)
		f, _ := strconv.ParseFloat(m[5], 64)
		gx, gy := models.Hills{}.Grad(x, y)
		assert.InDelta(t, 0, gx, 1e-3)
		assert.InDelta(t, 0, gy, 1e-3)
		assert.InDelta(t, models.Hills{}.Eval(x, y), f, 1e-4)
	}
	assert.Equal(t, "plot: "+png, lines[5])
	assert.True(t, isPNG(t, png))
}

func TestSurfaceDataDefaults(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "line.svg")
	out, _, err := runCLI(t, "surface", "--dataset", "line", "--loss", "half-mse", "--lr", "0.05", "--steps", "50", "--plot", svg)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Equal(t, "linear on line (5 rows × 1 feature), loss half-mse, surface over (W, b)", lines[0])
	assert.Equal(t, "optimizer gd lr 0.05, at most 50 steps from each of 5 starts", lines[1])
	assert.True(t, strings.HasPrefix(lines[2], "start (W, b)"))
	assert.True(t, strings.HasPrefix(lines[3], "(0, 0) "), "the first start is the model's initial point: %q", lines[3])
	assert.Len(t, lines, 9)
	st, err := os.Stat(svg)
	require.NoError(t, err)
	assert.Positive(t, st.Size())
}

func TestSurfaceRosenbrockDiverges(t *testing.T) {
	png := filepath.Join(t.TempDir(), "r.png")
	out, _, err := runCLI(t, "surface", "--objective", "rosenbrock", "--lr", "0.1", "--starts", "-1.2,1", "--plot", png)
	require.NoError(t, err, "a diverged path is a row, not an error")
	assert.Regexp(t, `(?m)^\(-1\.2, 1\) +\(\S+, \S+\) +\S+ +\d+ +diverged$`, out)
	assert.True(t, isPNG(t, png))
}

func TestSurfaceErrors(t *testing.T) {
	png := filepath.Join(t.TempDir(), "s.png")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no plot", []string{"--objective", "hills"}, "--plot FILE is required (.png or .svg)"},
		{"plot extension", []string{"--objective", "hills", "--plot", "s.jpg"}, "--plot s.jpg: the picture must be .png or .svg"},
		{"nothing to descend", []string{"--plot", png}, "--objective NAME, --dataset NAME or --data FILE is required"},
		{"objective and data", []string{"--objective", "hills", "--dataset", "line", "--plot", png}, "give --objective or --data/--dataset, not both"},
		{"unknown objective", []string{"--objective", "ackley", "--plot", png}, `--objective must be one of beale, bowl, hills, rosenbrock, saddle, got "ackley"`},
		{"model with objective", []string{"--objective", "hills", "--model", "poly:1", "--plot", png}, "--model applies to a data surface, not to --objective"},
		{"three parameters", []string{"--dataset", "parabola", "--model", "poly:2", "--plot", png},
			"--model poly:2 on parabola: job: a loss surface needs a model with exactly 2 parameter values, this one has 3 (W[0], W[1], b)"},
		{"four parameters", []string{"--dataset", "multi", "--plot", png},
			"--model linear on multi: job: a loss surface needs a model with exactly 2 parameter values, this one has 4 (W[0], W[1], W[2], b)"},
		{"start without comma", []string{"--objective", "hills", "--starts", "0,0;1", "--plot", png}, `--starts must be "x,y" points separated by ";", got "1" (point 2 of "0,0;1")`},
		{"start with three values", []string{"--objective", "hills", "--starts", "1,2,3", "--plot", png}, `--starts must be "x,y" points separated by ";", got "1,2,3" (point 1 of "1,2,3")`},
		{"start not a number", []string{"--objective", "hills", "--starts", "a,1", "--plot", png}, `--starts must be "x,y" points separated by ";", got "a,1" (point 1 of "a,1")`},
		{"empty start", []string{"--objective", "hills", "--starts", "0,0;", "--plot", png}, `--starts must be "x,y" points separated by ";", got "" (point 2 of "0,0;")`},
		{"non-finite start", []string{"--objective", "hills", "--starts", "inf,0", "--plot", png}, `--starts must be "x,y" points separated by ";", got "inf,0" (point 1 of "inf,0")`},
		{"xrange order", []string{"--objective", "hills", "--xrange", "3,1", "--plot", png}, `--xrange must be two numbers a,b with a < b, got "3,1"`},
		{"yrange syntax", []string{"--objective", "hills", "--yrange", "1", "--plot", png}, `--yrange must be two numbers a,b with a < b, got "1"`},
		{"steps", []string{"--objective", "hills", "--steps", "0", "--plot", png}, "--steps must be >= 1, got 0"},
		{"tol", []string{"--objective", "hills", "--tol", "-1", "--plot", png}, "--tol must be a finite number >= 0, got -1"},
		{"grad-tol", []string{"--objective", "hills", "--grad-tol", "-1", "--plot", png}, "--grad-tol must be a finite number >= 0, got -1"},
		{"lr", []string{"--objective", "hills", "--lr", "-0.1", "--plot", png}, "optimizers: lr must be > 0, got -0.1"},
		{"unknown dataset", []string{"--dataset", "nosuch", "--plot", png}, `data: unknown built-in dataset "nosuch"`},
		{"huge steps", []string{"--objective", "hills", "--steps", "2000000000", "--plot", png}, "--steps must be in [1, 1000000], got 2000000000"},
		{"cond off the bowl", []string{"--objective", "hills", "--cond", "10", "--plot", png}, "--cond applies to --objective bowl only"},
		{"cond range", []string{"--objective", "bowl", "--cond", "0.5", "--plot", png}, "--cond must be in [1, 1e6], got 0.5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runCLI(t, append([]string{"surface"}, c.args...)...)
			require.Error(t, err)
			if strings.HasPrefix(c.want, "data: unknown") {
				assert.True(t, strings.HasPrefix(err.Error(), c.want), "got %q", err)
				return
			}
			assert.EqualError(t, err, c.want)
		})
	}
	_, err := os.Stat(png)
	assert.True(t, os.IsNotExist(err), "no picture is written on an error")
}
