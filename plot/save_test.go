package plot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func simplePlot(t *testing.T) *plot.Plot {
	t.Helper()
	p := plot.New()
	ln, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 1}, {X: 1, Y: 0}})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(ln)
	return p
}

func TestSaveFormats(t *testing.T) {
	dir := t.TempDir()
	p := simplePlot(t)
	for _, name := range []string{"a.png", "b.svg", "C.PNG", "d.SVG"} {
		path := filepath.Join(dir, name)
		if err := Save(p, path, 10*vg.Centimeter, 6*vg.Centimeter); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.EqualFold(filepath.Ext(name), ".png") {
			checkPNG(t, path)
		} else {
			checkSVG(t, path)
		}
	}
	assertNoTempFiles(t, dir)
}

// panicky is a plotter that panics when drawn, as a broken gonum plotter would.
type panicky struct{}

func (panicky) Plot(draw.Canvas, *plot.Plot) { panic("boom") }

func TestSaveErrors(t *testing.T) {
	dir := t.TempDir()
	exploding := simplePlot(t)
	exploding.Add(panicky{})
	missing := filepath.Join(dir, "no", "such", "dir", "x.png")
	tests := []struct {
		name string
		p    *plot.Plot
		path string
		w, h vg.Length
		want []string // substrings of the error
	}{
		{"bad extension", simplePlot(t), filepath.Join(dir, "x.jpg"), 100, 100,
			[]string{`plot: save`, `unsupported file extension ".jpg"`, `allowed: .png, .svg`, "x.jpg"}},
		{"no extension", simplePlot(t), filepath.Join(dir, "x"), 100, 100,
			[]string{"no file extension", "allowed: .png, .svg"}},
		{"unwritable path", simplePlot(t), missing, 100, 100, []string{missing}},
		{"nil plot", nil, filepath.Join(dir, "x.png"), 100, 100, []string{"nil *plot.Plot"}},
		{"zero width", simplePlot(t), filepath.Join(dir, "x.png"), 0, 100, []string{"width must be > 0, got 0"}},
		{"panic while drawing", exploding, filepath.Join(dir, "x.png"), 100, 100, []string{"internal error: boom"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Save(tt.p, tt.path, tt.w, tt.h)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	assertNoTempFiles(t, dir)
	if _, err := os.Stat(filepath.Join(dir, "x.png")); !os.IsNotExist(err) {
		t.Errorf("a failed save left x.png behind (stat: %v)", err)
	}
}

// TestSaveKeepsOldFileOnFailure: a picture that fails to draw must not
// replace the file already at the path.
func TestSaveKeepsOldFileOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keep.png")
	if err := Save(simplePlot(t), path, 100, 100); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := simplePlot(t)
	bad.Add(panicky{})
	if err := Save(bad, path, 100, 100); err == nil {
		t.Fatal("no error")
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) {
		t.Error("the earlier file was changed by a failed save")
	}
	assertNoTempFiles(t, dir)
}

// TestSaveRenameFails: when the final rename fails (the path is a
// directory), the error names the path and the temporary file is gone.
func TestSaveRenameFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "taken.png")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(path, "child"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Save(simplePlot(t), path, 100, 100)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want an error naming %s", err, path)
	}
	assertNoTempFiles(t, dir)
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.Contains(e.Name(), "tmp-") { // ".tmp-" and atomicfile's ".descent-tmp-"
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}
