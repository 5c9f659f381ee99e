package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/descent-ml/descent/internal/gemm"
)

// GemmShape is one matrix product C = op(A)·op(B), op(A) m×k and op(B)
// k×n; TransA and TransB say A and B are stored transposed.
type GemmShape struct {
	Name           string
	M, N, K        int
	TransA, TransB bool
}

// GemmTargets are issue 10's products: Descent's GEMM must reach 70% of
// NumPy's GFLOPS on each, in float32 and float64.
var GemmTargets = []string{"1000x1000x1000", "128x64.64x128", "128x784.784x256"}

// GemmTargetRatio is the ratio to NumPy's GFLOPS a target product must reach.
const GemmTargetRatio = 0.70

// gemmShapes are the products RunGemm knows by name: the targets, then
// the small and skinny ones a network's step issues (as internal/gemm's
// BenchmarkGemm and bench/peers/numpy_gemm.py list them).
var gemmShapes = []GemmShape{
	{Name: "1000x1000x1000", M: 1000, N: 1000, K: 1000},
	{Name: "128x64.64x128", M: 128, N: 128, K: 64},
	{Name: "128x784.784x256", M: 128, N: 256, K: 784},
	{Name: "128x64.64x10", M: 128, N: 10, K: 64},
	{Name: "64x128T.128x10", M: 64, N: 10, K: 128, TransA: true},
	{Name: "128x10.64x10T", M: 128, N: 64, K: 10, TransB: true},
	{Name: "16x16x16", M: 16, N: 16, K: 16},
}

// GemmShapes lists the products RunGemm knows by name.
func GemmShapes() []string {
	names := make([]string, len(gemmShapes))
	for i, s := range gemmShapes {
		names[i] = s.Name
	}
	return names
}

// ParseGemmShape reads a product's name: one of GemmShapes, "N" for an
// N×N·N×N product, or "MxK.KxN" for op(A) m×k times op(B) k×n, either
// factor followed by T when it is stored transposed ("64x128T.128x10").
func ParseGemmShape(name string) (GemmShape, error) {
	for _, s := range gemmShapes {
		if s.Name == name {
			return s, nil
		}
	}
	bad := func(why string) (GemmShape, error) {
		return GemmShape{}, fmt.Errorf("bench: product %q: %s (want N, MxK.KxN with an optional T after a factor, or one of %s)", name, why, strings.Join(GemmShapes(), ", "))
	}
	if v, err := strconv.Atoi(name); err == nil {
		if v < 1 || v > 1<<14 {
			return bad("a size must be in [1, 16384]")
		}
		return GemmShape{Name: name, M: v, N: v, K: v}, nil
	}
	a, b, ok := strings.Cut(name, ".")
	if !ok {
		return bad("no '.' between the two factors")
	}
	ta, tb := strings.HasSuffix(a, "T"), strings.HasSuffix(b, "T")
	da, err1 := parseDims(strings.TrimSuffix(a, "T"), 2)
	db, err2 := parseDims(strings.TrimSuffix(b, "T"), 2)
	if err1 != nil || err2 != nil {
		return bad("each factor must be RxC")
	}
	if da[1] != db[0] {
		return bad(fmt.Sprintf("inner sizes %d and %d differ", da[1], db[0]))
	}
	for _, v := range append(da, db[1]) {
		if v > 1<<14 {
			return bad("a size must be in [1, 16384]")
		}
	}
	return GemmShape{Name: name, M: da[0], K: da[1], N: db[1], TransA: ta, TransB: tb}, nil
}

// GemmOptions configures RunGemm. The zero value measures GemmTargets in
// float32 and float64 for at least 0.3 s per figure, 3 rounds, on every
// core, with NumPy when an interpreter has it.
type GemmOptions struct {
	// Shapes names the products (ParseGemmShape); empty is GemmTargets.
	Shapes []string
	// Dtypes are "f32" and "f64"; empty is both.
	Dtypes []string
	// MinTime is how long each figure is timed per round; 0 is 300 ms.
	MinTime time.Duration
	// Rounds alternates Descent and NumPy this many times and keeps each
	// one's best figure; 0 is 3.
	Rounds int
	// NoPeers leaves NumPy out.
	NoPeers bool
	// Python is the interpreter for NumPy, as Options.Python.
	Python string
	// Threads bounds both sides' threads (gemm.SetThreads,
	// OPENBLAS_NUM_THREADS); 0 is runtime.NumCPU().
	Threads int
	// Progress, when not nil, gets a line as each round starts.
	Progress io.Writer
}

// GemmRow is one product in one element type.
type GemmRow struct {
	Dtype string `json:"dtype"`
	Shape string `json:"shape"`
	M     int    `json:"m"`
	N     int    `json:"n"`
	K     int    `json:"k"`
	// Descent and NumPy are the best GFLOPS (2·m·n·k per second, wall
	// clock) of any round; the runs are every round's figure.
	Descent     float64   `json:"descent_gflops"`
	NumPy       float64   `json:"numpy_gflops,omitempty"`
	DescentRuns []float64 `json:"descent_runs"`
	NumPyRuns   []float64 `json:"numpy_runs,omitempty"`
	// Ratio is Descent ÷ NumPy (0 without NumPy); Target marks issue 10's
	// products, which need Ratio ≥ GemmTargetRatio.
	Ratio  float64 `json:"ratio,omitempty"`
	Target bool    `json:"target"`
}

// Met reports whether a target product reached GemmTargetRatio.
func (r GemmRow) Met() bool { return r.Target && r.Ratio >= GemmTargetRatio }

// GemmTable is RunGemm's result.
type GemmTable struct {
	Machine string
	// NumPy is the peer's version and BLAS, or why it did not run.
	NumPy   string
	Rounds  int
	Threads int
	MinTime time.Duration
	Rows    []GemmRow
}

// RunGemm times Descent's GEMM (internal/gemm, in this process) and
// NumPy's matmul (bench/peers/numpy_gemm.py) on the same products, in
// alternating rounds, writes the table to w and returns it.
func RunGemm(ctx context.Context, opt GemmOptions, w io.Writer) (*GemmTable, error) {
	if opt.MinTime == 0 {
		opt.MinTime = 300 * time.Millisecond
	}
	if opt.Rounds == 0 {
		opt.Rounds = 3
	}
	if opt.Threads == 0 {
		opt.Threads = runtime.NumCPU()
	}
	switch {
	case opt.MinTime < 0:
		return nil, fmt.Errorf("bench: min time must be ≥ 0, got %v", opt.MinTime)
	case opt.Rounds < 0:
		return nil, fmt.Errorf("bench: rounds must be ≥ 0, got %d", opt.Rounds)
	case opt.Threads < 0:
		return nil, fmt.Errorf("bench: threads must be ≥ 0, got %d", opt.Threads)
	}
	names := opt.Shapes
	if len(names) == 0 {
		names = GemmTargets
	}
	var shapes []GemmShape
	for _, n := range names {
		s, err := ParseGemmShape(n)
		if err != nil {
			return nil, err
		}
		shapes = append(shapes, s)
	}
	dtypes := opt.Dtypes
	if len(dtypes) == 0 {
		dtypes = []string{"f32", "f64"}
	}
	for _, d := range dtypes {
		if d != "f32" && d != "f64" {
			return nil, fmt.Errorf(`bench: dtype must be "f32" or "f64", got %q`, d)
		}
	}
	t := &GemmTable{Machine: ThisMachine().String(), Rounds: opt.Rounds, Threads: opt.Threads, MinTime: opt.MinTime}
	for _, d := range dtypes {
		for _, s := range shapes {
			t.Rows = append(t.Rows, GemmRow{Dtype: d, Shape: s.Name, M: s.M, N: s.N, K: s.K, Target: slices.Contains(GemmTargets, s.Name)})
		}
	}
	python := ""
	if opt.NoPeers {
		t.NumPy = "not run"
	} else {
		py := findPythons(ctx, opt.Python)
		if p, ok := py.path["numpy"]; ok {
			python = p
			t.NumPy = fmt.Sprintf("numpy %s (%s)", py.version["numpy"], p)
			if py.blas != "" {
				t.NumPy += ", BLAS " + py.blas
			}
		} else {
			t.NumPy = "skipped: " + py.reasons["numpy"]
		}
	}
	prev := gemm.SetThreads(opt.Threads)
	defer gemm.SetThreads(prev)
	for r := range opt.Rounds {
		sides := []string{"descent", "numpy"}
		if r%2 == 1 {
			slices.Reverse(sides)
		}
		for _, side := range sides {
			if err := ctx.Err(); err != nil {
				return t, err
			}
			if opt.Progress != nil {
				fmt.Fprintf(opt.Progress, "bench: gemm round %d of %d: %s\n", r+1, opt.Rounds, side)
			}
			if side == "descent" {
				for i := range t.Rows {
					row := &t.Rows[i]
					s := shapes[i%len(shapes)]
					var gf float64
					if row.Dtype == "f32" {
						gf = gemmGFLOPS[float32](s, opt.MinTime)
					} else {
						gf = gemmGFLOPS[float64](s, opt.MinTime)
					}
					row.DescentRuns = append(row.DescentRuns, gf)
					row.Descent = max(row.Descent, gf)
				}
				continue
			}
			if python == "" {
				continue
			}
			figs, err := numpyGemm(ctx, python, shapes, dtypes, opt.MinTime, opt.Threads)
			if err != nil {
				if ctx.Err() != nil {
					return t, ctx.Err()
				}
				t.NumPy = "failed: " + err.Error()
				python = ""
				continue
			}
			for i := range t.Rows {
				row := &t.Rows[i]
				if gf, ok := figs[row.Dtype+"/"+row.Shape]; ok {
					row.NumPyRuns = append(row.NumPyRuns, gf)
					row.NumPy = max(row.NumPy, gf)
				}
			}
		}
	}
	for i := range t.Rows {
		if r := &t.Rows[i]; r.NumPy > 0 {
			r.Ratio = r.Descent / r.NumPy
		}
	}
	if _, err := t.WriteTo(w); err != nil {
		return t, err
	}
	return t, nil
}

// gemmGFLOPS times Gemm on s: batches of products until one takes
// minTime/3, then three batches of that size; the best of them.
func gemmGFLOPS[T float32 | float64](s GemmShape, minTime time.Duration) float64 {
	ra, ca := s.M, s.K
	if s.TransA {
		ra, ca = ca, ra
	}
	rb, cb := s.K, s.N
	if s.TransB {
		rb, cb = cb, rb
	}
	a, b, c := make([]T, ra*ca), make([]T, rb*cb), make([]T, s.M*s.N)
	for i := range a {
		a[i] = T(i%7) - 3
	}
	for i := range b {
		b[i] = T(i%5) - 2
	}
	run := func(reps int) time.Duration {
		t0 := time.Now()
		for range reps {
			gemm.Gemm(s.TransA, s.TransB, s.M, s.N, s.K, 1, a, ca, b, cb, 0, c, s.N)
		}
		return time.Since(t0)
	}
	run(1)
	reps := 1
	for {
		d := run(reps)
		if d >= minTime/3 || reps >= 1<<24 {
			break
		}
		reps = max(2*reps, int(float64(reps)*float64(minTime/3)/math.Max(float64(d), 1)*1.2))
	}
	best := time.Duration(math.MaxInt64)
	for range 3 {
		best = min(best, run(reps))
	}
	return 2 * float64(s.M) * float64(s.N) * float64(s.K) * float64(reps) / best.Seconds() / 1e9
}

// numpyGemm runs numpy_gemm.py on the shapes and returns GFLOPS keyed by
// "dtype/shape".
func numpyGemm(ctx context.Context, python string, shapes []GemmShape, dtypes []string, minTime time.Duration, threads int) (map[string]float64, error) {
	script, err := peerScripts.ReadFile("peers/numpy_gemm.py")
	if err != nil {
		return nil, err
	}
	type spec struct {
		Name string `json:"name"`
		M    int    `json:"m"`
		N    int    `json:"n"`
		K    int    `json:"k"`
		TA   bool   `json:"ta"`
		TB   bool   `json:"tb"`
	}
	var specs []spec
	for _, s := range shapes {
		specs = append(specs, spec{Name: s.Name, M: s.M, N: s.N, K: s.K, TA: s.TransA, TB: s.TransB})
	}
	js, err := json.Marshal(specs)
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Minute+time.Duration(10*len(shapes)*len(dtypes))*minTime)
	defer cancel()
	cmd := exec.CommandContext(rctx, python, "-", "--spec", string(js), "--dtypes", strings.Join(dtypes, ","),
		"--min-time", strconv.FormatFloat(minTime.Seconds()/3, 'g', -1, 64), "--repeat", "3")
	cmd.Stdin = bytes.NewReader(script)
	n := strconv.Itoa(threads)
	cmd.Env = append(os.Environ(), "OPENBLAS_NUM_THREADS="+n, "OMP_NUM_THREADS="+n, "MKL_NUM_THREADS="+n)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("bench: numpy_gemm.py: %v: %s", err, tail(stderr.String(), 400))
	}
	var doc struct {
		Results []struct {
			Dtype, Shape string
			GFLOPS       float64 `json:"gflops"`
		} `json:"results"`
	}
	if err := json.Unmarshal(lastLine(stdout.Bytes()), &doc); err != nil {
		return nil, fmt.Errorf("bench: numpy_gemm.py: reading its output: %v", err)
	}
	out := map[string]float64{}
	for _, r := range doc.Results {
		out[r.Dtype+"/"+r.Shape] = r.GFLOPS
	}
	return out, nil
}

// WriteTo writes the table as aligned text.
func (t *GemmTable) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "descent bench --gemm: GFLOPS (2·m·n·k per second, wall clock), best of %d alternating rounds, %d thread(s) each side\n", t.Rounds, t.Threads)
	fmt.Fprintf(&buf, "machine: %s\n", t.Machine)
	fmt.Fprintf(&buf, "peer: %s\n\n", t.NumPy)
	cells := [][]string{{"dtype", "product", "m×n×k", "descent", "numpy", "ratio", "target"}}
	for _, r := range t.Rows {
		line := []string{r.Dtype, r.Shape, fmt.Sprintf("%d×%d×%d", r.M, r.N, r.K), fmt.Sprintf("%.1f", r.Descent), "—", "—", ""}
		if r.NumPy > 0 {
			line[4], line[5] = fmt.Sprintf("%.1f", r.NumPy), fmt.Sprintf("%.2f", r.Ratio)
		}
		if r.Target {
			switch {
			case r.NumPy == 0:
				line[6] = "no peer"
			case r.Met():
				line[6] = fmt.Sprintf("met (≥ %.2f)", GemmTargetRatio)
			default:
				line[6] = fmt.Sprintf("NOT met (≥ %.2f)", GemmTargetRatio)
			}
		}
		cells = append(cells, line)
	}
	writeAligned(&buf, cells)
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// WriteJSON writes the table as one JSON object.
func (t *GemmTable) WriteJSON(w io.Writer) error {
	rows := t.Rows
	if rows == nil {
		rows = []GemmRow{}
	}
	type jsonRow struct {
		GemmRow
		Met bool `json:"met"`
	}
	doc := struct {
		Machine string    `json:"machine"`
		NumPy   string    `json:"numpy"`
		Rounds  int       `json:"rounds"`
		Threads int       `json:"threads"`
		MinTime float64   `json:"min_time_s"`
		Target  float64   `json:"target_ratio"`
		Rows    []jsonRow `json:"rows"`
	}{Machine: t.Machine, NumPy: t.NumPy, Rounds: t.Rounds, Threads: t.Threads, MinTime: t.MinTime.Seconds(), Target: GemmTargetRatio, Rows: []jsonRow{}}
	for _, r := range rows {
		doc.Rows = append(doc.Rows, jsonRow{r, r.Met()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
