package data

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/descent-ml/descent/data/internal/synth"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestBuiltinUpToDate checks that the embedded synthetic CSV files are
// exactly what package synth computes. Regenerate them with
// `go generate ./data` or `go test ./data -run TestBuiltinUpToDate -update`.
func TestBuiltinUpToDate(t *testing.T) {
	for name, want := range synth.Files() {
		path := filepath.Join("builtin", name)
		if *update {
			require.NoError(t, os.WriteFile(path, want, 0o644))
		}
		got, err := builtinFS.ReadFile("builtin/" + name)
		require.NoError(t, err, "missing %s: run go generate ./data", path)
		if !*update && !bytes.Equal(got, want) {
			t.Errorf("%s differs from data/internal/synth: run go generate ./data", path)
		}
	}
}

func TestBuiltinShapes(t *testing.T) {
	tests := []struct {
		name     string
		n, d     int
		first    string
		target   string
		classes  int   // 0 for regression
		perClass []int // nil: not checked
	}{
		{"diabetes", 442, 10, "age", "progression", 0, nil},
		{"digits", 1797, 64, "p0", "digit", 10, nil},
		{"iris", 150, 4, "sepal_length", "species", 3, []int{50, 50, 50}},
		{"line", 5, 1, "x", "y", 0, nil},
		{"linear-300", 300, 1, "x", "y", 0, nil},
		{"multi", 50, 3, "x1", "y", 0, nil},
		{"noisy-line", 6, 1, "x", "y", 0, nil},
		{"parabola", 30, 1, "x", "y", 0, nil},
		{"salary", 5, 1, "years", "salary", 0, nil},
	}
	var names []string
	for _, tt := range tests {
		names = append(names, tt.name)
		t.Run(tt.name, func(t *testing.T) {
			d, err := Builtin(tt.name)
			require.NoError(t, err)
			assert.Equal(t, tt.name, d.Name)
			assert.Equal(t, tt.n, d.N)
			assert.Equal(t, tt.d, d.D)
			assert.Len(t, d.X, tt.n*tt.d)
			assert.Len(t, d.Y, tt.n)
			assert.Equal(t, tt.first, d.Features[0])
			assert.Equal(t, tt.target, d.Target)
			if tt.classes > 0 {
				k, err := d.Classes()
				require.NoError(t, err)
				assert.Equal(t, tt.classes, k)
			}
			if tt.perClass != nil {
				count := make([]int, len(tt.perClass))
				for _, y := range d.Y {
					count[int(y)]++
				}
				assert.Equal(t, tt.perClass, count)
			}
		})
	}
	assert.Equal(t, names, BuiltinNames())
}

func TestBuiltinExact(t *testing.T) {
	tests := []struct {
		name string
		x, y []float64
	}{
		{"line", []float64{1, 2, 3, 4, 5}, []float64{3, 5, 7, 9, 11}},
		{"noisy-line", []float64{1, 2, 3, 4, 5, 6}, []float64{3.06286511, 4.93394757, 7.32021133, 9.05245006, 10.73216531, 13.18079753}},
		{"salary", []float64{1, 2, 4, 6, 8}, []float64{40000, 50000, 70000, 90000, 110000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Builtin(tt.name)
			require.NoError(t, err)
			assert.Equal(t, tt.x, d.X)
			assert.Equal(t, tt.y, d.Y)
		})
	}
	d, err := Builtin("linear-300")
	require.NoError(t, err)
	for i := range d.N {
		x := float64(i + 1)
		require.Equal(t, x, d.X[i])
		require.Equal(t, 0.5*x+2, d.Y[i])
	}
}

// lstsq fits y ≈ A·c by least squares and returns c and the residuals'
// population standard deviation.
func lstsq(t *testing.T, A *mat.Dense, y []float64) ([]float64, float64) {
	t.Helper()
	n, p := A.Dims()
	var c mat.VecDense
	require.NoError(t, c.SolveVec(A, mat.NewVecDense(n, y)))
	var r mat.VecDense
	r.MulVec(A, &c)
	r.SubVec(mat.NewVecDense(n, y), &r)
	coef := make([]float64, p)
	for j := range p {
		coef[j] = c.AtVec(j)
	}
	return coef, math.Sqrt(mat.Dot(&r, &r) / float64(n))
}

func TestBuiltinGroundTruth(t *testing.T) {
	p, err := Builtin("parabola")
	require.NoError(t, err)
	assert.Equal(t, -3.0, p.X[0])
	assert.Equal(t, 3.0, p.X[p.N-1])
	A := mat.NewDense(p.N, 3, nil)
	for i, x := range p.X {
		A.SetRow(i, []float64{1, x, x * x})
	}
	c, sd := lstsq(t, A, p.Y)
	// y = 0 + 0·x + 1·x² with σ = 0.5 over 30 points: the standard errors are
	// about 0.14, 0.05 and 0.03, so these bounds are ≳ 3 standard errors.
	assert.InDelta(t, 0, c[0], 0.45)
	assert.InDelta(t, 0, c[1], 0.15)
	assert.InDelta(t, 1, c[2], 0.1)
	assert.InDelta(t, synth.ParabolaSigma, sd, 0.15)

	m, err := Builtin("multi")
	require.NoError(t, err)
	A = mat.NewDense(m.N, 4, nil)
	for i := range m.N {
		A.SetRow(i, append([]float64{1}, m.Row(i)...))
		for _, v := range m.Row(i) {
			assert.True(t, v >= -2 && v <= 2, "row %d feature %v outside [-2,2]", i, v)
		}
	}
	c, sd = lstsq(t, A, m.Y)
	assert.InDeltaSlice(t, []float64{4, 3, -2, 0.5}, c, 0.05)
	assert.Equal(t, []float64{4, 3, -2, 0.5}, synth.MultiCoef[:])
	assert.InDelta(t, synth.MultiSigma, sd, 0.03)
}

func TestBuiltinFreshCopy(t *testing.T) {
	a, err := Builtin("line")
	require.NoError(t, err)
	a.X[0], a.Y[0] = 100, 100
	b, err := Builtin("line")
	require.NoError(t, err)
	assert.Equal(t, 1.0, b.X[0])
	assert.Equal(t, 3.0, b.Y[0])
}

func TestBuiltinUnknown(t *testing.T) {
	const have = "diabetes, digits, iris, line, linear-300, multi, noisy-line, parabola, salary"
	for _, name := range []string{"housing", "", "../builtin/line", "line.csv", "Line"} {
		_, err := Builtin(name)
		assert.EqualError(t, err, `data: unknown built-in dataset "`+name+`" (have: `+have+`)`)
	}
}
