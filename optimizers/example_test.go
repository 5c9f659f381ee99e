package optimizers_test

import (
	"fmt"

	"github.com/descent-ml/descent/optimizers"
)

// Swapping optimizers is one field: minimise f(w) = (w−3)² with each.
func ExampleNew() {
	for _, name := range []string{"gd", "momentum", "adam"} {
		o, err := optimizers.New(optimizers.Config{Name: name, LR: 0.1})
		if err != nil {
			fmt.Println(err)
			return
		}
		w := []float64{0}
		g := []float64{0}
		_ = o.Init(optimizers.Params{"w": w})
		for i := 0; i < 300; i++ {
			g[0] = 2 * (w[0] - 3)
			_ = o.Step(optimizers.Params{"w": w}, optimizers.Params{"w": g})
		}
		fmt.Printf("%-8s w = %.4f\n", name, w[0])
	}
	_, err := optimizers.New(optimizers.Config{Name: "adam", Beta1: 1.2, Set: map[string]bool{"beta1": true}})
	fmt.Println(err)
	// Output:
	// gd       w = 3.0000
	// momentum w = 3.0000
	// adam     w = 3.0000
	// optimizers: beta1 must be in [0,1), got 1.2
}

// A warm-up then cosine schedule composed with gradient clipping.
func ExampleParseSchedule() {
	o, err := optimizers.New(optimizers.Config{Name: "momentum", LR: 0.1, Schedule: "warmup:2+cosine:4", ClipNorm: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	w, g := []float64{10}, []float64{0}
	_ = o.Init(optimizers.Params{"w": w})
	for i := 0; i < 6; i++ {
		lr := o.LR()
		g[0] = 2 * w[0] // clipped to norm 1
		_ = o.Step(optimizers.Params{"w": w}, optimizers.Params{"w": g})
		fmt.Printf("step %d lr %.4f w %.4f\n", i, lr, w[0])
	}
	// Output:
	// step 0 lr 0.0500 w 9.9500
	// step 1 lr 0.1000 w 9.7600
	// step 2 lr 0.1000 w 9.4890
	// step 3 lr 0.0854 w 9.1955
	// step 4 lr 0.0500 w 8.9907
	// step 5 lr 0.0146 w 8.9221
}

// Chain composes transforms: clip, then coupled weight decay, then Adam.
func ExampleChain() {
	t := optimizers.Chain(optimizers.ClipByValue(1), optimizers.AddDecayedWeights(0.1), optimizers.ScaleByAdam(0.9, 0.999, 1e-8, false))
	params := optimizers.Params{"w": {2}}
	s := &optimizers.State{}
	_ = t.Init(params, s)
	u := optimizers.Params{"w": {5}} // clipped to 1, plus 0.1·2 = 1.2
	_ = t.Update(u, s, params)
	// Adam's first update: m/(√v̂+ε) = 0.12/1.2; Optimizer.Step then
	// multiplies by lr/(1−β1).
	fmt.Printf("update %.6f, slots %d\n", u["w"][0], len(s.Slots))
	// Output:
	// update 0.100000, slots 2
}
