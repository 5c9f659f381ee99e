// Command asmgen writes the AVX2 and AVX-512 GEMM micro-kernels of package gemm
// (kernel_amd64.s) and their Go declarations (kernel_amd64_decl.go) with avo.
//
// Run it through `go generate ./internal/gemm` from the repository root. It lives in its
// own module so that avo stays out of the main go.mod.
//
// Each kernel computes one MR×NR tile of C from a packed A sliver (kc steps of MR values,
// alpha already folded in) and a packed B sliver (kc steps of NR values):
//
//	C[i][j] ← Σ_p A[p][i]·B[p][j]                 when load is false (C is not read),
//	C[i][j] ← beta·C[i][j] + Σ_p A[p][i]·B[p][j]  when load is true,
//
// for i < MR, j < NR, with C's rows ldc elements apart. NR spans NRV vector registers, and
// the MR·NRV accumulators stay in registers for the whole k loop (Goto & van de Geijn 2008;
// Van Zee & van de Geijn 2015, the BLIS micro-kernel).
package main

import (
	"fmt"
	"os"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// spec describes one micro-kernel.
type spec struct {
	name   string
	avx512 bool
	size   int  // element size in bytes: 4 (float32) or 8 (float64)
	mr     int  // rows of the tile: broadcasts of A per k step
	nrv    int  // vector registers per row of the tile
	unroll int  // k steps per loop iteration
	pfA    int  // prefetch distance for A in k steps, 0 for none
	direct bool // A is read in place from mr rows lda apart instead of from a packed sliver
	transA bool // A is read in place transposed: the mr values of a k step are contiguous, steps lda apart
	regB   bool // AVX-512: broadcast A into a register first instead of in each FMA
}

func (s spec) lanes() int {
	if s.avx512 {
		return 64 / s.size
	}
	return 32 / s.size
}

func (s spec) nr() int { return s.nrv * s.lanes() }

func (s spec) goType() string {
	if s.size == 4 {
		return "float32"
	}
	return "float64"
}

func (s spec) vec(i int) VecPhysical {
	if s.avx512 {
		return zmm[i]
	}
	return ymm[i]
}

var zmm = []VecPhysical{Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15,
	Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27, Z28, Z29, Z30, Z31}

var ymm = []VecPhysical{Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15}

// experiments are kernel shapes compared while tuning (ASMGEN_EXPERIMENT=1).
var experiments = []spec{
	{name: "expF64_12x16r", avx512: true, size: 8, mr: 12, nrv: 2, unroll: 4, regB: true},
	{name: "expF64_6x32", avx512: true, size: 8, mr: 6, nrv: 4, unroll: 4},
	{name: "expF64_8x24", avx512: true, size: 8, mr: 8, nrv: 3, unroll: 4},
	{name: "expF64_14x16", avx512: true, size: 8, mr: 14, nrv: 2, unroll: 4},
	{name: "expF64_12x16p", avx512: true, size: 8, mr: 12, nrv: 2, unroll: 4, pfA: 8},
	{name: "expF64_12x16u8", avx512: true, size: 8, mr: 12, nrv: 2, unroll: 8},
	{name: "expF64_6x32r", avx512: true, size: 8, mr: 6, nrv: 4, unroll: 4, regB: true},
	{name: "expF32_12x32r", avx512: true, size: 4, mr: 12, nrv: 2, unroll: 4, regB: true},
	{name: "expF32_6x64", avx512: true, size: 4, mr: 6, nrv: 4, unroll: 4},
	{name: "expF32_8x48", avx512: true, size: 4, mr: 8, nrv: 3, unroll: 4},
	{name: "expF32_14x32", avx512: true, size: 4, mr: 14, nrv: 2, unroll: 4},
	{name: "expF32_12x32p", avx512: true, size: 4, mr: 12, nrv: 2, unroll: 4, pfA: 8},
	{name: "expF32_6x64r", avx512: true, size: 4, mr: 6, nrv: 4, unroll: 4, regB: true},
}

// kernels lists the kernels that package gemm uses; see its doc comment for the choice.
var kernels = []spec{
	{name: "kernF64AVX512", avx512: true, size: 8, mr: 12, nrv: 2, unroll: 4, regB: true},
	{name: "kernF32AVX512", avx512: true, size: 4, mr: 12, nrv: 2, unroll: 4, regB: true},
	// For products with at most 16 columns (a network's last layer): half the wasted lanes.
	{name: "kernF32AVX512N", avx512: true, size: 4, mr: 12, nrv: 1, unroll: 4, regB: true},
	{name: "kernF64AVX2", size: 8, mr: 6, nrv: 2, unroll: 4},
	{name: "kernF32AVX2", size: 4, mr: 6, nrv: 2, unroll: 4},
}

func main() {
	ConstraintExpr("amd64,!purego")
	if os.Getenv("ASMGEN_EXPERIMENT") != "" {
		kernels = experiments
	}
	for _, s := range kernels {
		kernel(s)
		d := s
		d.name += "Direct"
		d.direct = true
		kernel(d)
		d = s
		d.name += "DirectT"
		d.transA = true
		kernel(d)
	}
	// Row-edge kernels for AVX-512: the last rows of a block (m mod 12) in place, straight
	// into C. 8 and 4 rows (a batch of 128 rows is 10·12 + 8).
	for _, s := range kernels {
		if !s.avx512 {
			continue
		}
		for _, mr := range []int{8, 4} {
			e := s
			e.mr = mr
			e.name = fmt.Sprintf("%sR%dDirect", s.name, mr)
			e.direct = true
			kernel(e)
			e.name = fmt.Sprintf("%sR%dDirectT", s.name, mr)
			e.direct, e.transA = false, true
			kernel(e)
		}
	}
	transposeF64()
	transposeF32()
	for _, size := range []int{8, 4} {
		dot(size)
		axpy(size)
		copyRows(size)
	}
	Generate()
}

func kernel(s spec) {
	t := s.goType()
	isa := "AVX2+FMA"
	if s.avx512 {
		isa = "AVX-512F"
	}
	switch {
	case s.direct:
		TEXT(s.name, NOSPLIT, fmt.Sprintf("func(k int, a *%s, lda int, b, c *%s, ldc int, beta %s, load bool)", t, t, t))
		Doc(fmt.Sprintf("%s is the %d×%d %s micro-kernel for %s that reads A in place,", s.name, s.mr, s.nr(), t, isa),
			"from mr rows lda elements apart (see asmgen).")
	case s.transA:
		TEXT(s.name, NOSPLIT, fmt.Sprintf("func(k int, a *%s, lda int, b, c *%s, ldc int, beta %s, load bool)", t, t, t))
		Doc(fmt.Sprintf("%s is the %d×%d %s micro-kernel for %s that reads a transposed A in", s.name, s.mr, s.nr(), t, isa),
			"place: the mr values of step p are a[p·lda:p·lda+mr] (see asmgen).")
	default:
		TEXT(s.name, NOSPLIT, fmt.Sprintf("func(k int, a, b, c *%s, ldc int, beta %s, load bool)", t, t))
		Doc(fmt.Sprintf("%s is the %d×%d %s micro-kernel for %s (see asmgen).", s.name, s.mr, s.nr(), t, isa))
	}
	Pragma("noescape")

	acc := func(i, v int) VecPhysical { return s.vec(i*s.nrv + v) }
	nacc := s.mr * s.nrv
	bv := func(v int) VecPhysical { return s.vec(nacc + v) }
	tmp := s.vec(nacc + s.nrv)
	if nacc+s.nrv+1 > len(zmm) || (!s.avx512 && nacc+s.nrv+1 > len(ymm)) {
		panic(s.name + ": too many registers")
	}

	Load(Param("k"), RCX)
	Load(Param("a"), RSI)
	// In place, row r of A is at base r/5 (SI, R13, AX = a + 0, 5, 10 rows) plus
	// 0, lda, 2·lda, 3·lda or 4·lda (R11 = lda and R12 = 3·lda, in bytes).
	var aBases []Register
	if s.transA {
		if s.unroll > 4 {
			panic(s.name + ": a transposed A supports an unroll of at most 4")
		}
		Load(Param("lda"), R11)
		SHLQ(U8(log2(s.size)), R11)
		LEAQ(Mem{Base: R11, Index: R11, Scale: 2}, R12)
	}
	if s.direct {
		Load(Param("lda"), R11)
		SHLQ(U8(log2(s.size)), R11)
		LEAQ(Mem{Base: R11, Index: R11, Scale: 2}, R12)
		aBases = []Register{RSI}
		if s.mr > 5 {
			LEAQ(Mem{Base: RSI, Index: R11, Scale: 4}, R13)
			ADDQ(R11, R13)
			aBases = append(aBases, R13)
		}
		if s.mr > 10 {
			LEAQ(Mem{Base: R13, Index: R11, Scale: 4}, RAX)
			ADDQ(R11, RAX)
			aBases = append(aBases, RAX)
		}
		if s.mr > 15 {
			panic(s.name + ": direct A supports at most 15 rows")
		}
	}
	// aAt is A's value for row i of the tile at step p of an unrolled group.
	aAt := func(i, p int) Mem {
		if s.transA {
			m := Mem{Base: RSI, Disp: i * s.size}
			switch p {
			case 1:
				m.Index, m.Scale = R11, 1
			case 2:
				m.Index, m.Scale = R11, 2
			case 3:
				m.Index, m.Scale = R12, 1
			}
			return m
		}
		if !s.direct {
			return Mem{Base: RSI, Disp: p*s.mr*s.size + i*s.size}
		}
		m := Mem{Base: aBases[i/5], Disp: p * s.size}
		switch i % 5 {
		case 1:
			m.Index, m.Scale = R11, 1
		case 2:
			m.Index, m.Scale = R11, 2
		case 3:
			m.Index, m.Scale = R12, 1
		case 4:
			m.Index, m.Scale = R11, 4
		}
		return m
	}
	aStep := s.mr * s.size // bytes of A per k step
	if s.direct {
		aStep = s.size
	}
	advanceA := func(steps int) {
		if s.transA {
			switch steps {
			case 1:
				ADDQ(R11, RSI)
			case 2:
				LEAQ(Mem{Base: RSI, Index: R11, Scale: 2}, RSI)
			case 4:
				LEAQ(Mem{Base: RSI, Index: R11, Scale: 4}, RSI)
			default:
				LEAQ(Mem{Base: RSI, Index: R12, Scale: 1}, RSI)
			}
			return
		}
		for _, r := range aBases {
			ADDQ(U32(steps*aStep), r)
		}
		if !s.direct {
			ADDQ(U32(steps*aStep), RSI)
		}
	}
	Load(Param("b"), RDI)
	Load(Param("c"), RDX)
	Load(Param("ldc"), R8)
	SHLQ(U8(log2(s.size)), R8)

	// Touch the rows of C early so that they are in cache for the update.
	MOVQ(RDX, R9)
	for i := 0; i < s.mr; i++ {
		for off := 0; off < s.nr()*s.size; off += 64 {
			PREFETCHT0(Mem{Base: R9, Disp: off})
		}
		if i < s.mr-1 {
			ADDQ(R8, R9)
		}
	}

	for i := 0; i < nacc; i++ {
		if s.avx512 {
			VPXORQ(s.vec(i), s.vec(i), s.vec(i))
		} else {
			VXORPS(s.vec(i), s.vec(i), s.vec(i))
		}
	}

	vbytes := s.lanes() * s.size
	step := func(p int) {
		aoff := p * aStep
		boff := p * s.nr() * s.size
		if s.pfA > 0 && !s.direct && !s.transA {
			for off := 0; off < s.mr*s.size; off += 64 {
				PREFETCHT0(Mem{Base: RSI, Disp: aoff + s.pfA*s.mr*s.size + off})
			}
		}
		for v := 0; v < s.nrv; v++ {
			vmovu(s, Mem{Base: RDI, Disp: boff + v*vbytes}, bv(v))
		}
		for i := 0; i < s.mr; i++ {
			m := aAt(i, p)
			if s.avx512 && !s.regB {
				for v := 0; v < s.nrv; v++ {
					if s.size == 8 {
						VFMADD231PD_BCST(m, bv(v), acc(i, v))
					} else {
						VFMADD231PS_BCST(m, bv(v), acc(i, v))
					}
				}
				continue
			}
			if s.size == 8 && s.avx512 {
				VBROADCASTSD(m, tmp)
			} else if s.avx512 {
				VBROADCASTSS(m, tmp)
			} else if s.size == 8 {
				VBROADCASTSD(m, tmp)
			} else {
				VBROADCASTSS(m, tmp)
			}
			for v := 0; v < s.nrv; v++ {
				if s.size == 8 {
					VFMADD231PD(bv(v), tmp, acc(i, v))
				} else {
					VFMADD231PS(bv(v), tmp, acc(i, v))
				}
			}
		}
	}

	CMPQ(RCX, U32(s.unroll))
	JL(LabelRef(s.name + "_tail"))
	Label(s.name + "_loop")
	for p := 0; p < s.unroll; p++ {
		step(p)
	}
	advanceA(s.unroll)
	ADDQ(U32(s.unroll*s.nr()*s.size), RDI)
	SUBQ(U32(s.unroll), RCX)
	CMPQ(RCX, U32(s.unroll))
	JGE(LabelRef(s.name + "_loop"))

	Label(s.name + "_tail")
	TESTQ(RCX, RCX)
	JZ(LabelRef(s.name + "_store"))
	Label(s.name + "_tail1")
	step(0)
	advanceA(1)
	ADDQ(U32(s.nr()*s.size), RDI)
	DECQ(RCX)
	JNZ(LabelRef(s.name + "_tail1"))

	Label(s.name + "_store")
	Load(Param("load"), R10)
	TESTB(R10.As8(), R10.As8())
	JZ(LabelRef(s.name + "_overwrite"))

	beta := bv(0)
	bAddr, err := Param("beta").Resolve()
	if err != nil {
		panic(err)
	}
	if s.size == 8 {
		VBROADCASTSD(bAddr.Addr, beta)
	} else {
		VBROADCASTSS(bAddr.Addr, beta)
	}
	for i := 0; i < s.mr; i++ {
		for v := 0; v < s.nrv; v++ {
			m := Mem{Base: RDX, Disp: v * vbytes}
			if s.size == 8 {
				VFMADD231PD(m, beta, acc(i, v))
			} else {
				VFMADD231PS(m, beta, acc(i, v))
			}
			vmovu(s, acc(i, v), m)
		}
		if i < s.mr-1 {
			ADDQ(R8, RDX)
		}
	}
	VZEROUPPER()
	RET()

	Label(s.name + "_overwrite")
	for i := 0; i < s.mr; i++ {
		for v := 0; v < s.nrv; v++ {
			vmovu(s, acc(i, v), Mem{Base: RDX, Disp: v * vbytes})
		}
		if i < s.mr-1 {
			ADDQ(R8, RDX)
		}
	}
	VZEROUPPER()
	RET()
}

func vmovu(s spec, src, dst Op) {
	if s.size == 8 {
		VMOVUPD(src, dst)
	} else {
		VMOVUPS(src, dst)
	}
}

func log2(n int) int {
	l := 0
	for 1<<l < n {
		l++
	}
	return l
}

// transposeF64 writes transF64x4, which packs four rows of a matrix into the column order
// of a packed sliver: 4×4 blocks transposed in registers (two unpacks and two lane
// permutes per pair of rows) instead of sixteen scalar loads and stores.
func transposeF64() {
	TEXT("transF64x4", NOSPLIT, "func(dst *float64, ldd int, src *float64, lds int, blocks int, s float64)")
	Pragma("noescape")
	Doc("transF64x4 sets dst[(4q+p)·ldd + i] = s·src[i·lds + 4q+p] for i, p < 4 and q < blocks (AVX).")
	Load(Param("dst"), RDI)
	Load(Param("ldd"), R8)
	SHLQ(U8(3), R8)
	Load(Param("src"), RSI)
	Load(Param("lds"), R9)
	SHLQ(U8(3), R9)
	Load(Param("blocks"), RCX)
	sAddr, err := Param("s").Resolve()
	if err != nil {
		panic(err)
	}
	VBROADCASTSD(sAddr.Addr, Y15)
	LEAQ(Mem{Base: R9, Index: R9, Scale: 2}, R10) // 3·lds
	LEAQ(Mem{Base: R8, Index: R8, Scale: 2}, R11) // 3·ldd
	TESTQ(RCX, RCX)
	JZ(LabelRef("transF64x4_done"))
	Label("transF64x4_loop")
	r := []VecPhysical{Y0, Y1, Y2, Y3}
	VMULPD(Mem{Base: RSI}, Y15, r[0])
	VMULPD(Mem{Base: RSI, Index: R9, Scale: 1}, Y15, r[1])
	VMULPD(Mem{Base: RSI, Index: R9, Scale: 2}, Y15, r[2])
	VMULPD(Mem{Base: RSI, Index: R10, Scale: 1}, Y15, r[3])
	// t0 = [r00 r10 | r02 r12], t1 = [r01 r11 | r03 r13], t2, t3 the same for rows 2, 3.
	VUNPCKLPD(r[1], r[0], Y4)
	VUNPCKHPD(r[1], r[0], Y5)
	VUNPCKLPD(r[3], r[2], Y6)
	VUNPCKHPD(r[3], r[2], Y7)
	// Column p of the block: the low or high lanes of t(p%2) and t(p%2+2).
	VPERM2F128(U8(0x20), Y6, Y4, Y0)
	VPERM2F128(U8(0x20), Y7, Y5, Y1)
	VPERM2F128(U8(0x31), Y6, Y4, Y2)
	VPERM2F128(U8(0x31), Y7, Y5, Y3)
	VMOVUPD(Y0, Mem{Base: RDI})
	VMOVUPD(Y1, Mem{Base: RDI, Index: R8, Scale: 1})
	VMOVUPD(Y2, Mem{Base: RDI, Index: R8, Scale: 2})
	VMOVUPD(Y3, Mem{Base: RDI, Index: R11, Scale: 1})
	ADDQ(U8(32), RSI)
	LEAQ(Mem{Base: RDI, Index: R8, Scale: 4}, RDI)
	DECQ(RCX)
	JNZ(LabelRef("transF64x4_loop"))
	Label("transF64x4_done")
	VZEROUPPER()
	RET()
}

// transposeF32 writes transF32x8, the float32 counterpart of transF64x4 on 8×8 blocks.
func transposeF32() {
	TEXT("transF32x8", NOSPLIT, "func(dst *float32, ldd int, src *float32, lds int, blocks int, s float32)")
	Pragma("noescape")
	Doc("transF32x8 sets dst[(8q+p)·ldd + i] = s·src[i·lds + 8q+p] for i, p < 8 and q < blocks (AVX).")
	Load(Param("dst"), RDI)
	Load(Param("ldd"), R8)
	SHLQ(U8(2), R8)
	Load(Param("src"), RSI)
	Load(Param("lds"), R9)
	SHLQ(U8(2), R9)
	Load(Param("blocks"), RCX)
	sAddr, err := Param("s").Resolve()
	if err != nil {
		panic(err)
	}
	VBROADCASTSS(sAddr.Addr, Y15)
	LEAQ(Mem{Base: R9, Index: R9, Scale: 2}, R10)  // 3·lds
	LEAQ(Mem{Base: RSI, Index: R9, Scale: 4}, R12) // row 4
	LEAQ(Mem{Base: R8, Index: R8, Scale: 2}, R11)  // 3·ldd
	LEAQ(Mem{Base: RDI, Index: R8, Scale: 4}, R13) // dst row 4
	TESTQ(RCX, RCX)
	JZ(LabelRef("transF32x8_done"))
	Label("transF32x8_loop")
	rows := []Mem{
		{Base: RSI}, {Base: RSI, Index: R9, Scale: 1}, {Base: RSI, Index: R9, Scale: 2}, {Base: RSI, Index: R10, Scale: 1},
		{Base: R12}, {Base: R12, Index: R9, Scale: 1}, {Base: R12, Index: R9, Scale: 2}, {Base: R12, Index: R10, Scale: 1},
	}
	r := []VecPhysical{Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7}
	t := []VecPhysical{Y8, Y9, Y10, Y11, Y12, Y13, Y14}
	for i, m := range rows {
		VMULPS(m, Y15, r[i])
	}
	// For each half (rows 0-3, rows 4-7): unpack pairs of rows, then shuffle pairs of those
	// into [p, p+4] columns of four rows each.
	u := make([]VecPhysical, 8)
	for h := 0; h < 2; h++ {
		a, b, c, d := r[4*h], r[4*h+1], r[4*h+2], r[4*h+3]
		VUNPCKLPS(b, a, t[0]) // [a0 b0 a1 b1 | a4 b4 a5 b5]
		VUNPCKHPS(b, a, t[1]) // [a2 b2 a3 b3 | a6 b6 a7 b7]
		VUNPCKLPS(d, c, t[2])
		VUNPCKHPS(d, c, t[3])
		// u[4h+p] holds columns p and p+4 of the four rows.
		VSHUFPS(U8(0x44), t[2], t[0], r[4*h])
		VSHUFPS(U8(0xEE), t[2], t[0], r[4*h+1])
		VSHUFPS(U8(0x44), t[3], t[1], r[4*h+2])
		VSHUFPS(U8(0xEE), t[3], t[1], r[4*h+3])
		for p := 0; p < 4; p++ {
			u[4*h+p] = r[4*h+p]
		}
	}
	dsts := []Mem{
		{Base: RDI}, {Base: RDI, Index: R8, Scale: 1}, {Base: RDI, Index: R8, Scale: 2}, {Base: RDI, Index: R11, Scale: 1},
		{Base: R13}, {Base: R13, Index: R8, Scale: 1}, {Base: R13, Index: R8, Scale: 2}, {Base: R13, Index: R11, Scale: 1},
	}
	for p := 0; p < 4; p++ {
		VPERM2F128(U8(0x20), u[4+p], u[p], t[0])
		VPERM2F128(U8(0x31), u[4+p], u[p], t[1])
		VMOVUPS(t[0], dsts[p])
		VMOVUPS(t[1], dsts[p+4])
	}
	ADDQ(U8(32), RSI)
	ADDQ(U8(32), R12)
	LEAQ(Mem{Base: RDI, Index: R8, Scale: 8}, RDI)
	LEAQ(Mem{Base: R13, Index: R8, Scale: 8}, R13)
	DECQ(RCX)
	JNZ(LabelRef("transF32x8_loop"))
	Label("transF32x8_done")
	VZEROUPPER()
	RET()
}

// vectorOps are the AVX2+FMA forms of one element size for the level-1 loops.
type vectorOps struct {
	t, sfx              string
	lanes               int
	movu, fma231, mov1  func(...Op)
	fma231s, fma213     func(...Op)
	fma213s, bcast, add func(...Op)
}

func opsFor(size int) vectorOps {
	if size == 8 {
		return vectorOps{"float64", "F64", 4, VMOVUPD, VFMADD231PD, VMOVSD, VFMADD231SD, VFMADD213PD, VFMADD213SD, VBROADCASTSD, VADDPD}
	}
	return vectorOps{"float32", "F32", 8, VMOVUPS, VFMADD231PS, VMOVSS, VFMADD231SS, VFMADD213PS, VFMADD213SS, VBROADCASTSS, VADDPS}
}

// dot writes dotF64/dotF32: Σ_{i<n} x[i]·y[i] with four vector accumulators.
func dot(size int) {
	o := opsFor(size)
	name := "dot" + o.sfx
	TEXT(name, NOSPLIT, fmt.Sprintf("func(x, y *%s, n int) %s", o.t, o.t))
	Pragma("noescape")
	Doc(name + " returns Σ_{i<n} x[i]·y[i] (AVX2+FMA).")
	Load(Param("x"), RSI)
	Load(Param("y"), RDI)
	Load(Param("n"), RCX)
	acc := []VecPhysical{Y0, Y1, Y2, Y3}
	for _, a := range acc {
		VXORPS(a, a, a)
	}
	VXORPS(X4, X4, X4) // scalar tail
	step := 4 * o.lanes
	CMPQ(RCX, U32(step))
	JL(LabelRef(name + "_tail"))
	Label(name + "_loop")
	for i, a := range acc {
		o.movu(Mem{Base: RSI, Disp: 32 * i}, Y5)
		o.fma231(Mem{Base: RDI, Disp: 32 * i}, Y5, a)
	}
	ADDQ(U32(32*4), RSI)
	ADDQ(U32(32*4), RDI)
	SUBQ(U32(step), RCX)
	CMPQ(RCX, U32(step))
	JGE(LabelRef(name + "_loop"))
	Label(name + "_tail")
	TESTQ(RCX, RCX)
	JZ(LabelRef(name + "_reduce"))
	Label(name + "_tail1")
	o.mov1(Mem{Base: RSI}, X5)
	o.fma231s(Mem{Base: RDI}, X5, X4)
	ADDQ(U32(size), RSI)
	ADDQ(U32(size), RDI)
	DECQ(RCX)
	JNZ(LabelRef(name + "_tail1"))
	Label(name + "_reduce")
	o.add(Y1, Y0, Y0)
	o.add(Y3, Y2, Y2)
	o.add(Y2, Y0, Y0)
	VEXTRACTF128(U8(1), Y0, X1)
	o.add(X1, X0, X0)
	if size == 8 {
		VPERMILPD(U8(1), X0, X1)
		VADDSD(X1, X0, X0)
		VADDSD(X4, X0, X0)
	} else {
		VMOVHLPS(X0, X0, X1)
		VADDPS(X1, X0, X0)
		VPSHUFD(U8(1), X0, X1)
		VADDSS(X1, X0, X0)
		VADDSS(X4, X0, X0)
	}
	VZEROUPPER()
	Store(X0, ReturnIndex(0))
	RET()
}

// axpy writes axpyF64/axpyF32: y[i] += alpha·x[i] for i < n.
func axpy(size int) {
	o := opsFor(size)
	name := "axpy" + o.sfx
	TEXT(name, NOSPLIT, fmt.Sprintf("func(alpha %s, x, y *%s, n int)", o.t, o.t))
	Pragma("noescape")
	Doc(name + " sets y[i] += alpha·x[i] for i < n (AVX2+FMA).")
	aAddr, err := Param("alpha").Resolve()
	if err != nil {
		panic(err)
	}
	o.bcast(aAddr.Addr, Y15)
	Load(Param("x"), RSI)
	Load(Param("y"), RDI)
	Load(Param("n"), RCX)
	step := 4 * o.lanes
	CMPQ(RCX, U32(step))
	JL(LabelRef(name + "_tail"))
	Label(name + "_loop")
	r := []VecPhysical{Y0, Y1, Y2, Y3}
	for i, t := range r {
		o.movu(Mem{Base: RSI, Disp: 32 * i}, t)
	}
	for i, t := range r {
		o.fma213(Mem{Base: RDI, Disp: 32 * i}, Y15, t)
	}
	for i, t := range r {
		o.movu(t, Mem{Base: RDI, Disp: 32 * i})
	}
	ADDQ(U32(32*4), RSI)
	ADDQ(U32(32*4), RDI)
	SUBQ(U32(step), RCX)
	CMPQ(RCX, U32(step))
	JGE(LabelRef(name + "_loop"))
	Label(name + "_tail")
	TESTQ(RCX, RCX)
	JZ(LabelRef(name + "_done"))
	Label(name + "_tail1")
	o.mov1(Mem{Base: RSI}, X0)
	o.fma213s(Mem{Base: RDI}, X15, X0)
	o.mov1(X0, Mem{Base: RDI})
	ADDQ(U32(size), RSI)
	ADDQ(U32(size), RDI)
	DECQ(RCX)
	JNZ(LabelRef(name + "_tail1"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
}

// copyRows writes rowsF64/rowsF32, which pack rows of a matrix that are already in the
// sliver's order (B as stored, a transposed A): dst[r·w + j] = s·src[r·lds + j] for r < rows
// and j < w, w a multiple of the ymm lanes. One ymm multiply and store per chunk replace a
// memmove call per row.
func copyRows(size int) {
	o := opsFor(size)
	name := "rows" + o.sfx
	TEXT(name, NOSPLIT, fmt.Sprintf("func(dst, src *%s, lds, rows, w int, s %s)", o.t, o.t))
	Pragma("noescape")
	Doc(name + fmt.Sprintf(" sets dst[r·w + j] = s·src[r·lds + j] for r < rows, j < w; w is a multiple of %d (AVX).", o.lanes))
	Load(Param("dst"), RDI)
	Load(Param("src"), RSI)
	Load(Param("lds"), R8)
	SHLQ(U8(log2(size)), R8)
	Load(Param("rows"), RCX)
	Load(Param("w"), R9)
	SHLQ(U8(log2(size)), R9)
	sAddr, err := Param("s").Resolve()
	if err != nil {
		panic(err)
	}
	o.bcast(sAddr.Addr, Y15)
	mul := VMULPD
	if size == 4 {
		mul = VMULPS
	}
	TESTQ(RCX, RCX)
	JZ(LabelRef(name + "_done"))
	Label(name + "_row")
	XORQ(R10, R10)
	Label(name + "_chunk")
	mul(Mem{Base: RSI, Index: R10, Scale: 1}, Y15, Y0)
	o.movu(Y0, Mem{Base: RDI, Index: R10, Scale: 1})
	ADDQ(U8(32), R10)
	CMPQ(R10, R9)
	JL(LabelRef(name + "_chunk"))
	ADDQ(R8, RSI)
	ADDQ(R9, RDI)
	DECQ(RCX)
	JNZ(LabelRef(name + "_row"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
}
