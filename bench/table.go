package bench

import (
	"bytes"
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
	Problem   string
	Contender string
	// Handwritten marks a hand-derived Go step (a "best Go" candidate);
	// Peer marks a Python peer.
	Handwritten, Peer bool
	// Steps is the number of timed steps; NsPerStep their mean time.
	Steps     int
	NsPerStep float64
	// AllocsPerStep and BytesPerStep are the heap allocations per timed
	// step, from runtime.MemStats, rounded down to whole numbers as
	// testing.AllocsPerRun does; HasAllocs is false for the peers.
	AllocsPerStep, BytesPerStep float64
	HasAllocs                   bool
	// Loss is the full-data loss after CheckSteps steps from the start;
	// LossRelDiff and ParamRelDiff compare it and the parameters with the
	// handgo step's (max |θ − θref| / max |θref|). Checked is false when
	// the contender gave no parameters.
	Loss, LossRelDiff, ParamRelDiff float64
	Checked                         bool
	// Skipped says why a contender that cannot run here did not; Err why
	// one failed.
	Skipped, Err string
}

// Measured reports whether r holds a time.
func (r Row) Measured() bool { return r.Skipped == "" && r.Err == "" && r.NsPerStep > 0 }

// Table is the result of Run.
type Table struct {
	// Machine describes the Go side: version, OS/arch, CPUs.
	Machine string
	// Peers lists the Python modules used, with versions and interpreters.
	Peers      []string
	MinTime    time.Duration
	CheckSteps int
	Rows       []Row
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
	fmt.Fprintf(&buf, "descent bench: one float64 training step (forward, gradient, update); %s\n", t.Machine)
	if len(t.Peers) > 0 {
		fmt.Fprintf(&buf, "peers: %s\n", strings.Join(t.Peers, ", "))
	}
	fmt.Fprintf(&buf, "each timed for ≥ %v after a warm-up; check after %d steps from the same start\n\n", t.MinTime, t.CheckSteps)

	cols := t.ratioColumns()
	header := []string{"problem", "contender", "µs/step", "allocs/step", "B/step"}
	for _, c := range cols {
		header = append(header, "vs "+c)
	}
	header = append(header, "check")
	cells := [][]string{header}
	for _, r := range t.Rows {
		line := []string{r.Problem, r.Contender, "—", "—", "—"}
		if r.Measured() {
			line[2] = micros(r.NsPerStep)
			if r.HasAllocs {
				line[3] = count(r.AllocsPerStep)
				line[4] = bytesize(r.BytesPerStep)
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
	fmt.Fprintf(&buf, "check: |Δloss|/loss against handgo after the same steps; ok ≤ %g.\n", CheckTolerance)
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// note is the last column: the check, or why there is no figure.
func (r Row) note() string {
	switch {
	case r.Err != "":
		return "failed: " + r.Err
	case r.Skipped != "":
		return "skipped (" + r.Skipped + ")"
	case !r.Checked:
		return ""
	case r.LossRelDiff <= CheckTolerance:
		return fmt.Sprintf("ok %.0e", r.LossRelDiff)
	default:
		return fmt.Sprintf("DIFFERS %.1e", r.LossRelDiff)
	}
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

// micros formats nanoseconds as microseconds with 3 or 4 significant digits.
func micros(ns float64) string {
	us := ns / 1e3
	switch {
	case us < 1:
		return fmt.Sprintf("%.3f", us)
	case us < 10:
		return fmt.Sprintf("%.2f", us)
	case us < 1000:
		return fmt.Sprintf("%.1f", us)
	default:
		return fmt.Sprintf("%.0f", us)
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
