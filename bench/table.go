package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Row is one contender's figures on one problem.
type Row struct {
	Problem   string `json:"problem"`
	Contender string `json:"contender"`
	// Handwritten marks a hand-derived Go step (a "best Go" candidate);
	// Peer marks a Python peer.
	Handwritten bool `json:"handwritten,omitempty"`
	Peer        bool `json:"peer,omitempty"`
	// Unit is what one timed step is: "step" (also for "") or "epoch".
	Unit string `json:"unit,omitempty"`
	// Steps is the number of timed steps; NsPerStep their mean time, wall
	// clock; CPUNsPerStep the process's CPU time per step, all threads
	// together (0 when unknown): on a shared machine, a single-threaded
	// contender's speed on an idle core.
	Steps        int     `json:"steps"`
	NsPerStep    float64 `json:"ns_per_step"`
	CPUNsPerStep float64 `json:"cpu_ns_per_step,omitempty"`
	// Rounds is the number of rounds measured; the figures are the fastest
	// round's (the CPU time the lowest of any round).
	Rounds int `json:"rounds,omitempty"`
	// AllocsPerStep and BytesPerStep are the heap allocations per timed
	// step, from runtime.MemStats, rounded down to whole numbers as
	// testing.AllocsPerRun does; HasAllocs is false for the peers.
	AllocsPerStep float64 `json:"allocs_per_step"`
	BytesPerStep  float64 `json:"bytes_per_step"`
	HasAllocs     bool    `json:"has_allocs"`
	// HeapGrowth is the change of the live heap (after a collection) over
	// the timed steps, in bytes: near 0 for a step that keeps nothing.
	HeapGrowth int64 `json:"heap_growth_bytes"`
	// Loss is the full-data loss after CheckSteps steps from the start;
	// LossRelDiff and ParamRelDiff compare it and the parameters with the
	// reference step's (max |θ − θref| / max |θref|), and Tolerance is the
	// largest LossRelDiff that passes. Checked is false when the contender
	// gave no parameters.
	Loss         float64 `json:"loss"`
	LossRelDiff  float64 `json:"loss_rel_diff"`
	ParamRelDiff float64 `json:"param_rel_diff"`
	Tolerance    float64 `json:"tolerance,omitempty"`
	Checked      bool    `json:"checked"`
	// Skipped says why a contender that cannot run here did not; Err why
	// one failed; Note adds details (a peer's time at each thread count,
	// an epoch's test accuracy).
	Skipped string `json:"skipped,omitempty"`
	Err     string `json:"error,omitempty"`
	Note    string `json:"note,omitempty"`
}

// Measured reports whether r holds a time.
func (r Row) Measured() bool { return r.Skipped == "" && r.Err == "" && r.NsPerStep > 0 }

// tolerance is r's check tolerance, CheckTolerance when unset.
func (r Row) tolerance() float64 {
	if r.Tolerance > 0 {
		return r.Tolerance
	}
	return CheckTolerance
}

// Table is the result of Run.
type Table struct {
	// Machine describes the machine: CPU model, SIMD features, GEMM
	// kernel, Go version, CPUs (Machine.String).
	Machine string
	// Peers lists the Python modules used, with versions and interpreters.
	Peers      []string
	MinTime    time.Duration
	CheckSteps int
	// Rounds is how many times each row was measured (0 means 1).
	Rounds int
	Rows   []Row
}

// BestGoName is the pseudo-contender Ratio takes for the fastest
// hand-written Go step of a problem.
const BestGoName = "best Go"

// Row returns the row of contender on problem; contender may be
// BestGoName.
func (t *Table) Row(problem, contender string) (Row, bool) {
	if contender == BestGoName {
		return t.bestGo(problem)
	}
	for _, r := range t.Rows {
		if r.Problem == problem && r.Contender == contender {
			return r, true
		}
	}
	return Row{}, false
}

func (t *Table) bestGo(problem string) (Row, bool) {
	var best Row
	found := false
	for _, r := range t.Rows {
		if r.Problem == problem && r.Handwritten && r.Measured() && (!found || r.NsPerStep < best.NsPerStep) {
			best, found = r, true
		}
	}
	return best, found
}

// Ratio is contender's time per step divided by than's on problem (below
// 1: contender is faster); than may be BestGoName. ok is false when either
// has no time.
func (t *Table) Ratio(problem, contender, than string) (ratio float64, ok bool) {
	a, okA := t.Row(problem, contender)
	b, okB := t.Row(problem, than)
	if !okA || !okB || !a.Measured() || !b.Measured() {
		return 0, false
	}
	return a.NsPerStep / b.NsPerStep, true
}

// ratioColumns are the contenders every row is compared with: best Go,
// then each contender that is neither hand-written Go nor absent.
func (t *Table) ratioColumns() []string {
	cols := []string{BestGoName}
	for _, r := range t.Rows {
		if !r.Handwritten && !slices.Contains(cols, r.Contender) {
			cols = append(cols, r.Contender)
		}
	}
	return cols
}

// WriteTo writes the table as aligned text: a header, one line per row,
// and a legend.
func (t *Table) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "descent bench: one training step (forward, gradient, update); float64 unless marked f32\n")
	fmt.Fprintf(&buf, "machine: %s\n", t.Machine)
	if len(t.Peers) > 0 {
		fmt.Fprintf(&buf, "peers: %s\n", strings.Join(t.Peers, ", "))
	}
	rounds := ""
	if t.Rounds > 1 {
		rounds = fmt.Sprintf(", best of %d rounds in alternating order", t.Rounds)
	}
	fmt.Fprintf(&buf, "each timed for ≥ %v after a warm-up%s; check after %d steps from the same start\n\n", t.MinTime, rounds, t.CheckSteps)

	cols := t.ratioColumns()
	header := []string{"problem", "contender", "time/step", "cpu/step", "allocs/step", "B/step"}
	for _, c := range cols {
		header = append(header, "vs "+c)
	}
	header = append(header, "check")
	cells := [][]string{header}
	for _, r := range t.Rows {
		line := []string{r.Problem, r.Contender, "—", "—", "—", "—"}
		if r.Measured() {
			line[2] = duration(r.NsPerStep)
			if r.Unit != "" && r.Unit != "step" {
				line[2] += "/" + r.Unit
			}
			if r.CPUNsPerStep > 0 {
				line[3] = duration(r.CPUNsPerStep)
			}
			if r.HasAllocs {
				line[4] = count(r.AllocsPerStep)
				line[5] = bytesize(r.BytesPerStep)
			}
		}
		for _, c := range cols {
			cell := "—"
			if ratio, ok := t.Ratio(r.Problem, r.Contender, c); ok {
				cell = times(ratio)
			}
			line = append(line, cell)
		}
		line = append(line, r.note())
		cells = append(cells, line)
	}
	writeAligned(&buf, cells)
	fmt.Fprintf(&buf, "\nvs X: this row's time per step ÷ X's (below 1 is faster). %s: the fastest hand-written Go step.\n", BestGoName)
	fmt.Fprintf(&buf, "cpu/step: the process's CPU time per step, all threads; below time/step, the process waited for a core.\n")
	fmt.Fprintf(&buf, "check: |Δloss|/loss against the reference (handgo; Descent's float64 step for a network) after the same steps;\n")
	fmt.Fprintf(&buf, "ok ≤ %g (%g in float32).\n", CheckTolerance, CheckTolerance32)
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// WriteJSON writes the table as one JSON object: the machine, the peers,
// the settings, and every row with its ratios to the ratio columns.
func (t *Table) WriteJSON(w io.Writer) error {
	type jsonRow struct {
		Row
		Ratios map[string]float64 `json:"ratios,omitempty"`
	}
	doc := struct {
		Machine    string    `json:"machine"`
		Peers      []string  `json:"peers,omitempty"`
		MinTime    float64   `json:"min_time_s"`
		CheckSteps int       `json:"check_steps"`
		Rounds     int       `json:"rounds"`
		Rows       []jsonRow `json:"rows"`
	}{Machine: t.Machine, Peers: t.Peers, MinTime: t.MinTime.Seconds(), CheckSteps: t.CheckSteps, Rounds: max(t.Rounds, 1), Rows: []jsonRow{}}
	for _, r := range t.Rows {
		jr := jsonRow{Row: r}
		for _, c := range t.ratioColumns() {
			if ratio, ok := t.Ratio(r.Problem, r.Contender, c); ok {
				if jr.Ratios == nil {
					jr.Ratios = map[string]float64{}
				}
				jr.Ratios[c] = ratio
			}
		}
		doc.Rows = append(doc.Rows, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// note is the last column: the check, or why there is no figure, then
// the row's own note.
func (r Row) note() string {
	var s string
	switch {
	case r.Err != "":
		return "failed: " + r.Err
	case r.Skipped != "":
		return "skipped (" + r.Skipped + ")"
	case !r.Checked:
	case r.LossRelDiff <= r.tolerance():
		s = fmt.Sprintf("ok %.0e", r.LossRelDiff)
	default:
		s = fmt.Sprintf("DIFFERS %.1e", r.LossRelDiff)
	}
	if r.Note != "" {
		if s != "" {
			s += "; "
		}
		s += r.Note
	}
	return s
}

// writeAligned pads columns: the first two and the last to the left, the
// figures to the right.
func writeAligned(w io.Writer, cells [][]string) {
	width := make([]int, len(cells[0]))
	for _, line := range cells {
		for i, c := range line {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, line := range cells {
		var b strings.Builder
		for i, c := range line {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			switch {
			case i == len(line)-1:
				b.WriteString(c)
			case i < 2:
				b.WriteString(c + pad + "  ")
			default:
				b.WriteString(pad + c + "  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// duration formats nanoseconds with a unit (ns, µs, ms, s) and 3 or 4
// significant digits.
func duration(ns float64) string {
	unit, v := "ns", ns
	switch {
	case ns >= 1e9:
		unit, v = "s", ns/1e9
	case ns >= 1e6:
		unit, v = "ms", ns/1e6
	case ns >= 1e3:
		unit, v = "µs", ns/1e3
	}
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f %s", v, unit)
	case v < 100:
		return fmt.Sprintf("%.1f %s", v, unit)
	default:
		return fmt.Sprintf("%.0f %s", v, unit)
	}
}

// times formats a ratio.
func times(r float64) string {
	switch {
	case r < 0.01:
		return fmt.Sprintf("%.4f×", r)
	case r < 10:
		return fmt.Sprintf("%.2f×", r)
	case r < 100:
		return fmt.Sprintf("%.1f×", r)
	default:
		return fmt.Sprintf("%.0f×", r)
	}
}

// count formats a per-step count: whole numbers as such.
func count(v float64) string {
	if v == math.Trunc(v) || v >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// bytesize formats bytes with a k, M or G suffix.
func bytesize(v float64) string {
	switch {
	case v < 1e3:
		return fmt.Sprintf("%.0f", v)
	case v < 1e6:
		return fmt.Sprintf("%.1fk", v/1e3)
	case v < 1e9:
		return fmt.Sprintf("%.1fM", v/1e6)
	default:
		return fmt.Sprintf("%.1fG", v/1e9)
	}
}
