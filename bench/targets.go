package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// TargetOptions configures RunTargets. Its zero value measures every
// target for at least a second per figure, best of 3 alternating rounds.
type TargetOptions struct {
	// MinTime is how long each step figure is timed per round; 0 is 1 s
	// (the GEMM figures take a third of it).
	MinTime time.Duration
	// Rounds is the rounds of alternating measurements; 0 is 3.
	Rounds int
	// Python and Threads are as in Options.
	Python  string
	Threads int
	// Progress, when not nil, gets a line as each measurement starts.
	Progress io.Writer
}

// Target is one of issue 10's speed targets, measured.
type Target struct {
	// Name says what is compared; Want the condition ("≤ 1.00×").
	Name string `json:"name"`
	Want string `json:"want"`
	// Figure is Descent's measurement and Peer the one it is compared
	// with, both as printed; Ratio is Descent's time ÷ the peer's (GFLOPS:
	// Descent's ÷ NumPy's).
	Figure string  `json:"figure"`
	Peer   string  `json:"peer"`
	Ratio  float64 `json:"ratio"`
	// Met says the target holds; Note says why there is no figure, or adds
	// details.
	Met  bool   `json:"met"`
	Note string `json:"note,omitempty"`
}

// Targets is RunTargets's result: the verdicts and the tables they were
// read from.
type Targets struct {
	Machine string     `json:"machine"`
	Targets []Target   `json:"targets"`
	Gemm    *GemmTable `json:"-"`
	Steps   *Table     `json:"-"`
}

// TargetProblems are the step problems RunTargets measures.
var TargetProblems = []string{"mlp-digits", "cnn-digits", "lenet-fashion", "linreg-100000x100", "cnn-lenet"}

// RunTargets measures issue 10's targets side by side in one run: the
// GEMM against NumPy (RunGemm), the digits MLP step against NumPy's
// hand-gradient step, the digits CNN step and a LeNet-5 epoch on
// Fashion-MNIST against PyTorch's best of 1 thread and all cores, the
// linreg 100000×100 step against the fused hand-written Go step, and a
// steady-state step's allocations and live heap. It writes the tables it
// measured and the verdicts to w.
func RunTargets(ctx context.Context, opt TargetOptions, w io.Writer) (*Targets, error) {
	if opt.MinTime == 0 {
		opt.MinTime = time.Second
	}
	if opt.Rounds == 0 {
		opt.Rounds = 3
	}
	res := &Targets{Machine: ThisMachine().String()}
	var err error
	res.Gemm, err = RunGemm(ctx, GemmOptions{MinTime: opt.MinTime / 3, Rounds: opt.Rounds, Python: opt.Python, Threads: opt.Threads, Progress: opt.Progress}, w)
	if err != nil {
		return res, err
	}
	fmt.Fprintln(w)
	res.Steps, err = Run(ctx, Options{Problems: TargetProblems, Contenders: []string{"descent", "fused", "numpy", "torch"},
		Peers: true, MinTime: opt.MinTime, Python: opt.Python, Threads: opt.Threads, Rounds: opt.Rounds, Progress: opt.Progress}, w)
	if err != nil {
		return res, err
	}
	res.Targets = verdicts(res.Gemm, res.Steps)
	fmt.Fprintln(w)
	_, err = res.WriteTo(w)
	return res, err
}

// verdicts reads every target off the two tables.
func verdicts(g *GemmTable, t *Table) []Target {
	var out []Target
	for _, r := range g.Rows {
		if !r.Target {
			continue
		}
		v := Target{Name: fmt.Sprintf("%s GEMM %s vs NumPy", r.Dtype, r.Shape), Want: fmt.Sprintf("≥ %.2f of NumPy's GFLOPS", GemmTargetRatio),
			Figure: fmt.Sprintf("%.1f GFLOPS", r.Descent), Ratio: r.Ratio, Met: r.Met()}
		if r.NumPy > 0 {
			v.Peer = fmt.Sprintf("%.1f GFLOPS", r.NumPy)
		} else {
			v.Note = "no NumPy: " + g.NumPy
		}
		out = append(out, v)
	}
	step := func(name, problem, peer string) {
		v := Target{Name: name, Want: "≤ 1.00×"}
		d, okD := t.Row(problem, "descent")
		pr, okP := t.Row(problem, peer)
		switch {
		case !okD || !d.Measured():
			v.Note = "Descent not measured: " + d.note()
		case !okP || !pr.Measured():
			v.Figure = duration(d.NsPerStep)
			v.Note = peer + " not measured: " + pr.note()
		default:
			v.Figure, v.Peer = duration(d.NsPerStep), duration(pr.NsPerStep)
			v.Ratio = d.NsPerStep / pr.NsPerStep
			v.Met = v.Ratio <= 1
			v.Note = joinNotes(d.Note, pr.Note)
		}
		out = append(out, v)
	}
	step("digits MLP step (f64, 64→128→10, Adam, batch 128) vs NumPy hand-gradient", "mlp-digits", "numpy")
	step("digits CNN step (f32, batch 64) vs PyTorch best of 1 thread and all cores", "cnn-digits", "torch")
	step("LeNet-5 Fashion-MNIST epoch (f32, batch 64) vs PyTorch best", "lenet-fashion", "torch")
	step("LeNet-5 step (f32, batch 64, 28×28 images) vs PyTorch best", "cnn-lenet", "torch")
	step("linreg 100000×100 step vs the fused hand-written Go step", "linreg-100000x100", "fused")
	// A steady-state step allocates nothing, and the live heap stays flat.
	v := Target{Name: "steady-state step: allocations and live heap growth (Descent, every step problem above)", Want: "0 allocations, flat heap", Met: true}
	var parts []string
	for _, r := range t.Rows {
		if r.Contender != "descent" || !r.Measured() || !r.HasAllocs {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s/step, heap %+d B", r.Problem, count(r.AllocsPerStep), r.HeapGrowth))
		if r.AllocsPerStep != 0 || r.HeapGrowth > heapSlack {
			v.Met = false
		}
	}
	if len(parts) == 0 {
		v.Met, v.Note = false, "no Descent step measured"
	}
	v.Figure = joinNotes(parts...)
	out = append(out, v)
	return out
}

// heapSlack is the live-heap growth over a timed run below which the heap
// counts as flat: the runtime's own bookkeeping moves by a few KiB.
const heapSlack = 64 << 10

func joinNotes(s ...string) string {
	var b []byte
	for _, v := range s {
		if v == "" {
			continue
		}
		if len(b) > 0 {
			b = append(b, "; "...)
		}
		b = append(b, v...)
	}
	return string(b)
}

// WriteTo writes the verdicts as aligned text.
func (r *Targets) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "issue 10's targets, measured side by side in this run on %s\n\n", r.Machine)
	cells := [][]string{{"target", "descent", "peer", "ratio", "want", "verdict", "note"}}
	for _, v := range r.Targets {
		ratio := "—"
		if v.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f", v.Ratio)
		}
		verdict := "met"
		if !v.Met {
			verdict = "NOT met"
		}
		cells = append(cells, []string{v.Name, orDash(v.Figure), orDash(v.Peer), ratio, v.Want, verdict, v.Note})
	}
	writeAligned(&buf, cells)
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// WriteJSON writes the verdicts with both tables as one JSON object.
func (r *Targets) WriteJSON(w io.Writer) error {
	var g, s bytes.Buffer
	if r.Gemm != nil {
		if err := r.Gemm.WriteJSON(&g); err != nil {
			return err
		}
	}
	if r.Steps != nil {
		if err := r.Steps.WriteJSON(&s); err != nil {
			return err
		}
	}
	doc := struct {
		Machine string          `json:"machine"`
		Targets []Target        `json:"targets"`
		Gemm    json.RawMessage `json:"gemm,omitempty"`
		Steps   json.RawMessage `json:"steps,omitempty"`
	}{Machine: r.Machine, Targets: r.Targets}
	if g.Len() > 0 {
		doc.Gemm = g.Bytes()
	}
	if s.Len() > 0 {
		doc.Steps = s.Bytes()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
