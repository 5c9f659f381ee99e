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
// Three choices are made for the reader:
//
//   - A diverging curve does not flatten the others. When Options.YMax is 0,
//     [Lines] detects series that blow up (non-finite values, or values more
//     than 1000× the largest starting value) and clips the picture just above
//     the well-behaved ones; clipped curves say so in the legend, and a
//     triangle marks where a diverging curve leaves the picture.
//   - The legend goes in the corner of the data area that hides the fewest
//     drawn points, on a translucent white box.
//   - [Contour] keeps equal scales on both axes by default, so a descent path
//     crosses level sets at right angles exactly where the gradient says it
//     should, and picks log-spaced levels for steep valleys (Rosenbrock) and
//     linear ones for bumpy surfaces.
//
// Files are written atomically, as PNG or SVG chosen by the extension (see [Save]).
package plot
