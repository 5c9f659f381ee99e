package gemm

import "sync"

// pool is a free list of reusable values. Unlike sync.Pool it never drops
// what it holds (sync.Pool drops items at random under the race detector,
// and at every garbage collection), so a steady stream of products
// allocates nothing, in every build.
type pool struct {
	mu    sync.Mutex
	items []any
}

// Get returns a value put earlier, or nil.
func (p *pool) Get() any {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.items)
	if n == 0 {
		return nil
	}
	v := p.items[n-1]
	p.items[n-1] = nil
	p.items = p.items[:n-1]
	return v
}

// Put keeps v for a later Get.
func (p *pool) Put(v any) {
	p.mu.Lock()
	p.items = append(p.items, v)
	p.mu.Unlock()
}
