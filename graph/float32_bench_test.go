package graph_test

import (
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

// float32Nets are the float32 networks whose conversions
// BenchmarkFloat32Copy measures: issue 10's digits CNN on 8×8 images
// and LeNet-5 on 28×28, batch 64.
var float32Nets = []struct {
	name, net string
	input     []int
}{
	{"digits-cnn", "conv2d(16,3,padding=1) relu maxpool2d(2) conv2d(32,3,padding=1) relu maxpool2d(2) flatten linear(10)", []int{1, 8, 8}},
	{"lenet5", "conv2d(6,5,padding=2) relu maxpool2d(2) conv2d(16,5) relu maxpool2d(2) flatten linear(120) relu linear(84) relu linear(10)", []int{1, 28, 28}},
}

// BenchmarkFloat32Copy compares a float32 training step of each network
// (Engine.Step on one worker, no optimizer) with the copying it still does
// outside its programs (graph.Float32Copy: the float64 batch converted to
// float32, the gradients copied out of the program into Grads32; the
// parameters are bound directly). The copy's share of the step is
// copy ÷ step.
//
//	go test ./graph -run XXX -bench Float32Copy -cpu 1
func BenchmarkFloat32Copy(b *testing.B) {
	const n = 64
	for _, net := range float32Nets {
		seq, err := nn.Parse(net.net)
		if err != nil {
			b.Fatal(err)
		}
		e, err := models.Problem{Model: seq, Loss: "xent", Input: net.input, Target: []int{10}, Dtype: tensor.Float32}.Engine(graph.Options{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		d := 1
		for _, v := range net.input {
			d *= v
		}
		r := rand.New(rand.NewPCG(1, 2))
		X, Y := make([]float64, n*d), make([]float64, n*10)
		for i := range X {
			X[i] = r.Float64()
		}
		for i := 0; i < n; i++ {
			Y[i*10+r.IntN(10)] = 1
		}
		if _, err := e.Step(X, Y, n); err != nil {
			b.Fatal(err)
		}
		b.Run(net.name+"/step", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Step(X, Y, n); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(net.name+"/copy", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !graph.Float32Copy(e, X, Y, n) {
					b.Fatal("not a float32 engine")
				}
			}
		})
	}
}
