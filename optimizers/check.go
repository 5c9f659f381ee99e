package optimizers

import (
	"fmt"
	"math"
)

// The range checks shared by Config and the transforms' Init, so that both
// report a bad value in the same words: "optimizers: beta1 must be in
// [0,1), got 1.2". Each rejects NaN; the unbounded ranges reject ±Inf.

func positive(name string, v float64) error {
	if !(v > 0) || math.IsInf(v, 0) {
		return fmt.Errorf("optimizers: %s must be > 0, got %v", name, v)
	}
	return nil
}

func nonNegative(name string, v float64) error {
	if !(v >= 0) || math.IsInf(v, 0) {
		return fmt.Errorf("optimizers: %s must be >= 0, got %v", name, v)
	}
	return nil
}

// halfOpen checks v ∈ [0,1).
func halfOpen(name string, v float64) error {
	if !(v >= 0 && v < 1) {
		return fmt.Errorf("optimizers: %s must be in [0,1), got %v", name, v)
	}
	return nil
}

// closed checks v ∈ [0,1].
func closed(name string, v float64) error {
	if !(v >= 0 && v <= 1) {
		return fmt.Errorf("optimizers: %s must be in [0,1], got %v", name, v)
	}
	return nil
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// nesterov checks Nesterov momentum's extra conditions, torch's "Nesterov
// momentum requires a momentum and zero dampening".
func nesterov(mu, dampening float64) error {
	if dampening != 0 {
		return fmt.Errorf("optimizers: nesterov momentum needs dampening 0, got %v", dampening)
	}
	if mu == 0 {
		return fmt.Errorf("optimizers: nesterov needs momentum > 0, got 0")
	}
	return nil
}
