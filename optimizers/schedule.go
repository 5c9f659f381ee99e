package optimizers

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Schedule gives the learning rate for the 0-based step t (t = 0 is the
// first update). A schedule is a pure function of t.
type Schedule func(t int) float64

// Constant is lr at every step.
func Constant(lr float64) Schedule { return func(int) float64 { return lr } }

// StepDecay multiplies lr by γ every n steps: lr·γ^⌊t/n⌋ (torch StepLR).
func StepDecay(lr float64, n int, gamma float64) Schedule {
	return func(t int) float64 { return lr * math.Pow(gamma, float64(t/n)) }
}

// Exponential is lr·γᵗ (torch ExponentialLR).
func Exponential(lr, gamma float64) Schedule {
	return func(t int) float64 { return lr * math.Pow(gamma, float64(t)) }
}

// Cosine anneals from lr to min over T steps and stays at min after:
// min + (lr−min)·(1 + cos(π·t/T))/2 (Loshchilov & Hutter 2017, SGDR without
// restarts; the closed form of torch CosineAnnealingLR).
func Cosine(lr float64, T int, min float64) Schedule {
	return func(t int) float64 {
		if t >= T {
			return min
		}
		return min + (lr-min)*(1+math.Cos(math.Pi*float64(t)/float64(T)))/2
	}
}

// Warmup ramps linearly over w steps, lr_t = then(0)·(t+1)/w for t < w,
// then follows then shifted by w steps: then(t−w) (Goyal et al. 2017).
func Warmup(w int, then Schedule) Schedule {
	return func(t int) float64 {
		if t < w {
			return then(0) * float64(t+1) / float64(w)
		}
		return then(t - w)
	}
}

// ParseSchedule reads a schedule spec for base learning rate lr:
//
//	constant | step:N:γ | exp:γ | cosine:T[:min] | warmup:W+<one of those>
func ParseSchedule(spec string, lr float64) (Schedule, error) {
	bad := func(why string) (Schedule, error) {
		return nil, fmt.Errorf("optimizers: schedule %q: %s (want constant, step:N:gamma, exp:gamma, cosine:T[:min] or warmup:W+<schedule>)", spec, why)
	}
	if spec == "" || spec == "constant" {
		return Constant(lr), nil
	}
	if rest, ok := strings.CutPrefix(spec, "warmup:"); ok {
		w, inner, ok := strings.Cut(rest, "+")
		if !ok {
			inner = "constant"
		}
		n, err := strconv.Atoi(w)
		if err != nil || n < 1 {
			return bad("the warm-up length must be an integer >= 1")
		}
		if strings.HasPrefix(inner, "warmup:") {
			return bad("warm-up cannot follow warm-up")
		}
		then, err := ParseSchedule(inner, lr)
		if err != nil {
			return nil, err
		}
		return Warmup(n, then), nil
	}
	f := strings.Split(spec, ":")
	num := func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
	switch f[0] {
	case "step":
		if len(f) != 3 {
			return bad("step needs N and gamma")
		}
		n, err := strconv.Atoi(f[1])
		g, err2 := num(f[2])
		if err != nil || n < 1 {
			return bad("N must be an integer >= 1")
		}
		if err2 != nil || !(g > 0 && g <= 1) {
			return bad("gamma must be in (0,1]")
		}
		return StepDecay(lr, n, g), nil
	case "exp":
		if len(f) != 2 {
			return bad("exp needs gamma")
		}
		g, err := num(f[1])
		if err != nil || !(g > 0 && g <= 1) {
			return bad("gamma must be in (0,1]")
		}
		return Exponential(lr, g), nil
	case "cosine":
		if len(f) != 2 && len(f) != 3 {
			return bad("cosine needs T and an optional min")
		}
		T, err := strconv.Atoi(f[1])
		if err != nil || T < 1 {
			return bad("T must be an integer >= 1")
		}
		min := 0.0
		if len(f) == 3 {
			if min, err = num(f[2]); err != nil || min < 0 || min > lr {
				return bad(fmt.Sprintf("min must be in [0, lr=%g]", lr))
			}
		}
		return Cosine(lr, T, min), nil
	}
	return bad("unknown schedule")
}
