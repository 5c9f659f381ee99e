package optimizers

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/descent-ml/descent/internal/lex"
)

// Schedule is a learning-rate schedule: the rate for the 0-based step t
// (t = 0 is the first update). A Schedule is a pure function of t; the
// step count lives in the optimizer's state. The constructors give the
// closed forms of torch.optim.lr_scheduler's schedulers, stepped once after
// every update.
type Schedule func(t int) float64

// Constant is lr at every step.
func Constant(lr float64) (Schedule, error) {
	if err := positive("lr", lr); err != nil {
		return nil, err
	}
	return func(int) float64 { return lr }, nil
}

// StepDecay multiplies lr by γ every n steps, torch StepLR:
//
//	lr_t = lr·γ^⌊t/n⌋,   n ≥ 1, γ ∈ (0,1]
func StepDecay(lr float64, n int, gamma float64) (Schedule, error) {
	if err := firstErr(positive("lr", lr), gammaRange(gamma)); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("optimizers: step decay interval must be >= 1, got %d", n)
	}
	return func(t int) float64 { return lr * math.Pow(gamma, float64(t/n)) }, nil
}

// Exponential is lr_t = lr·γᵗ, γ ∈ (0,1], torch ExponentialLR.
func Exponential(lr, gamma float64) (Schedule, error) {
	if err := firstErr(positive("lr", lr), gammaRange(gamma)); err != nil {
		return nil, err
	}
	return func(t int) float64 { return lr * math.Pow(gamma, float64(t)) }, nil
}

// Cosine is cosine annealing from lr down to min ∈ [0, lr] over T ≥ 1 steps
// (Loshchilov & Hutter 2017, "SGDR: Stochastic Gradient Descent with Warm
// Restarts", ICLR), the closed form of torch CosineAnnealingLR:
//
//	lr_t = min + (lr − min)·(1 + cos(π·t/T))/2
//
// Like torch's, it does not stop at T: past T the rate rises again, with
// period 2T (SGDR's curve without its restarts). Choose T no smaller than
// the number of steps for a one-way anneal.
func Cosine(lr float64, T int, min float64) (Schedule, error) {
	if err := positive("lr", lr); err != nil {
		return nil, err
	}
	if T < 1 {
		return nil, fmt.Errorf("optimizers: cosine period T must be >= 1, got %d", T)
	}
	if !(min >= 0 && min <= lr) {
		return nil, fmt.Errorf("optimizers: cosine minimum must be in [0, lr=%v], got %v", lr, min)
	}
	return func(t int) float64 {
		// (1+cos)/2 first: (lr−min)·(1+cos) overflows for lr near
		// MaxFloat64. Halving is exact, so the value is the same bits.
		return min + (lr-min)*((1+math.Cos(math.Pi*float64(t)/float64(T)))/2)
	}, nil
}

// DefaultWarmupStart is the warm-up's default start factor, torch
// LinearLR's start_factor of 1/3.
const DefaultWarmupStart = 1.0 / 3

// Warmup ramps the rate linearly for w ≥ 1 steps, from start·then(0) up to
// then(0), and then follows then, restarted: torch LinearLR(start_factor =
// start, total_iters = w) followed by then in a SequentialLR with milestone w.
//
//	lr_t = then(0)·(start + (1−start)·t/w)   for t < w
//	lr_t = then(t − w)                        for t ≥ w
//
// start ∈ (0,1]; DefaultWarmupStart is torch's default. Linear warm-up is
// the gradual warm-up of Goyal et al. 2017 ("Accurate, Large Minibatch SGD:
// Training ImageNet in 1 Hour", arXiv:1706.02677).
func Warmup(w int, start float64, then Schedule) (Schedule, error) {
	if w < 1 {
		return nil, fmt.Errorf("optimizers: warm-up length must be >= 1, got %d", w)
	}
	if !(start > 0 && start <= 1) {
		return nil, fmt.Errorf("optimizers: warm-up start factor must be in (0,1], got %v", start)
	}
	if then == nil {
		return nil, fmt.Errorf("optimizers: warm-up needs a schedule to follow")
	}
	return func(t int) float64 {
		if t < w {
			return then(0) * (start + (1-start)*float64(t)/float64(w))
		}
		return then(t - w)
	}, nil
}

// InverseTimeDecay divides a schedule by 1 + decay·t, decay ≥ 0: Adagrad's
// lr_decay, torch's clr = lr/(1 + (step−1)·lr_decay) with step = t+1.
func InverseTimeDecay(s Schedule, decay float64) (Schedule, error) {
	if err := nonNegative("lr-decay", decay); err != nil {
		return nil, err
	}
	if s == nil {
		return nil, fmt.Errorf("optimizers: inverse time decay needs a schedule")
	}
	return func(t int) float64 { return s(t) / (1 + float64(t)*decay) }, nil
}

func gammaRange(g float64) error {
	if !(g > 0 && g <= 1) {
		return fmt.Errorf("optimizers: gamma must be in (0,1], got %v", g)
	}
	return nil
}

// ScheduleSpecs is the grammar ParseSchedule reads.
const ScheduleSpecs = "constant, step:N:gamma, exp:gamma, cosine:T[:min] or warmup:W[:start]+<one of those>"

// MaxScheduleSteps bounds the step counts a schedule spec may give (N, T,
// W): 2^53, beyond which a float64 no longer counts every step.
const MaxScheduleSteps = 1 << 53

// ParseSchedule reads a schedule spec for the base learning rate lr:
//
//	constant               Constant(lr); "" is constant too
//	step:N:γ               StepDecay(lr, N, γ)
//	exp:γ                  Exponential(lr, γ)
//	cosine:T[:min]         Cosine(lr, T, min), min 0 by default
//	warmup:W[:start]+S     Warmup(W, start, S), S one of the above;
//	                       start DefaultWarmupStart by default; "warmup:W"
//	                       alone is warmup:W+constant
//
// e.g. "step:100:0.5", "exp:0.99", "cosine:1000:1e-4", "warmup:50+cosine:1000".
// Step counts are decimal integers in [1, MaxScheduleSteps]; other numbers
// are finite decimals ("0.5", "1e-4"; no hexadecimal, underscores, NaN or
// Inf). Anything else is an error, nothing is read silently: an empty part,
// a "+" with nothing after it, trailing characters, fields a schedule does
// not take. Errors quote the spec (at most 40 bytes of it) and name the
// part that is wrong and the allowed forms.
//
// Every schedule it returns gives a finite rate in [0, lr] at every step
// t ≥ 0, so that no step count can turn the rate into NaN or Inf.
func ParseSchedule(spec string, lr float64) (Schedule, error) {
	s, err := parseSchedule(spec, lr)
	if err != nil {
		return nil, fmt.Errorf("optimizers: schedule %s: %s (want %s)", lex.Quote(spec), strings.TrimPrefix(err.Error(), "optimizers: "), ScheduleSpecs)
	}
	return s, nil
}

func parseSchedule(spec string, lr float64) (Schedule, error) {
	if head, rest, ok := strings.Cut(spec, "+"); ok || strings.HasPrefix(spec, "warmup:") {
		f := strings.Split(head, ":")
		if f[0] != "warmup" {
			return nil, fmt.Errorf("only a warm-up, warmup:W[:start], may come before a +")
		}
		if len(f) < 2 || len(f) > 3 {
			return nil, fmt.Errorf("a warm-up is warmup:W[:start]")
		}
		w, err := atoi("warm-up length W", f[1])
		if err != nil {
			return nil, err
		}
		start := DefaultWarmupStart
		if len(f) == 3 {
			if start, err = atof("warm-up start factor", f[2]); err != nil {
				return nil, err
			}
		}
		switch {
		case !ok:
			rest = "constant"
		case rest == "":
			return nil, fmt.Errorf(`nothing after "+" (a warm-up is followed by a schedule: warmup:W[:start]+S)`)
		case strings.HasPrefix(rest, "warmup"):
			return nil, fmt.Errorf("a warm-up cannot follow a warm-up")
		}
		then, err := parseSchedule(rest, lr)
		if err != nil {
			return nil, err
		}
		return Warmup(w, start, then)
	}
	f := strings.Split(spec, ":")
	switch {
	case spec == "" || spec == "constant":
		return Constant(lr)
	case f[0] == "constant":
		return nil, fmt.Errorf("constant takes no fields")
	case f[0] == "step" && len(f) == 3:
		n, err := atoi("step interval N", f[1])
		if err != nil {
			return nil, err
		}
		g, err := atof("gamma", f[2])
		if err != nil {
			return nil, err
		}
		return StepDecay(lr, n, g)
	case f[0] == "exp" && len(f) == 2:
		g, err := atof("gamma", f[1])
		if err != nil {
			return nil, err
		}
		return Exponential(lr, g)
	case f[0] == "cosine" && (len(f) == 2 || len(f) == 3):
		T, err := atoi("cosine period T", f[1])
		if err != nil {
			return nil, err
		}
		min := 0.0
		if len(f) == 3 {
			if min, err = atof("cosine minimum", f[2]); err != nil {
				return nil, err
			}
		}
		return Cosine(lr, T, min)
	case f[0] == "warmup":
		return nil, fmt.Errorf("a warm-up is warmup:W[:start]")
	case f[0] == "step" || f[0] == "exp" || f[0] == "cosine":
		return nil, fmt.Errorf("wrong number of fields for %s", f[0])
	}
	return nil, fmt.Errorf("unknown schedule %s", lex.Quote(f[0]))
}

// atoi reads a step count: a decimal integer up to MaxScheduleSteps (the
// constructors check the lower bound, so that 0 and negatives get their
// messages).
func atoi(what, s string) (int, error) {
	n, err := lex.Int(s)
	switch {
	case errors.Is(err, lex.ErrRange) && strings.HasPrefix(s, "-"):
		return 0, fmt.Errorf("%s must be >= 1, got %s", what, lex.Quote(s))
	case errors.Is(err, lex.ErrRange), err == nil && n > MaxScheduleSteps:
		return 0, fmt.Errorf("%s must be at most %d, got %s", what, MaxScheduleSteps, lex.Quote(s))
	case err != nil:
		return 0, fmt.Errorf("%s must be an integer, got %s", what, lex.Quote(s))
	}
	return n, nil
}

// atof reads a finite number in plain decimal notation.
func atof(what, s string) (float64, error) {
	v, err := lex.Float(s)
	switch {
	case errors.Is(err, lex.ErrNonFinite):
		return 0, fmt.Errorf("%s must be a finite number, got %s", what, lex.Quote(s))
	case err != nil:
		return 0, fmt.Errorf("%s must be a number, got %s", what, lex.Quote(s))
	}
	return v, nil
}
