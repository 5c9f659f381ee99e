// Package ops holds Descent's losses and activations, each built from
// Gorgonia operations so that their gradients come from Gorgonia's
// reverse-mode differentiation, and, beside them, hand-derived reference
// gradients in plain Go for the model/loss pairs that have a closed form.
// The references exist for tests and benchmarks only; training never uses
// them.
package ops
