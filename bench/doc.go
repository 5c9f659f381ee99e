// Package bench measures one float64 training step (forward pass,
// gradient, parameter update) of the same problems, side by side in one
// run on one machine:
//
//   - handgo: plain Go with a hand-derived gradient, a straightforward
//     forward pass then backward pass;
//   - fused: the fastest hand-written Go step we have: one pass over the
//     data, gonum's SIMD dot and axpy kernels, split over
//     runtime.NumCPU() workers for large batches, no allocations;
//   - gorgonia: stock Gorgonia (TapeMachine, Grad, built-in solvers);
//   - the Python peers numpy (hand gradient) and torch (autograd and
//     torch.optim), run from the scripts in peers/ by an interpreter that
//     imports them, or reported as skipped;
//   - any Contender added with Register, such as Descent's own engine.
//
// Every implementation builds the same data from closed formulas (NewData)
// and starts from the same parameters (InitParams), so after
// Options.CheckSteps steps all must reach the same loss; Run checks that
// and prints the times, allocations and ratios in one table (Table).
//
// The problems (ParseProblem) are linear regression (mse), logistic
// regression and softmax regression on full batches with SGD, and a ReLU
// MLP on mini-batches with Adam.
package bench
