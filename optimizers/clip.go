package optimizers

import (
	"math"

	"gonum.org/v1/gonum/floats"
)

// clipNorm rescales the updates to a maximum global norm.
type clipNorm[T Float] struct{ max float64 }

var (
	_ Transform   = clipNorm[float64]{}
	_ Transform32 = clipNorm[float32]{}
)

// ClipByGlobalNorm rescales the gradient so that its global L2 norm over
// every parameter is at most max > 0 (Pascanu, Mikolov & Bengio 2013, "On
// the difficulty of training recurrent neural networks", ICML), exactly as
// torch.nn.utils.clip_grad_norm_:
//
//	‖g‖ = √(Σₚ ‖gₚ‖²),   c = max / (‖g‖ + 1e-6),   g ← c·g  if c < 1
//
// The per-parameter norms are summed in parameter-name order, so the result
// does not depend on map order. The stage keeps no state; put it first in a
// chain, where the updates are still the gradients.
func ClipByGlobalNorm(max float64) Transform { return ClipByGlobalNormOf[float64](max) }

// ClipByGlobalNormOf is ClipByGlobalNorm over values of type T. For
// float32 it computes what clip_grad_norm_ computes on float32 tensors
// given the parameters in name order: every norm a float32 norm, reduced
// in eight float32 lanes as ATen's CPU kernel does (norm32), the norm of
// the per-parameter norms likewise, c = (1/(‖g‖ + 1e-6))·max in float32
// (Python's max / tensor is the tensor's reciprocal times max), clamped to
// 1, and g ← c·g.
func ClipByGlobalNormOf[T Float](max float64) TransformOf[T] { return clipNorm[T]{max} }

// Init checks max > 0.
func (c clipNorm[T]) Init(ParamsOf[T]) (StateOf[T], error) {
	return StateOf[T]{}, positive("clip-norm", c.max)
}

// Update rescales the updates when their global norm exceeds max.
func (c clipNorm[T]) Update(u ParamsOf[T], s StateOf[T], _ ParamsOf[T]) (StateOf[T], error) {
	if err := positive("clip-norm", c.max); err != nil {
		return s, err
	}
	if u32, ok := any(u).(Params32); ok {
		clip32(u32, float32(c.max))
		return s, nil
	}
	// Visit the names in sorted order without allocating: each pass picks
	// the smallest name after the previous one (a handful of parameters).
	var norm float64
	prev, started := "", false
	for range u {
		next, found := "", false
		for k := range u {
			if (!started || k > prev) && (!found || k < next) {
				next, found = k, true
			}
		}
		norm = math.Hypot(norm, norm2(u[next]))
		prev, started = next, true
	}
	coef := T(c.max / (norm + 1e-6))
	if coef >= 1 {
		return s, nil
	}
	for _, g := range u {
		for i := range g {
			g[i] *= coef
		}
	}
	return s, nil
}

// norm2 is the float64 L2 norm of v, gonum's (scaled, overflow-safe).
func norm2[T Float](v []T) float64 {
	if v64, ok := any(v).([]float64); ok {
		return floats.Norm(v64, 2)
	}
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// clip32 is ClipByGlobalNorm on float32 updates, as torch computes it.
// The per-parameter norms are at most 64 on the stack, then the heap.
func clip32(u Params32, max float32) {
	var buf [64]float32
	norms := buf[:0]
	prev, started := "", false
	for range u {
		next, found := "", false
		for k := range u {
			if (!started || k > prev) && (!found || k < next) {
				next, found = k, true
			}
		}
		norms = append(norms, norm32(u[next]))
		prev, started = next, true
	}
	// Python's max_norm / tensor is Tensor.__rdiv__, reciprocal() * max_norm.
	coef := float32(1/(norm32(norms)+1e-6)) * max
	coef = min(coef, 1) // torch.clamp(max=1); a NaN stays NaN
	for _, g := range u {
		for i := range g {
			g[i] *= coef
		}
	}
}

// norm32 is torch.norm(v, 2) of a float32 vector on the CPU: squares
// accumulated in eight float32 lanes (a Vectorized<float> of the baseline
// build), the lanes added in order, then the tail, then the root; every
// operation rounded to float32.
func norm32(v []float32) float32 {
	const lanes = 8
	var acc [lanes]float32
	d := 0
	for ; d+lanes <= len(v); d += lanes {
		for j := range acc {
			acc[j] += float32(v[d+j] * v[d+j])
		}
	}
	s := acc[0]
	for j := 1; j < lanes; j++ {
		s += acc[j]
	}
	for ; d < len(v); d++ {
		s += float32(v[d] * v[d])
	}
	return float32(math.Sqrt(float64(s)))
}

// clipValue clamps every update component.
type clipValue[T Float] struct{ max float64 }

var (
	_ Transform   = clipValue[float64]{}
	_ Transform32 = clipValue[float32]{}
)

// ClipByValue clamps every gradient component to [−max, max], max > 0, as
// torch.nn.utils.clip_grad_value_. The stage keeps no state.
func ClipByValue(max float64) Transform { return ClipByValueOf[float64](max) }

// ClipByValueOf is ClipByValue over values of type T, max rounded to T.
func ClipByValueOf[T Float](max float64) TransformOf[T] { return clipValue[T]{max} }

// Init checks max > 0.
func (c clipValue[T]) Init(ParamsOf[T]) (StateOf[T], error) {
	return StateOf[T]{}, positive("clip-value", c.max)
}

// Update clamps the updates; a NaN stays NaN, as in math.Max and torch.clamp.
func (c clipValue[T]) Update(u ParamsOf[T], s StateOf[T], _ ParamsOf[T]) (StateOf[T], error) {
	if err := positive("clip-value", c.max); err != nil {
		return s, err
	}
	hi := T(c.max)
	for _, g := range u {
		for i, v := range g {
			g[i] = max(-hi, min(hi, v))
		}
	}
	return s, nil
}
