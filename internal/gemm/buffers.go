package gemm

// buffers holds one goroutine's packing space: an A block, a B panel and an edge tile. They
// come from a pool and grow to the largest size asked for, so that a steady stream of
// products allocates nothing.
type buffers[E elem] struct {
	a, b, edge []E
}

// get returns the A and B buffers with at least na and nb elements, and makes the edge tile
// at least ne long.
func (f *buffers[E]) get(na, nb, ne int) (a, b []E) {
	f.a = grow(f.a, na)
	f.b = grow(f.b, nb)
	f.edge = grow(f.edge, ne)
	return f.a[:na], f.b[:nb]
}

func grow[E elem](s []E, n int) []E {
	if cap(s) < n {
		return make([]E, n)
	}
	return s[:n]
}

var bufPools [2]pool // float32, float64

func poolFor[E elem]() *pool {
	var z E
	if _, ok := any(z).(float32); ok {
		return &bufPools[0]
	}
	return &bufPools[1]
}

func getBuffers[E elem]() *buffers[E] {
	if f, ok := poolFor[E]().Get().(*buffers[E]); ok {
		return f
	}
	return new(buffers[E])
}

func putBuffers[E elem](f *buffers[E]) { poolFor[E]().Put(f) }
