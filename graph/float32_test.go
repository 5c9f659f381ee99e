package graph_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

// TestFloat32EngineHoldsFloat32 checks that a float32 engine's float32
// parameters are the truth: a Step changes Grads32 (and no parameter),
// writing Params32 in place changes the next step, Params is an exact
// float64 copy whose writes change nothing, and SetParams rounds; a
// float64 engine has no float32 values.
func TestFloat32EngineHoldsFloat32(t *testing.T) {
	seq, err := nn.Parse("linear(4) relu linear(3)")
	if err != nil {
		t.Fatal(err)
	}
	prob := models.Problem{Model: seq, Loss: "xent", Input: []int{5}, Target: []int{3}, Dtype: tensor.Float32}
	e, err := prob.Engine(graph.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if e.Dtype() != tensor.Float32 || e.Params32() == nil || e.Grads32() == nil {
		t.Fatalf("a float32 engine: dtype %v, params32 %v", e.Dtype(), e.Params32() != nil)
	}
	r := rand.New(rand.NewPCG(3, 4))
	const n = 16
	X, Y := make([]float64, n*5), make([]float64, n*3)
	for i := range X {
		X[i] = r.NormFloat64()
	}
	for i := 0; i < n; i++ {
		Y[i*3+r.IntN(3)] = 1
	}
	before := map[string][]float32{}
	for k, v := range e.Params32() {
		before[k] = slices.Clone(v)
	}
	if _, err := e.Step(X, Y, n); err != nil {
		t.Fatal(err)
	}
	nonzero := false
	for k, v := range e.Params32() {
		if !slices.Equal(v, before[k]) {
			t.Fatalf("Step changed parameter %s", k)
		}
		for _, g := range e.Grads32()[k] {
			nonzero = nonzero || g != 0
		}
	}
	if !nonzero {
		t.Fatal("Step left every gradient 0")
	}
	for k, v := range e.Params() { // an exact copy
		for i, x := range v {
			if x != float64(e.Params32()[k][i]) {
				t.Fatalf("Params()[%s][%d] = %v, Params32 %v", k, i, x, e.Params32()[k][i])
			}
		}
	}
	for k, g := range e.Grads() {
		for i, x := range g {
			if x != float64(e.Grads32()[k][i]) {
				t.Fatalf("Grads()[%s][%d] = %v, Grads32 %v", k, i, x, e.Grads32()[k][i])
			}
		}
	}
	l0, err := e.Loss(X, Y, n)
	if err != nil {
		t.Fatal(err)
	}
	e.Params()["0.weight"][0] += 1 // a copy: changes nothing
	if l, _ := e.Loss(X, Y, n); l != l0 {
		t.Fatalf("writing the float64 copy changed the loss: %v, was %v", l, l0)
	}
	e.Params32()["0.weight"][0] += 1 // the truth: changes the loss
	l1, _ := e.Loss(X, Y, n)
	if l1 == l0 {
		t.Fatal("writing Params32 did not change the loss")
	}
	if err := e.SetParams(map[string][]float64{"0.bias": {0.1, 0.2, 0.3, 0.4}}); err != nil {
		t.Fatal(err)
	}
	if got := e.Params32()["0.bias"]; !slices.Equal(got, []float32{0.1, 0.2, 0.3, 0.4}) {
		t.Fatalf("SetParams gave %v", got)
	}
	if err := e.SetParams32(map[string][]float32{"0.bias": {1, 2}}); err == nil {
		t.Fatal("SetParams32 took 2 values for 4")
	}
	prob.Dtype = tensor.Float64
	e64, err := prob.Engine(graph.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if e64.Params32() != nil || e64.Grads32() != nil || e64.SetParams32(nil) == nil {
		t.Fatal("a float64 engine has float32 values")
	}
}
