package graph

// Float32Copy runs, on engine e built for float32, only the work a float32
// training step still does outside its programs: the batch converted from
// float64 (data) and the n-row training program's gradients copied into
// Grads32. It reports false for a float64 engine.
func Float32Copy(e *Engine, X, Y []float64, n int) bool {
	x, ok := e.exec.(*exec[float32])
	if !ok {
		return false
	}
	x.data(X, Y)
	p, err := x.prog(0, kindTrain, n)
	if err != nil {
		panic(err)
	}
	for j, g := range x.gv {
		copy(g, p.vals[p.grads[j]])
	}
	return true
}
