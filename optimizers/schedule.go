package optimizers

import (
	"fmt"
	"math"
	"strconv"
	"strings"
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
		return min + (lr-min)*(1+math.Cos(math.Pi*float64(t)/float64(T)))/2
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
// Errors quote the spec.
func ParseSchedule(spec string, lr float64) (Schedule, error) {
	s, err := parseSchedule(spec, lr)
	if err != nil {
		return nil, fmt.Errorf("optimizers: schedule %q: %s (want %s)", spec, strings.TrimPrefix(err.Error(), "optimizers: "), ScheduleSpecs)
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
		if !ok {
			rest = "constant"
		}
		if strings.HasPrefix(rest, "warmup") {
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
	return nil, fmt.Errorf("unknown schedule %q", f[0])
}

func atoi(what, s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s must be an integer, got %q", what, s)
	}
	return n, nil
}

func atof(what, s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s must be a number, got %q", what, s)
	}
	return v, nil
}
