// Package synth computes Descent's synthetic built-in datasets.
//
// Files returns the exact bytes of every synthetic CSV under data/builtin/.
// The go:generate program in data/internal/gen writes them, and a test in
// package data checks that the embedded copies still match, so the committed
// files are always reproducible from this code.
//
// The noise comes from a PCG generator (math/rand/v2's PCG, whose algorithm
// is fixed) fed through a Box–Muller transform written here, so the files do
// not depend on how a Go release implements Rand.NormFloat64.
package synth

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
)

// Seeds of the noisy datasets. Changing one changes the committed files.
const (
	ParabolaSeed = 1
	MultiSeed    = 2
)

// MultiCoef is the ground truth of "multi": y = b + w·x + noise, with
// intercept MultiCoef[0] and weights MultiCoef[1:].
var MultiCoef = [4]float64{4, 3, -2, 0.5}

// Noise standard deviations of "parabola" and "multi".
const (
	ParabolaSigma = 0.5
	MultiSigma    = 0.1
)

// Files returns the synthetic datasets as file name → CSV bytes.
func Files() map[string][]byte {
	return map[string][]byte{
		"line.csv":       line(),
		"noisy-line.csv": noisyLine(),
		"salary.csv":     salary(),
		"linear-300.csv": linear300(),
		"parabola.csv":   parabola(),
		"multi.csv":      multi(),
	}
}

// line: x = 1..5, y = 2x + 1.
func line() []byte {
	t := newTable("x", "y")
	for x := 1.0; x <= 5; x++ {
		t.row(g(x), g(2*x+1))
	}
	return t.bytes()
}

// noisyLine: x = 1..6 with fixed noisy values near y = 2x + 1.
func noisyLine() []byte {
	ys := []string{"3.06286511", "4.93394757", "7.32021133", "9.05245006", "10.73216531", "13.18079753"}
	t := newTable("x", "y")
	for i, y := range ys {
		t.row(strconv.Itoa(i+1), y)
	}
	return t.bytes()
}

// salary: years of experience → salary.
func salary() []byte {
	t := newTable("years", "salary")
	years := []int{1, 2, 4, 6, 8}
	pay := []int{40000, 50000, 70000, 90000, 110000}
	for i := range years {
		t.row(strconv.Itoa(years[i]), strconv.Itoa(pay[i]))
	}
	return t.bytes()
}

// linear300: x = 1..300, y = 0.5x + 2.
func linear300() []byte {
	t := newTable("x", "y")
	for x := 1.0; x <= 300; x++ {
		t.row(g(x), g(0.5*x+2))
	}
	return t.bytes()
}

// parabola: 30 evenly spaced x in [-3, 3], y = x² + N(0, ParabolaSigma²),
// both written with 4 decimals; x is rounded before y is computed.
func parabola() []byte {
	n := newNormal(ParabolaSeed)
	t := newTable("x", "y")
	const m = 30
	for i := range m {
		x := round(-3+6*float64(i)/(m-1), 4)
		y := x*x + ParabolaSigma*n.next()
		t.row(f(x, 4), f(y, 4))
	}
	return t.bytes()
}

// multi: 50 rows with x1, x2, x3 uniform on [-2, 2] (3 decimals) and
// y = 4 + 3·x1 − 2·x2 + 0.5·x3 + N(0, MultiSigma²) (4 decimals).
func multi() []byte {
	n := newNormal(MultiSeed)
	t := newTable("x1", "x2", "x3", "y")
	for range 50 {
		var x [3]float64
		y := MultiCoef[0]
		for j := range x {
			x[j] = round(-2+4*n.uniform(), 3)
			y += MultiCoef[j+1] * x[j]
		}
		y += MultiSigma * n.next()
		t.row(f(x[0], 3), f(x[1], 3), f(x[2], 3), f(y, 4))
	}
	return t.bytes()
}

// normal draws standard normal variates by the Box–Muller transform.
type normal struct {
	src   *rand.PCG
	spare float64
	has   bool
}

func newNormal(seed uint64) *normal {
	return &normal{src: rand.NewPCG(seed, 0x9e3779b97f4a7c15)}
}

// uniform returns a value in [0, 1) with 53 random bits.
func (n *normal) uniform() float64 {
	return float64(n.src.Uint64()>>11) / (1 << 53)
}

func (n *normal) next() float64 {
	if n.has {
		n.has = false
		return n.spare
	}
	u1 := 1 - n.uniform() // (0, 1]: log is finite
	u2 := n.uniform()
	r := math.Sqrt(-2 * math.Log(u1))
	n.spare, n.has = r*math.Sin(2*math.Pi*u2), true
	return r * math.Cos(2*math.Pi*u2)
}

type table struct{ b bytes.Buffer }

func newTable(cols ...string) *table {
	t := &table{}
	t.row(cols...)
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		if i > 0 {
			t.b.WriteByte(',')
		}
		t.b.WriteString(c)
	}
	t.b.WriteByte('\n')
}

func (t *table) bytes() []byte { return t.b.Bytes() }

func g(v float64) string        { return strconv.FormatFloat(v, 'g', -1, 64) }
func f(v float64, p int) string { return strconv.FormatFloat(v, 'f', p, 64) }

func round(v float64, p int) float64 {
	s := math.Pow(10, float64(p))
	return math.Round(v*s) / s
}
