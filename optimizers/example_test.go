package optimizers_test

import (
	"fmt"
	"math"

	"github.com/descent-ml/descent/optimizers"
)

// Swapping optimizers is one field of the Config: minimize f(w) = (w − 3)²,
// whose gradient is 2(w − 3), with each.
func ExampleNew() {
	for _, name := range []string{"gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"} {
		o, err := optimizers.New(optimizers.Config{Name: name, LR: 0.3})
		if err != nil {
			fmt.Println(err)
			return
		}
		w := optimizers.Params{"w": {0}}
		g := optimizers.Params{"w": {0}}
		if err := o.Init(w); err != nil {
			fmt.Println(err)
			return
		}
		for i := 0; i < 500; i++ {
			g["w"][0] = 2 * (w["w"][0] - 3)
			if err := o.Step(w, g); err != nil {
				fmt.Println(err)
				return
			}
		}
		// adamw's decoupled decay (λ = 0.01) pulls w towards 0: its fixed
		// point solves 2(w − 3) ∝ −λw, slightly below 3.
		fmt.Printf("%-8s w = %.2f after %d steps\n", name, w["w"][0], o.StepCount())
	}
	// Output:
	// gd       w = 3.00 after 500 steps
	// momentum w = 3.00 after 500 steps
	// nesterov w = 3.00 after 500 steps
	// adagrad  w = 3.00 after 500 steps
	// rmsprop  w = 3.00 after 500 steps
	// adam     w = 3.00 after 500 steps
	// adamw    w = 2.99 after 500 steps
}

// A warm-up followed by cosine annealing, with the gradient clipped to norm
// 1 first: momentum on f(w) = w², from w = 10, where the gradient 2w = 20
// is clipped to 1.
func Example_scheduleWithClipping() {
	o, err := optimizers.New(optimizers.Config{Name: "momentum", LR: 0.1, Schedule: "warmup:2:0.5+cosine:4", ClipNorm: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	w := optimizers.Params{"w": {10}}
	g := optimizers.Params{"w": {0}}
	if err := o.Init(w); err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < 6; i++ {
		lr := o.LR()
		g["w"][0] = 2 * w["w"][0]
		if err := o.Step(w, g); err != nil {
			fmt.Println(err)
			return
		}
		// The buffer b of clipped gradients grows 1, 1.9, 2.71, …
		fmt.Printf("step %d: lr %.4f, w %.4f\n", i, lr, w["w"][0])
	}
	// Output:
	// step 0: lr 0.0500, w 9.9500
	// step 1: lr 0.0750, w 9.8075
	// step 2: lr 0.1000, w 9.5365
	// step 3: lr 0.0854, w 9.2430
	// step 4: lr 0.0500, w 9.0382
	// step 5: lr 0.0146, w 8.9696
}

// Chain composes transforms into an optimizer of one's own: here AdamW
// with gradient clipping by value, driven by hand.
func ExampleChain() {
	lr, err := optimizers.Constant(0.01)
	if err != nil {
		fmt.Println(err)
		return
	}
	adamw := optimizers.Chain(
		optimizers.ClipByValue(1),
		optimizers.ScaleByAdam(0.9, 0.999, 1e-8, false),
		optimizers.AddDecayedWeights(0.1), // after Adam: decoupled
		optimizers.ScaleByLearningRate(lr),
	)
	w := optimizers.Params{"w": {2}}
	state, err := adamw.Init(w)
	if err != nil {
		fmt.Println(err)
		return
	}
	u := optimizers.Params{"w": {5}} // the gradient, clipped to 1
	if state, err = adamw.Update(u, state, w); err != nil {
		fmt.Println(err)
		return
	}
	w["w"][0] -= u["w"][0]
	// Adam's first update is g/(|g| + ε) ≈ 1; the decay adds 0.1·2; both
	// are scaled by lr: 0.01·1.2.
	fmt.Printf("update %.6f, w %.6f, Adam's count %d\n", u["w"][0], w["w"][0], state.Stages[1].Count)
	// Output:
	// update 0.012000, w 1.988000, Adam's count 1
}

// ParseSchedule reads the CLI's schedule specs.
func ExampleParseSchedule() {
	s, err := optimizers.ParseSchedule("warmup:2+step:3:0.5", 0.1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for t := 0; t < 8; t++ {
		fmt.Printf("%.4f\n", s(t))
	}
	_, err = optimizers.ParseSchedule("cosine:0", 0.1)
	fmt.Println(err)
	// Nothing is read silently: a "+" needs a schedule after it.
	_, err = optimizers.ParseSchedule("warmup:10+", 0.1)
	fmt.Println(err)
	// Output:
	// 0.0333
	// 0.0667
	// 0.1000
	// 0.1000
	// 0.1000
	// 0.0500
	// 0.0500
	// 0.0500
	// optimizers: schedule "cosine:0": cosine period T must be >= 1, got 0 (want constant, step:N:gamma, exp:gamma, cosine:T[:min] or warmup:W[:start]+<one of those>)
	// optimizers: schedule "warmup:10+": nothing after "+" (a warm-up is followed by a schedule: warmup:W[:start]+S) (want constant, step:N:gamma, exp:gamma, cosine:T[:min] or warmup:W[:start]+<one of those>)
}

// FromFlags takes the options a user typed: a value given as zero is
// validated as zero, not replaced by the default.
func ExampleFromFlags() {
	c, err := optimizers.FromFlags("adam", map[string]float64{"lr": 0.01}, nil)
	fmt.Println(c.LR, c.Beta1, c.Beta2, c.Eps, err)
	_, err = optimizers.FromFlags("adam", map[string]float64{"eps": 0}, nil)
	fmt.Println(err)
	_, err = optimizers.FromFlags("gd", map[string]float64{"beta1": 0.9}, nil)
	fmt.Println(err)
	// Output:
	// 0.01 0.9 0.999 1e-08 <nil>
	// optimizers: eps must be > 0, got 0
	// optimizers: option beta1 does not apply to gd
}

// A run stopped after 3 steps and resumed from its saved state follows the
// uninterrupted run bit for bit.
func ExampleOptimizer_MarshalState() {
	cfg := optimizers.Config{Name: "adam", LR: 0.1, Schedule: "exp:0.9", ClipNorm: 1}
	grad := func(w optimizers.Params) optimizers.Params {
		return optimizers.Params{"w": {2 * (w["w"][0] - 3)}}
	}
	run := func(o *optimizers.Optimizer, w optimizers.Params, steps int) {
		for i := 0; i < steps; i++ {
			if err := o.Step(w, grad(w)); err != nil {
				fmt.Println(err)
			}
		}
	}
	straight, _ := optimizers.New(cfg)
	w1 := optimizers.Params{"w": {0}}
	_ = straight.Init(w1)
	run(straight, w1, 6)

	first, _ := optimizers.New(cfg)
	w2 := optimizers.Params{"w": {0}}
	_ = first.Init(w2)
	run(first, w2, 3)
	saved, err := first.MarshalState()
	if err != nil {
		fmt.Println(err)
		return
	}
	second, _ := optimizers.New(cfg)
	if err := second.UnmarshalState(saved); err != nil {
		fmt.Println(err)
		return
	}
	run(second, w2, 3)
	fmt.Println(second.StepCount(), math.Float64bits(w1["w"][0]) == math.Float64bits(w2["w"][0]))
	// Output:
	// 6 true
}

// Describe documents each optimizer for `descent optimizers`.
func ExampleDescribe() {
	for _, info := range optimizers.Describe() {
		fmt.Printf("%-8s %s\n", info.Name, info.Defaults)
	}
	// Output:
	// gd       lr 0.01, weight-decay 0
	// momentum lr 0.01, momentum 0.9, dampening 0, weight-decay 0
	// nesterov lr 0.01, momentum 0.9, dampening 0, weight-decay 0
	// adagrad  lr 0.01, eps 1e-10, weight-decay 0, lr-decay 0, initial-accumulator 0
	// rmsprop  lr 0.01, momentum 0, alpha 0.99, eps 1e-08, weight-decay 0, centered false
	// adam     lr 0.001, beta1 0.9, beta2 0.999, eps 1e-08, weight-decay 0, amsgrad false
	// adamw    lr 0.001, beta1 0.9, beta2 0.999, eps 1e-08, weight-decay 0.01, amsgrad false
}

// Names lists the optimizers.
func ExampleNames() {
	fmt.Println(optimizers.Names())
	// Output:
	// [gd momentum nesterov adagrad rmsprop adam adamw]
}

// The schedule constructors compose: a 3-step warm-up from a third of the
// rate, then cosine annealing over 4 steps, then Adagrad's lr_decay.
func ExampleWarmup() {
	cos, err := optimizers.Cosine(0.3, 4, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := optimizers.Warmup(3, optimizers.DefaultWarmupStart, cos)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := optimizers.InverseTimeDecay(s, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for t := 0; t < 8; t++ {
		fmt.Printf("step %d: %.4f, with lr_decay 1: %.4f\n", t, s(t), d(t))
	}
	// Output:
	// step 0: 0.1000, with lr_decay 1: 0.1000
	// step 1: 0.1667, with lr_decay 1: 0.0833
	// step 2: 0.2333, with lr_decay 1: 0.0778
	// step 3: 0.3000, with lr_decay 1: 0.0750
	// step 4: 0.2561, with lr_decay 1: 0.0512
	// step 5: 0.1500, with lr_decay 1: 0.0250
	// step 6: 0.0439, with lr_decay 1: 0.0063
	// step 7: 0.0000, with lr_decay 1: 0.0000
}

// ClipByGlobalNorm scales every gradient by max/(‖g‖ + 1e-6) when that is
// below 1: here ‖g‖ = √(3² + 4² + 12²) = 13.
func ExampleClipByGlobalNorm() {
	clip := optimizers.ClipByGlobalNorm(6.5)
	g := optimizers.Params{"W": {3, 4}, "b": {12}}
	s, err := clip.Init(g)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := clip.Update(g, s, nil); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("W %.4f b %.4f\n", g["W"], g["b"])
	// Output:
	// W [1.5000 2.0000] b [6.0000]
}

// Resolve fills in an optimizer's defaults: a zero field is the default
// unless it is named in Set.
func ExampleConfig_Resolve() {
	c, err := optimizers.Config{Name: "adamw", Set: map[string]bool{"weight-decay": true}}.Resolve()
	fmt.Println(c.LR, c.Beta1, c.Beta2, c.Eps, c.WeightDecay, err)
	c, err = optimizers.Config{Name: "adamw"}.Resolve()
	fmt.Println(c.WeightDecay, err)
	// Output:
	// 0.001 0.9 0.999 1e-08 0 <nil>
	// 0.01 <nil>
}
