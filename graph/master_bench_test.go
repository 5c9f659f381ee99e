package graph_test

import (
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

// masterNets are the float32 networks whose float64 master copy
// BenchmarkFloat32MasterCopy measures: issue 10's digits CNN on 8×8 images
// and LeNet-5 on 28×28, batch 64.
var masterNets = []struct {
	name, net string
	input     []int
}{
	{"digits-cnn", "conv2d(16,3,padding=1) relu maxpool2d(2) conv2d(32,3,padding=1) relu maxpool2d(2) flatten linear(10)", []int{1, 8, 8}},
	{"lenet5", "conv2d(6,5,padding=2) relu maxpool2d(2) conv2d(16,5) relu maxpool2d(2) flatten linear(120) relu linear(84) relu linear(10)", []int{1, 28, 28}},
}

// BenchmarkFloat32MasterCopy compares a float32 training step of each
// network (Engine.Step on one worker, no optimizer) with the part of it
// that exists only because parameters, gradients and data stay float64
// (graph.MasterCopy: parameters and data converted to float32, gradients
// back to float64). The copy's share of the step is copy ÷ step; an
// optimizer in float64 (Adam's moments) costs on top and is not counted.
//
//	go test ./graph -run XXX -bench Float32MasterCopy -cpu 1
func BenchmarkFloat32MasterCopy(b *testing.B) {
	const n = 64
	for _, net := range masterNets {
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
		b.Run(net.name+"/master-copy", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !graph.MasterCopy(e, X, Y, n) {
					b.Fatal("not a float32 engine")
				}
			}
		})
	}
}
