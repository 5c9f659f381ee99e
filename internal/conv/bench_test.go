package conv

import (
	"math/rand/v2"
	"testing"
)

// benchConvs are the convolutions of issue 10's targets at batch 64: the
// digits CNN (8×8 inputs) and LeNet-5 on Fashion-MNIST (28×28).
// bench/peers/torch_conv.py times torch on the same shapes.
var benchConvs = []struct {
	name string
	s    ConvSpec
}{
	{"digits-conv1", spec2d(64, 1, 8, 8, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)},
	{"digits-conv2", spec2d(64, 16, 4, 4, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1)},
	{"lenet-conv1", spec2d(64, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 1, 1, 1)},
	{"lenet-conv2", spec2d(64, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 1, 1, 1)},
}

var benchPools = []struct {
	name string
	s    PoolSpec
}{
	{"digits-pool1", poolSpec(64, 16, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1)},
	{"digits-pool2", poolSpec(64, 32, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1)},
	{"lenet-pool1", poolSpec(64, 6, 28, 28, 2, 2, 2, 2, 0, 0, 1, 1)},
	{"lenet-pool2", poolSpec(64, 16, 10, 10, 2, 2, 2, 2, 0, 0, 1, 1)},
}

func BenchmarkConv(b *testing.B) {
	for _, bc := range benchConvs {
		b.Run(bc.name, func(b *testing.B) { benchConv[float32](b, bc.s) })
	}
	b.Run("digits-conv2-f64", func(b *testing.B) { benchConv[float64](b, benchConvs[1].s) })
}

func benchConv[T Float](b *testing.B, s ConvSpec) {
	c, err := NewConv(s)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	fill := func(n int) []T {
		v := make([]T, n)
		for i := range v {
			v[i] = T(r.Float64() - 0.5)
		}
		return v
	}
	x, w, bias, dy := fill(c.InputSize()), fill(c.WeightSize()), fill(c.K), fill(c.OutputSize())
	y, dx, dw, db := make([]T, c.OutputSize()), make([]T, c.InputSize()), make([]T, c.WeightSize()), make([]T, c.K)
	ws := make([]T, c.WorkspaceSize())
	flops := 2 * float64(c.OutputSize()*(c.C/c.Groups)*c.KH*c.KW)
	run := func(name string, f func() error) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
	run("forward", func() error { return Forward(c, y, x, w, bias, ws) })
	run("backward-data", func() error { return BackwardData(c, dx, w, dy, ws) })
	run("backward-filter", func() error {
		if err := BackwardFilter(c, dw, x, dy, ws); err != nil {
			return err
		}
		return BiasGrad(c, db, dy)
	})
}

func BenchmarkPool(b *testing.B) {
	for _, bp := range benchPools {
		p, err := NewMaxPool(bp.s)
		if err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 1))
		x, dx := make([]float32, p.InputSize()), make([]float32, p.InputSize())
		for i := range x {
			x[i] = float32(max(0, r.Float64()-0.5)) // as after a ReLU
		}
		y, dy := make([]float32, p.OutputSize()), make([]float32, p.OutputSize())
		for i := range dy {
			dy[i] = float32(r.Float64())
		}
		if err := MaxPoolForward(p, y, x); err != nil {
			b.Fatal(err)
		}
		b.Run(bp.name+"/max-forward", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = MaxPoolForward(p, y, x)
			}
		})
		b.Run(bp.name+"/max-backward", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = MaxPoolBackward(p, dx, x, y, dy)
			}
		})
	}
}
