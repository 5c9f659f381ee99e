package demo

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/plot"
	"github.com/descent-ml/descent/train"
)

// printer writes a demo's text, keeping the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// header prints a demo's title line.
func (p *printer) header(name, title string) { p.printf("== %s: %s ==\n", name, title) }

// table prints tab-separated rows, columns aligned right, numbers ready-formatted.
func (p *printer) table(rows [][]string) {
	if p.err != nil {
		return
	}
	tw := tabwriter.NewWriter(p.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, r := range rows {
		for _, c := range r {
			fmt.Fprintf(tw, "%s\t", c)
		}
		fmt.Fprintln(tw)
	}
	p.err = tw.Flush()
}

// stepTable prints the first n traced steps, as train.Trace.WriteTable
// does, with every number formatted by format.
func (p *printer) stepTable(t *train.Trace, n int, format func(float64) string) {
	head := []string{"epoch"}
	head = append(head, t.Names...)
	head = append(head, "J")
	for _, name := range t.Names {
		head = append(head, "dJ/d"+name)
	}
	rows := [][]string{head}
	for _, r := range t.Rows[:min(n, len(t.Rows))] {
		row := []string{fmt.Sprint(r.Epoch)}
		for _, v := range r.Values {
			row = append(row, format(v))
		}
		row = append(row, format(r.Loss))
		for _, v := range r.Grads {
			row = append(row, format(v))
		}
		rows = append(rows, row)
	}
	p.table(rows)
}

// plot draws one picture into opt.Plots, when set, and says where.
func (p *printer) plot(opt Options, name string, draw func(path string) error) error {
	if opt.Plots == "" || p.err != nil {
		return p.err
	}
	if err := os.MkdirAll(opt.Plots, 0o755); err != nil {
		return fmt.Errorf("demo: plots directory: %w", err)
	}
	path := filepath.Join(opt.Plots, name)
	if err := draw(path); err != nil {
		return err
	}
	p.printf("plot: %s\n", path)
	return p.err
}

// engineOpts runs every engine on one goroutine, so that sums are taken
// in one order on every machine and the printed digits do not depend on
// the core count.
var engineOpts = graph.Options{Workers: 1}

// steps returns 1, 2, …, n as float64, the x values of a per-epoch curve.
func steps(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	return xs
}

// linspace returns n evenly spaced values from lo to hi.
func linspace(lo, hi float64, n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return xs
}

// lineSeries is the line y = w·x + b sampled at xs.
func lineSeries(name string, xs []float64, w, b float64) plot.Series {
	s := plot.Series{Name: name, X: xs, Y: make([]float64, len(xs))}
	for i, x := range xs {
		s.Y[i] = w*x + b
	}
	return s
}

// halfMSE is (1/2n)·Σ(w·x + b − y)², computed in plain Go.
func halfMSE(x, y []float64, w, b float64) float64 {
	var s float64
	for i := range x {
		r := w*x[i] + b - y[i]
		s += r * r
	}
	return s / float64(2*len(x))
}

// f4 formats v with 4 decimals and f6 with 6 significant digits, printing
// a value that rounds to zero as 0 with no minus sign.
func f4(v float64) string { return noNegZero(fmt.Sprintf("%.4f", v)) }
func f6(v float64) string { return noNegZero(fmt.Sprintf("%.6g", v)) }

func noNegZero(s string) string {
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		return s[1:]
	}
	return s
}

// plural returns word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// curveX and curveY are a run's epoch-loss curve for plotting.
func curveX(res *train.Result) []float64 { x, _, _ := res.History.Curves(); return x }
func curveY(res *train.Result) []float64 { _, y, _ := res.History.Curves(); return y }
