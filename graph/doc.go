// Package graph is the only part of Descent that drives Gorgonia's machinery.
//
// A model is written as a Gorgonia expression graph. Package graph builds that
// graph once per batch size, asks Gorgonia for the reverse-mode derivative of
// the loss with respect to every named parameter (gorgonia.Grad, called once),
// and then runs the differentiated graph with its own executor instead of
// Gorgonia's TapeMachine:
//
//   - only the nodes that the loss, the parameter gradients or the prediction
//     need are run; the gradients Gorgonia builds for data inputs (X, y) are
//     pruned and never computed;
//   - every node's value lives in a buffer allocated once and reused on every
//     step, so a steady-state step allocates nothing;
//   - the step runs on the calling goroutine, with no channel round trip;
//   - a large batch whose loss is a mean over rows is split into row blocks
//     that fit in cache and run in parallel, their gradients averaged with
//     the block weights (gradient accumulation), so the data matrix is read
//     while it is hot and every core is used.
//
// Kernels for Gorgonia's common ops (matrix products through gonum's BLAS,
// elementwise arithmetic and functions, reductions, repeats, softmax) are
// native; any other op falls back to its own Do method.
//
// Values are float64 or float32. A float32 engine holds its parameters,
// gradients and buffers in float32 (Engine.Params32, Grads32, Buffers32),
// which its programs read and write directly and a float32 optimizer
// updates in place; only the batch is converted from float64, and the loss
// is reported as a float64. Its Params, Grads and Buffers are float64
// views, copied on request.
package graph
