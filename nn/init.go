package nn

import (
	"math"
	"math/rand/v2"

	"github.com/descent-ml/descent/graph"
)

// Uniform draws every value from U(−bound, bound).
func Uniform(bound float64) graph.Init {
	return func(shape []int, rng *rand.Rand) []float64 {
		v := make([]float64, size(shape))
		for i := range v {
			v[i] = (2*rng.Float64() - 1) * bound
		}
		return v
	}
}

// KaimingUniform is PyTorch's default initialisation of Linear and Conv
// weights, kaiming_uniform_(a=√5) (He et al. 2015): U(±gain·√(3/fan_in))
// with gain √(2/(1+a²)) = √(1/3), that is U(±1/√fan_in). PyTorch draws the
// bias from the same U(±1/√fan_in), so both use this initializer.
func KaimingUniform(fanIn int) graph.Init {
	return Uniform(1 / math.Sqrt(float64(max(fanIn, 1))))
}

// Normal draws every value from N(0, std²).
func Normal(std float64) graph.Init {
	return func(shape []int, rng *rand.Rand) []float64 {
		v := make([]float64, size(shape))
		for i := range v {
			v[i] = rng.NormFloat64() * std
		}
		return v
	}
}

// Constant sets every value to c (Ones is Constant(1); nil Init is zeros).
func Constant(c float64) graph.Init {
	return func(shape []int, _ *rand.Rand) []float64 {
		v := make([]float64, size(shape))
		for i := range v {
			v[i] = c
		}
		return v
	}
}

func size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
