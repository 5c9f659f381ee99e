package gemm

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/descent-ml/descent/internal/workers"
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

// partWorkers are the worker goroutines that join split products.
var partWorkers workers.Pool

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

// split is the pooled state of one parallel call. Its parts are claimed, by the caller and
// by any worker that takes the call's hand-off, through state: the call's generation (high
// 32 bits), the number of parts (16 bits) and the next unclaimed part (low 16 bits). The
// caller claims parts until none is left and then waits only for those a worker is running,
// so a worker the OS has not scheduled yet (a shared machine, more threads than cores) costs
// nothing: the caller does its share of the product. A worker that wakes after the call has
// ended, or after the split went back to its pool and on to another call, finds another
// generation and claims nothing.
type split[E elem] struct {
	g       problem[E]
	parts   []part[E]
	wg      sync.WaitGroup
	state   atomic.Uint64
	gen     uint32
	helpers []helper[E]
}

// helper is the task handed to a worker: join the call of generation gen of sp.
type helper[E elem] struct {
	sp  *split[E]
	gen atomic.Uint32
}

// Run implements workers.Task.
func (h *helper[E]) Run() { h.sp.work(h.gen.Load()) }

// claim returns the next unclaimed part of call gen, or −1 when none is left or the call
// is another.
func (sp *split[E]) claim(gen uint32) int {
	for {
		v := sp.state.Load()
		next, count := int(v&0xffff), int(v>>16&0xffff)
		if uint32(v>>32) != gen || next >= count {
			return -1
		}
		if sp.state.CompareAndSwap(v, v+1) {
			return next
		}
	}
}

// work runs parts of call gen until none is left.
func (sp *split[E]) work(gen uint32) {
	for i := sp.claim(gen); i >= 0; i = sp.claim(gen) {
		sp.parts[i].run()
	}
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
	for len(sp.helpers) < parts-1 {
		sp.helpers = append(sp.helpers, helper[E]{sp: sp})
	}
	sp.gen++
	gen := sp.gen
	sp.wg.Add(parts)
	sp.state.Store(uint64(gen)<<32 | uint64(parts)<<16)
	partWorkers.Ensure(parts - 1)
	for i := 0; i < parts-1; i++ {
		h := &sp.helpers[i]
		h.gen.Store(gen)
		partWorkers.Offer(h) // with no idle worker, the caller claims the part itself
	}
	sp.work(gen)
	sp.wg.Wait()
	sp.g = problem[E]{}
	splitPool[E]().Put(sp)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
