package plot

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/vg"
)

// Options style one picture. The zero value is a sensible default for every field.
type Options struct {
	// Title, XLabel and YLabel are drawn above the plot and along the axes.
	// Empty strings draw nothing. A title too wide for the picture wraps
	// at spaces.
	Title, XLabel, YLabel string

	// Subtitle is a second, smaller line under the title, e.g. the data,
	// model, optimizer and learning rate of a loss curve
	// ("diabetes · mlp:64 · adam · lr 0.001"). Empty draws nothing.
	Subtitle string

	// IntegerX puts ticks only at whole numbers on the X axis, for
	// epochs and steps (no "2.5 epochs"). Lines and Fit honour it.
	IntegerX bool

	// Marks draws a labelled vertical line at each Marks[i].X across a
	// Lines picture, e.g. where early stopping chose its epoch. The X axis
	// is widened to show every mark. Each X must be finite; at most 100.
	Marks []Mark

	// Minima marks the known minima of a Contour surface with a star and
	// a legend entry "minimum" ("minima" for several). Points outside the
	// drawn ranges are left out. Each coordinate must be finite; at most 1000.
	Minima []Point

	// LogY puts the Y axis on a log₁₀ scale. Values ≤ 0 cannot be drawn there:
	// they are left out of the curve (leaving a gap), never a panic. A series
	// with no positive finite value is an error.
	LogY bool

	// YMax clips the Y axis: 0 (the default) is automatic, any other value is
	// the top of the picture. Values above it and non-finite values are cut
	// out of the curves. A curve that was cut gets "(clipped)" after its name
	// in the legend, or "(diverged, clipped)" when it ends above the top or
	// non-finite. See Lines for the automatic rule. With LogY, YMax must be > 0.
	YMax float64

	// Width and Height are the size of the picture in centimetres.
	// 0 means 16 × 10 cm for Lines and Fit. For Contour, 0 makes the data
	// area's x and y scales equal: the missing side is derived from the other
	// (default width 16 cm), within 5–30 cm for a height and 5–40 cm for a width.
	Width, Height float64

	// Legend says where the legend goes. The default, LegendAuto, puts it
	// in a corner of the data area that covers no drawn line or point,
	// and outside the data area, to its right, when every corner would.
	Legend LegendPosition

	// DPI is the resolution of PNG output in dots per inch; 0 means 150.
	// It has no effect on SVG.
	DPI float64

	// Levels is the number of contour levels for Contour; 0 means 12.
	Levels int

	// Spacing says how Contour spaces its levels; the default, SpacingAuto,
	// picks SpacingLog for surfaces with a steep narrow valley and
	// SpacingLinear otherwise.
	Spacing LevelSpacing

	// Resolution is the number of grid points per axis at which Contour
	// evaluates f; 0 means 241. It must be 0 or in [8, 2000].
	Resolution int

	// ZLabel captions Contour's colour bar, e.g. "loss". Empty draws no caption.
	ZLabel string
}

// Mark is a labelled vertical line at X on a Lines picture.
type Mark struct {
	X     float64
	Label string // e.g. "early stop: epoch 120"; empty draws the line alone
}

// Point is a point (X, Y) in data coordinates.
type Point struct{ X, Y float64 }

const (
	defaultWidthCM   = 16.0
	defaultHeightCM  = 10.0
	defaultDPI       = 150.0
	defaultLevels    = 12
	defaultGrid      = 241
	minGrid, maxGrid = 8, 2000
	maxLevels        = 100
	maxMarks         = 100
	maxMinima        = 1000
)

// check validates the options shared by every drawing function.
func (o Options) check() error {
	for _, d := range []struct {
		name string
		v    float64
	}{{"Width", o.Width}, {"Height", o.Height}} {
		if !(d.v >= 0) || math.IsInf(d.v, 0) || (d.v > 0 && d.v < 1) || d.v > 200 {
			return fmt.Errorf("plot: Options.%s must be 0 (default) or in [1, 200] cm, got %v", d.name, d.v)
		}
	}
	if !isFinite(o.YMax) {
		return fmt.Errorf("plot: Options.YMax must be finite (0 = automatic), got %v", o.YMax)
	}
	if o.LogY && o.YMax < 0 {
		return fmt.Errorf("plot: Options.YMax must be > 0 with LogY (0 = automatic), got %v", o.YMax)
	}
	if !(o.DPI >= 0) || o.DPI > 1200 {
		return fmt.Errorf("plot: Options.DPI must be 0 (default 150) or in (0, 1200], got %v", o.DPI)
	}
	if o.Legend < LegendAuto || o.Legend > LegendOutside {
		return fmt.Errorf("plot: Options.Legend must be one of LegendAuto..LegendOutside, got %d", int(o.Legend))
	}
	if len(o.Marks) > maxMarks {
		return fmt.Errorf("plot: Options.Marks has %d marks, more than %d", len(o.Marks), maxMarks)
	}
	if len(o.Minima) > maxMinima {
		return fmt.Errorf("plot: Options.Minima has %d points, more than %d", len(o.Minima), maxMinima)
	}
	for i, m := range o.Marks {
		if !isFinite(m.X) {
			return fmt.Errorf("plot: Options.Marks[%d].X must be finite, got %v", i, m.X)
		}
	}
	for i, m := range o.Minima {
		if !isFinite(m.X) || !isFinite(m.Y) {
			return fmt.Errorf("plot: Options.Minima[%d] must be finite, got (%v, %v)", i, m.X, m.Y)
		}
	}
	if o.Levels < 0 || o.Levels > maxLevels {
		return fmt.Errorf("plot: Options.Levels must be in [0, %d] (0 = %d), got %d", maxLevels, defaultLevels, o.Levels)
	}
	if o.Spacing < SpacingAuto || o.Spacing > SpacingQuantile {
		return fmt.Errorf("plot: Options.Spacing must be one of SpacingAuto..SpacingQuantile, got %d", int(o.Spacing))
	}
	if o.Resolution != 0 && (o.Resolution < minGrid || o.Resolution > maxGrid) {
		return fmt.Errorf("plot: Options.Resolution must be 0 (default %d) or in [%d, %d], got %d", defaultGrid, minGrid, maxGrid, o.Resolution)
	}
	return nil
}

// size returns the picture size, defaulting each zero side.
func (o Options) size(defW, defH float64) (w, h vg.Length) {
	wcm, hcm := o.Width, o.Height
	if wcm == 0 {
		wcm = defW
	}
	if hcm == 0 {
		hcm = defH
	}
	return vg.Length(wcm) * vg.Centimeter, vg.Length(hcm) * vg.Centimeter
}

func (o Options) dpi() float64 {
	if o.DPI == 0 {
		return defaultDPI
	}
	return o.DPI
}

func (o Options) levels() int {
	if o.Levels == 0 {
		return defaultLevels
	}
	return o.Levels
}

func (o Options) grid() int {
	if o.Resolution == 0 {
		return defaultGrid
	}
	return o.Resolution
}
