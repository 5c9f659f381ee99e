package plot

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/descent-ml/descent/internal/atomicfile"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// formats lists the file extensions Save understands.
const formats = ".png, .svg"

// canvas is a vg.Canvas that can write itself out.
type canvas interface {
	vg.CanvasSizer
	io.WriterTo
}

// Save draws p at w × h and writes it to path, as PNG (150 dpi) or SVG by
// the extension (case-insensitive); any other extension is an error that
// names it and the allowed ones.
//
// The file is written atomically: the picture is rendered in memory, then
// written to a temporary file in the target's directory, synced, and renamed
// over path (internal/atomicfile: a symbolic link's target is replaced, an
// existing file keeps its mode, a device or FIFO is written directly), so a
// reader never sees a half-written picture and a failure leaves any
// earlier file intact. Errors name the path. A panic inside gonum/plot is
// returned as an error.
func Save(p *plot.Plot, path string, w, h vg.Length) error {
	if p == nil {
		return fmt.Errorf("plot: save %q: nil *plot.Plot", path)
	}
	return saveDrawing(path, w, h, defaultDPI, p.Draw)
}

// saveDrawing renders drawFn on a w × h canvas chosen by path's extension and
// writes it atomically to path.
func saveDrawing(path string, w, h vg.Length, dpi float64, drawFn func(draw.Canvas)) (err error) {
	defer recoverTo(&err, "save "+fmt.Sprintf("%q", path))
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".png" && ext != ".svg" {
		if ext == "" {
			return fmt.Errorf("plot: save %q: no file extension (allowed: %s)", path, formats)
		}
		return fmt.Errorf("plot: save %q: unsupported file extension %q (allowed: %s)", path, filepath.Ext(path), formats)
	}
	for _, d := range []struct {
		name string
		v    vg.Length
	}{{"width", w}, {"height", h}} {
		if !(d.v > 0) || math.IsInf(float64(d.v), 0) {
			return fmt.Errorf("plot: save %q: %s must be > 0, got %v", path, d.name, d.v)
		}
	}
	var c canvas
	if ext == ".png" {
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(math.Round(dpi))))}
	} else {
		c = svgCanvas{vgsvg.New(w, h)}
	}
	drawFn(draw.New(c))
	return writeAtomic(path, c)
}

// svgCanvas is gonum's SVG canvas with two repairs to what it writes:
//   - gonum labels its embedded PNG images (the filled contour surface)
//     "data:image/jpg"; strict renderers such as librsvg then drop them, so
//     they are relabelled "data:image/png";
//   - fonts are not embedded (that would add ~0.5 MB per file), so each
//     font family gets metric-compatible fallbacks (Liberation Sans has
//     Arial's and Helvetica's widths): text then fits its legend box on
//     machines without the Liberation fonts.
type svgCanvas struct{ *vgsvg.Canvas }

var svgRepairs = strings.NewReplacer(
	`xlink:href="data:image/jpg;base64,iVBORw0KGgo`, `xlink:href="data:image/png;base64,iVBORw0KGgo`,
	`font-family:Liberation Sans;`, `font-family:'Liberation Sans',Arial,Helvetica,sans-serif;`,
	`font-family:Liberation Serif;`, `font-family:'Liberation Serif','Times New Roman',Times,serif;`,
	`font-family:Liberation Mono;`, `font-family:'Liberation Mono','Courier New',Courier,monospace;`,
)

// WriteTo implements io.WriterTo.
func (c svgCanvas) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	if _, err := c.Canvas.WriteTo(&b); err != nil {
		return 0, err
	}
	n, err := svgRepairs.WriteString(w, b.String())
	return int64(n), err
}

// writeAtomic writes src to path by internal/atomicfile's rules: through a
// synced temporary file renamed over the path (a symbolic link's target is
// replaced, an existing file keeps its mode), or directly to a device, a
// FIFO or "-". On failure any earlier file is left intact.
func writeAtomic(path string, src io.WriterTo) error {
	err := atomicfile.Write(path, func(w io.Writer) error {
		_, err := src.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("plot: save %q: %w", path, err)
	}
	return nil
}
