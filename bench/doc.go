// Package bench measures one training step (forward pass, gradient,
// parameter update) of the same problems, side by side in one run on one
// machine:
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
// and prints the times (wall clock and the process's CPU time),
// allocations and ratios in one table (Table), as text or JSON.
//
// The problems (ParseProblem) are linear regression (mse), logistic
// regression and softmax regression on full batches with SGD, a ReLU MLP
// on mini-batches with Adam, the float32 convolutional networks of issue
// 10 (cnn-digits, cnn-lenet; a network problem's reference is Descent's
// own float64 step, which agrees with PyTorch's to 1e-10), and one epoch
// of LeNet-5 on Fashion-MNIST (lenet-fashion) when it is installed. On the
// network problems every contender that can runs at 1 thread and at all
// cores and keeps the faster. Options.Rounds repeats every measurement in
// alternating order and keeps each row's best, for a shared machine.
//
// RunGemm times Descent's GEMM against NumPy's matmul (GFLOPS), and
// RunTargets measures issue 10's speed targets in one run and reads a
// verdict off for each. Every table names the machine: its CPU model, SIMD
// features and GEMM kernel (ThisMachine).
package bench
