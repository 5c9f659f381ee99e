// Package plot draws the pictures that make gradient descent visible:
// loss curves, learning-rate and optimizer comparisons, contours of a loss
// surface with the descent paths drawn on them, and data with fitted curves.
//
// Callers pass plain Go slices ([Series]); the package knows nothing about
// models or optimizers. Every entry point validates its input and returns an
// error (prefixed "plot: ") instead of panicking; panics raised inside
// gonum.org/v1/plot, or by a caller's surface function, are recovered at the
// boundary and returned as errors.
//
// Choices made for the reader:
//
//   - A diverging curve does not flatten the others. When Options.YMax is 0,
//     [Lines] detects series that blow up (non-finite values, or values more
//     than 1000× the largest starting value) and clips the picture just above
//     the well-behaved ones; clipped curves say so in the legend, and a
//     triangle marks where a diverging curve leaves the picture.
//   - No curve runs along the frame: the Y axis of [Lines] leaves 5% of the
//     span free, and a flat curve (a run that learns nothing) is drawn
//     across the middle of a padded range.
//   - The legend never covers data: it goes in a corner of the data area
//     that no drawn segment, point or mark meets, and outside, to the
//     right of the plot, when every corner is taken.
//   - Tick labels use one format per axis, plain or m×10ⁿ (see
//     formatLinear), and an epoch axis (Options.IntegerX) has whole-number
//     ticks only. The lowest tick of a log axis is labelled.
//   - Seven series get seven Okabe–Ito colours, told apart under the
//     common colour-vision deficiencies.
//   - [Contour] keeps equal scales on both axes by default, so a descent path
//     crosses level sets at right angles exactly where the gradient says it
//     should, picks log-spaced levels for steep valleys (Rosenbrock) and
//     linear ones for bumpy surfaces, and stars known minima (Options.Minima).
//
// Every entry point returns in time and memory bounded by its input for any
// input: ranges of a few ulps, values near ±1.8e308, NaN and ±Inf, empty
// and one-point series. Tick and level generators count their steps before
// taking them, and series longer than 16384 points are decimated keeping
// each stretch's extremes, so a divergence spike stays visible.
//
// Files are written atomically, as PNG or SVG chosen by the extension (see [Save]).
package plot
