package gemm

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// maxThreads is SetThreads's bound; 0 means GOMAXPROCS.
var maxThreads atomic.Int64

// SetThreads bounds the goroutines one Gemm may use (0 = GOMAXPROCS). Returns the previous
// value. It panics when n is negative.
func SetThreads(n int) int {
	if n < 0 {
		panic(fmt.Sprintf("gemm: SetThreads(%d): the bound must be >= 0", n))
	}
	return int(maxThreads.Swap(int64(n)))
}

// threads is the number of goroutines a Gemm may use now.
func threads() int {
	n := int(maxThreads.Load())
	if p := runtime.GOMAXPROCS(0); n == 0 || n > p {
		n = p
	}
	return n
}

// task is one part of a split product.
type task interface{ run() }

// workers are long-lived goroutines that run parts handed to them over an unbuffered channel.
// A hand-off succeeds only while a worker is idle and waiting; otherwise the caller runs the
// part itself, so a busy pool (several Gemm calls at once) never queues work behind itself.
var workers struct {
	mu sync.Mutex
	n  int
	ch chan task
}

// ensureWorkers starts workers until n are running.
func ensureWorkers(n int) chan task {
	workers.mu.Lock()
	defer workers.mu.Unlock()
	if workers.ch == nil {
		workers.ch = make(chan task)
	}
	for ; workers.n < n; workers.n++ {
		go func(ch chan task) {
			for t := range ch {
				t.run()
			}
		}(workers.ch)
	}
	return workers.ch
}

// part is a rectangle of C that one goroutine computes.
type part[E elem] struct {
	g              *problem[E]
	wg             *sync.WaitGroup
	m0, m1, n0, n1 int
}

func (p *part[E]) run() {
	buf := getBuffers[E]()
	p.g.block(p.m0, p.m1, p.n0, p.n1, buf)
	putBuffers(buf)
	p.wg.Done()
}

// split is the pooled state of one parallel call.
type split[E elem] struct {
	g     problem[E]
	parts []part[E]
	wg    sync.WaitGroup
}

var splitPools [2]pool

func splitPool[E elem]() *pool {
	var z E
	if _, ok := any(z).(float32); ok {
		return &splitPools[0]
	}
	return &splitPools[1]
}

// parallelWork is the number of multiply-adds below which a product runs on the caller's
// goroutine, and the least each extra goroutine is given. Handing a part to a parked worker
// costs a few microseconds; 2^17 multiply-adds take about that long on one AVX-512 core.
const parallelWork = 1 << 17

// numParts says how many goroutines a product of m·n·k multiply-adds should use.
func numParts(m, n, k int) int {
	work := m * n * k
	t := threads()
	if t <= 1 || work < 2*parallelWork {
		return 1
	}
	return max(1, min(t, work/parallelWork))
}

// run computes the whole product, split over the columns (or, when C has fewer column tiles
// than parts or is taller than wide, the rows) of C into parts of whole tiles.
func (g *problem[E]) run() {
	parts := numParts(g.m, g.n, g.k)
	kr := g.kern
	tilesM, tilesN := ceilDiv(g.m, kr.mr), ceilDiv(g.n, kr.nr)
	byRows := g.m > g.n && tilesM >= parts || tilesN < parts
	tiles := tilesN
	if byRows {
		tiles = tilesM
	}
	parts = min(parts, tiles)
	if parts <= 1 {
		buf := getBuffers[E]()
		g.block(0, g.m, 0, g.n, buf)
		putBuffers(buf)
		return
	}
	sp, _ := splitPool[E]().Get().(*split[E])
	if sp == nil {
		sp = new(split[E])
	}
	sp.g = *g
	if cap(sp.parts) < parts {
		sp.parts = make([]part[E], parts)
	}
	sp.parts = sp.parts[:parts]
	for i := range sp.parts {
		lo, hi := i*tiles/parts, (i+1)*tiles/parts
		p := part[E]{g: &sp.g, wg: &sp.wg, m0: 0, m1: g.m, n0: 0, n1: g.n}
		if byRows {
			p.m0, p.m1 = lo*kr.mr, min(g.m, hi*kr.mr)
		} else {
			p.n0, p.n1 = lo*kr.nr, min(g.n, hi*kr.nr)
		}
		sp.parts[i] = p
	}
	ch := ensureWorkers(parts - 1)
	sp.wg.Add(parts)
	for i := 1; i < parts; i++ {
		select {
		case ch <- &sp.parts[i]:
		default:
			sp.parts[i].run()
		}
	}
	sp.parts[0].run()
	sp.wg.Wait()
	sp.g = problem[E]{}
	splitPool[E]().Put(sp)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
