package gemm

import "unsafe"

// problem is one Gemm call in the internal element type, after validation.
type problem[E elem] struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    E
	a, b, c        []E
	lda, ldb, ldc  int
	kern           *kernel[E]
}

// useDirect is whether an A that is not transposed is read in place by the direct kernel
// instead of being packed (a variable so that BenchmarkDirectA can compare the two).
var useDirect = true

// block computes rows [m0,m1) and columns [n0,n1) of C with the five loops around the
// micro-kernel of Goto & van de Geijn (2008) in BLIS's order (Van Zee & van de Geijn 2015):
//
//	for jc over n in steps of nc:         B panel kc×nc, packed (times alpha) once per (jc, pc)
//	  for pc over k in steps of kc:
//	    for ic over m in steps of mc:     A block mc×kc, packed or read in place, stays in L2
//	      for jr over nc in steps of nr:  B sliver kc×nr stays in L1
//	        for ir over mc in steps of mr:
//	          micro-kernel: C[ir:ir+mr, jr:jr+nr] (+)= A sliver · B sliver
//
// The first pc step applies beta (or, when beta is 0, never reads C); later ones accumulate.
func (g *problem[E]) block(m0, m1, n0, n1 int, buf *buffers[E]) {
	kr := g.kern
	mcStep := evenStep(m1-m0, kr.mc, kr.mr)
	kcStep := evenStep(g.k, kr.kc, 1)
	ncStep := evenStep(n1-n0, kr.nc, kr.nr)
	stride := g.lda * int(unsafe.Sizeof(g.alpha))
	direct := useDirect && !g.transA && kr.direct != nil && !aliased(stride, min(mcStep, m1-m0), kr.mr)
	directT := useDirect && g.transA && kr.directT != nil && !aliased(stride, kcStep, kr.mr)
	na := mcStep * kcStep
	if direct || directT {
		na = kr.mr * kcStep // the edge sliver only
	}
	ap, bp := buf.get(na, kcStep*ncStep, kr.mr*kr.nr)
	for jc := n0; jc < n1; jc += ncStep {
		nc := min(ncStep, n1-jc)
		for pc := 0; pc < g.k; pc += kcStep {
			kc := min(kcStep, g.k-pc)
			if g.transB {
				packCols(bp, g.b, g.ldb, pc, kc, jc, nc, kr.nr, g.alpha, kr.trans)
			} else {
				packRows(bp, g.b, g.ldb, pc, kc, jc, nc, kr.nr, g.alpha, kr.rows)
			}
			beta, load := g.beta, g.beta != 0
			if pc > 0 {
				beta, load = 1, true
			}
			for ic := m0; ic < m1; ic += mcStep {
				mc := min(mcStep, m1-ic)
				c := g.c[ic*g.ldc+jc:]
				switch {
				case direct:
					g.macroDirect(mc, nc, kc, g.a[ic*g.lda+pc:], ap, bp, c, beta, load, buf.edge)
				case directT:
					g.macroDirect(mc, nc, kc, g.a[pc*g.lda+ic:], ap, bp, c, beta, load, buf.edge)
				case g.transA:
					packRows(ap, g.a, g.lda, pc, kc, ic, mc, kr.mr, 1, kr.rows)
					g.macro(mc, nc, kc, ap, bp, c, beta, load, buf.edge)
				default:
					packCols(ap, g.a, g.lda, pc, kc, ic, mc, kr.mr, 1, kr.trans)
					g.macro(mc, nc, kc, ap, bp, c, beta, load, buf.edge)
				}
			}
		}
	}
}

// macro runs the micro-kernel over an mc×nc block of C (c starts at its top-left corner) from
// a packed A block and a packed B panel.
func (g *problem[E]) macro(mc, nc, kc int, ap, bp, c []E, beta E, load bool, edge []E) {
	kr := g.kern
	mr, nr, ldc := kr.mr, kr.nr, g.ldc
	for jr := 0; jr < nc; jr += nr {
		b := &bp[jr*kc]
		nw := min(nr, nc-jr)
		for ir := 0; ir < mc; ir += mr {
			a := &ap[ir*kc]
			mh := min(mr, mc-ir)
			if mh == mr && nw == nr {
				kr.fn(kc, a, b, &c[ir*ldc+jr], ldc, beta, load)
				continue
			}
			kr.fn(kc, a, b, &edge[0], nr, 0, false)
			mergeEdge(edge, nr, mh, nw, c[ir*ldc+jr:], ldc, beta, load)
		}
	}
}

// macroDirect is macro with A read in place, a starting at the block's first element (row
// ic, step pc of op(A)). After the full slivers, the row-edge kernels take what rows they can,
// and the rest (fewer than the smallest of them) is packed into ap and goes through the
// edge tile.
func (g *problem[E]) macroDirect(mc, nc, kc int, a, ap, bp, c []E, beta E, load bool, edge []E) {
	kr := g.kern
	mr, nr, lda, ldc := kr.mr, kr.nr, g.lda, g.ldc
	full := mc / mr * mr
	fn, rowStep := kr.direct, lda // row ir of the block is at a[ir·rowStep]
	if g.transA {
		fn, rowStep = kr.directT, 1
	}
	type segment struct {
		r, mr int
		fn    directKernel[E]
	}
	var segs [4]segment
	ns, rest := 0, full
	for _, e := range kr.edgeRows {
		if mc-rest >= e.mr && ns < len(segs) {
			segs[ns] = segment{rest, e.mr, e.direct}
			if g.transA {
				segs[ns].fn = e.directT
			}
			ns++
			rest += e.mr
		}
	}
	if rest < mc {
		if g.transA {
			packRows(ap, a, lda, 0, kc, rest, mc-rest, mr, 1, kr.rows)
		} else {
			packCols(ap, a, lda, 0, kc, rest, mc-rest, mr, 1, kr.trans)
		}
	}
	for jr := 0; jr < nc; jr += nr {
		b := &bp[jr*kc]
		nw := min(nr, nc-jr)
		for ir := 0; ir < full; ir += mr {
			if nw == nr {
				fn(kc, &a[ir*rowStep], lda, b, &c[ir*ldc+jr], ldc, beta, load)
				continue
			}
			fn(kc, &a[ir*rowStep], lda, b, &edge[0], nr, 0, false)
			mergeEdge(edge, nr, mr, nw, c[ir*ldc+jr:], ldc, beta, load)
		}
		for _, s := range segs[:ns] {
			if nw == nr {
				s.fn(kc, &a[s.r*rowStep], lda, b, &c[s.r*ldc+jr], ldc, beta, load)
				continue
			}
			s.fn(kc, &a[s.r*rowStep], lda, b, &edge[0], nr, 0, false)
			mergeEdge(edge, nr, s.mr, nw, c[s.r*ldc+jr:], ldc, beta, load)
		}
		if rest < mc {
			kr.fn(kc, &ap[0], b, &edge[0], nr, 0, false)
			mergeEdge(edge, nr, mc-rest, nw, c[rest*ldc+jr:], ldc, beta, load)
		}
	}
}

// mergeEdge writes the top-left mh×nw corner of the edge tile (rows nr apart) into C:
// C ← beta·C + tile when load, else C ← tile.
func mergeEdge[E elem](edge []E, nr, mh, nw int, c []E, ldc int, beta E, load bool) {
	for i := 0; i < mh; i++ {
		src := edge[i*nr : i*nr+nw]
		dst := c[i*ldc : i*ldc+nw]
		if load {
			for j, v := range src {
				dst[j] = beta*dst[j] + v
			}
		} else {
			copy(dst, src)
		}
	}
}

// aliased reports whether reading rows rows of A in place, stride bytes apart, would crowd a
// few cache sets: rows a multiple of 4 KiB apart map to the same sets of L1 and of each L2
// way, so a tall block of them evicts itself (1024×1024 float64: 56 GFLOPS in place, 76
// packed). Short blocks fit anyway.
func aliased(stride, rows, mr int) bool {
	return stride%4096 == 0 && rows > 4*mr
}

// evenStep is the step that covers n in as few blocks of at most `most` as possible, all of
// about the same size, rounded up to a multiple of unit (max is one).
func evenStep(n, most, unit int) int {
	blocks := ceilDiv(n, most)
	return min(most, roundUp(ceilDiv(n, blocks), unit))
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }
