package graph

// MasterCopy runs, on engine e built for float32, only the work a float32
// training step does because the parameters, their gradients and the data
// are kept in float64: the parameters and buffers converted to float32
// (syncParams), the batch converted (data), and the n-row training
// program's gradients converted back into Grads. It reports false for a
// float64 engine, which has no such work.
func MasterCopy(e *Engine, X, Y []float64, n int) bool {
	x, ok := e.exec.(*exec[float32])
	if !ok {
		return false
	}
	x.syncParams()
	x.data(X, Y)
	p, err := x.prog(0, kindTrain, n)
	if err != nil {
		panic(err)
	}
	for j, prm := range e.spec.Params {
		g := e.grads[prm.Name]
		for i, v := range p.vals[p.grads[j]] {
			g[i] = float64(v)
		}
	}
	return true
}
