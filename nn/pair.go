package nn

import "fmt"

// Pair is a 2-D size such as a kernel size (height, width). In the layer
// grammar one integer k means (k, k). The zero value means the layer's
// default.
type Pair [2]int

// or returns p, or (d, d) when p is zero.
func (p Pair) or(d int) Pair {
	if p == (Pair{}) {
		return Pair{d, d}
	}
	return p
}

func (p Pair) String() string {
	if p[0] == p[1] {
		return fmt.Sprint(p[0])
	}
	return fmt.Sprintf("(%d,%d)", p[0], p[1])
}
