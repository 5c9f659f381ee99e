package train

import (
	"math"

	"github.com/descent-ml/descent/graph"
)

// values are a run's parameters, gradients and buffers, of the engine's
// dtype, with the copies the loop keeps of them: one implementation per
// element type (typed), so that the loop's body is written once.
type values interface {
	// gradSq is Σg² over the gradients in names' order (float64 sums),
	// and the name of the first gradient with a non-finite value.
	gradSq(names []string) (sq float64, bad string)
	// update saves the parameters and runs the optimizer on them; bad
	// names a parameter left non-finite, whose values are then restored.
	update() (bad string, err error)
	saveBuffers()
	// restore puts back the parameters and buffers saved before the step.
	restore()
	// hookViews are the parameters and gradients as float64, for hooks.
	hookViews() (params, grads map[string][]float64)
	// best copies the parameters, exactly, into dst (float64), reusing it.
	best(dst map[string][]float64) map[string][]float64
	// setBest copies them back.
	setBest(src map[string][]float64)
	// addGrads adds k·g into s, parameter by parameter in names' order.
	addGrads(names []string, s []float64, k float64) []float64
	// setGrads sets the gradients to s/n.
	setGrads(names []string, s []float64, n float64) []float64
}

// typed holds values of element type T: the engine's own maps, and step
// updates params from grads in place.
type typed[T float32 | float64] struct {
	params, grads, buffers map[string][]T
	backup, bufBackup      map[string][]T
	step                   func(params, grads map[string][]T) error
	// pv, gv are float64 views for hooks (a float32 run's only).
	pv, gv map[string][]float64
}

func newTyped[T float32 | float64](params, grads, buffers map[string][]T, step func(params, grads map[string][]T) error) *typed[T] {
	return &typed[T]{params: params, grads: grads, buffers: buffers, step: step,
		backup: cloneMap(nil, params), bufBackup: cloneMap(nil, buffers)}
}

func (t *typed[T]) gradSq(names []string) (float64, string) {
	var sq float64
	for _, name := range names {
		g := t.grads[name]
		for _, v := range g {
			sq += float64(v) * float64(v)
		}
		if !finite(g) {
			return sq, name
		}
	}
	return sq, ""
}

func (t *typed[T]) update() (string, error) {
	cloneMap(t.backup, t.params)
	if err := t.step(t.params, t.grads); err != nil {
		return "", err
	}
	for name, p := range t.params {
		if !finite(p) {
			copyMap(t.params, t.backup)
			return name, nil
		}
	}
	return "", nil
}

func (t *typed[T]) saveBuffers() { cloneMap(t.bufBackup, t.buffers) }

func (t *typed[T]) restore() {
	copyMap(t.params, t.backup)
	copyMap(t.buffers, t.bufBackup)
}

func (t *typed[T]) hookViews() (map[string][]float64, map[string][]float64) {
	if p, ok := any(t.params).(map[string][]float64); ok {
		return p, any(t.grads).(map[string][]float64)
	}
	t.pv, t.gv = widenMap(t.pv, t.params), widenMap(t.gv, t.grads)
	return t.pv, t.gv
}

func (t *typed[T]) best(dst map[string][]float64) map[string][]float64 {
	return widenMap(dst, t.params)
}

func (t *typed[T]) setBest(src map[string][]float64) {
	for k, v := range src {
		d := t.params[k]
		for i := range d {
			d[i] = T(v[i])
		}
	}
}

func (t *typed[T]) addGrads(names []string, s []float64, k float64) []float64 {
	for _, n := range names {
		for i, g := range t.grads[n] {
			s[i] += k * float64(g)
		}
		s = s[len(t.grads[n]):]
	}
	return s
}

func (t *typed[T]) setGrads(names []string, s []float64, n float64) []float64 {
	for _, name := range names {
		g := t.grads[name]
		for i := range g {
			g[i] = T(s[i] / n)
		}
		s = s[len(g):]
	}
	return s
}

// valuesOf picks the engine's values and the optimizer of its dtype.
func valuesOf(e *graph.Engine, opt Optimizer) values {
	if o, ok := opt.(Optimizer32); ok && e.Params32() != nil {
		return newTyped(e.Params32(), e.Grads32(), e.Buffers32(), o.Step32)
	}
	return newTyped(e.Params(), e.Grads(), e.Buffers(), opt.Step)
}

func finite[T float32 | float64](v []T) bool {
	for _, x := range v {
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return false
		}
	}
	return true
}

// cloneMap copies p into dst, allocating dst's slices the first time.
func cloneMap[T float32 | float64](dst, p map[string][]T) map[string][]T {
	if dst == nil {
		dst = make(map[string][]T, len(p))
	}
	for k, v := range p {
		if d, ok := dst[k]; ok && len(d) == len(v) {
			copy(d, v)
		} else {
			dst[k] = append([]T(nil), v...)
		}
	}
	return dst
}

func copyMap[T float32 | float64](dst, src map[string][]T) {
	for k, v := range src {
		copy(dst[k], v)
	}
}

// widenMap copies p into dst as float64, exactly, reusing dst.
func widenMap[T float32 | float64](dst map[string][]float64, p map[string][]T) map[string][]float64 {
	if dst == nil {
		dst = make(map[string][]float64, len(p))
	}
	for k, v := range p {
		d := dst[k]
		if len(d) != len(v) {
			d = make([]float64, len(v))
			dst[k] = d
		}
		for i, x := range v {
			d[i] = float64(x)
		}
	}
	return dst
}
