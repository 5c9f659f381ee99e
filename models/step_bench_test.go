package models

import (
	"fmt"
	"math"
	"testing"

	"github.com/descent-ml/descent/graph"
)

func BenchmarkStep(b *testing.B) {
	for _, sz := range [][2]int{{5, 1}, {1000, 10}, {100000, 100}} {
		n, d := sz[0], sz[1]
		X := make([]float64, n*d)
		Y := make([]float64, n)
		for i := range X {
			X[i] = math.Sin(0.37*float64(i/d) + 1.3*float64(i%d))
		}
		for i := range Y {
			Y[i] = math.Cos(float64(i))
		}
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("%dx%d/w%d", n, d, w), func(b *testing.B) {
				e, err := Problem{Model: Linear{Features: d}}.Engine(graph.Options{Workers: w})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := e.Step(X, Y, n); err != nil {
						b.Fatal(err)
					}
					for k, g := range e.Grads() {
						p := e.Params()[k]
						for i := range p {
							p[i] -= 0.01 * g[i]
						}
					}
				}
			})
		}
	}
}

func BenchmarkStepMLP(b *testing.B) {
	n, d, k := 128, 64, 10
	X := make([]float64, n*d)
	Y := make([]float64, n*k)
	for i := range X {
		X[i] = math.Sin(0.37*float64(i/d) + 1.3*float64(i%d))
	}
	for i := 0; i < n; i++ {
		Y[i*k+i%k] = 1
	}
	m, err := NewMLP(d, k, []int{128}, "relu", 1)
	if err != nil {
		b.Fatal(err)
	}
	e, err := Problem{Model: m, Loss: "xent"}.Engine(graph.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Step(X, Y, n); err != nil {
			b.Fatal(err)
		}
	}
}
