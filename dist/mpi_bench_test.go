//go:build mpi

package dist

import (
	"fmt"
	"testing"
)

// BenchmarkMPICallPath compares a collective run on the calling thread (the
// path under MPI_THREAD_SERIALIZED or better) with one funneled through the
// main thread over a channel (the path under FUNNELED), side by side, at
// sizes where the hand-off would show. Run it under mpirun with a fixed
// iteration count, which every rank must share:
//
//	go test -c -tags mpi -o /tmp/dist.test ./dist
//	mpirun -np 2 /tmp/dist.test -test.run '^$' -test.bench MPICallPath -test.benchtime 20000x
func BenchmarkMPICallPath(b *testing.B) {
	c, err := Init()
	if err != nil {
		b.Fatal(err)
	}
	m, ok := c.(*mpiComm)
	if !ok {
		b.Skip("dist: not launched by an MPI launcher; run this benchmark under mpirun with -test.benchtime Nx")
	}
	for _, size := range []int{8, 1 << 10, 64 << 10} {
		for _, funnel := range []bool{false, true} {
			b.Run(fmt.Sprintf("%dB/funnel=%v", size, funnel), func(b *testing.B) {
				m.mu.Lock()
				m.funnel = funnel
				m.mu.Unlock()
				buf := make([]float64, size/8)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				if err := m.Barrier(); err != nil {
					m.Abort(1, err.Error())
				}
				for b.Loop() {
					if err := m.AllreduceSum64(buf); err != nil {
						m.Abort(1, err.Error())
					}
				}
			})
		}
	}
	m.mu.Lock()
	m.funnel = m.level < threadSerialized
	m.mu.Unlock()
}
