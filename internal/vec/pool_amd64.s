//go:build amd64 && !purego

#include "textflag.h"

// Four 2×2 windows at a time, in 128-bit registers: the two input rows'
// eight values each are split into the windows' four corners a, b (row 2i)
// and c, d (row 2i+1) by VSHUFPS, even and odd columns.

// func maxPool2F32(y, x *float32, rows, ow, w, blocks int)
//
// m = a, then for v = b, c, d in turn: m = v where v > m or v is NaN (the
// first maximum, the last NaN, as torch's scan).
TEXT ·maxPool2F32(SB), NOSPLIT, $0-48
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ rows+16(FP), R9
	MOVQ ow+24(FP), R10
	MOVQ w+32(FP), R8
	MOVQ blocks+40(FP), R11
	SHLQ $2, R10          // y's row stride in bytes
	SHLQ $2, R8           // x's row stride in bytes
	LEAQ (R8)(R8*1), R12  // a row pair

prow:
	MOVQ DI, AX
	MOVQ SI, BX
	MOVQ R11, CX

pblock:
	VMOVUPS (BX), X0
	VMOVUPS 16(BX), X1
	VMOVUPS (BX)(R8*1), X2
	VMOVUPS 16(BX)(R8*1), X3
	VSHUFPS $0x88, X1, X0, X4 // a
	VSHUFPS $0xdd, X1, X0, X5 // b
	VSHUFPS $0x88, X3, X2, X6 // c
	VSHUFPS $0xdd, X3, X2, X7 // d
	VCMPPS $0x1e, X4, X5, X8  // b > m
	VCMPPS $3, X5, X5, X9     // b is NaN
	VORPS X9, X8, X8
	VBLENDVPS X8, X5, X4, X4
	VCMPPS $0x1e, X4, X6, X8
	VCMPPS $3, X6, X6, X9
	VORPS X9, X8, X8
	VBLENDVPS X8, X6, X4, X4
	VCMPPS $0x1e, X4, X7, X8
	VCMPPS $3, X7, X7, X9
	VORPS X9, X8, X8
	VBLENDVPS X8, X7, X4, X4
	VMOVUPS X4, (AX)
	ADDQ $32, BX
	ADDQ $16, AX
	DECQ CX
	JNZ  pblock

	ADDQ R10, DI
	ADDQ R12, SI
	DECQ R9
	JNZ  prow
	RET

// func maxPool2BackF32(dx, x, y, dy *float32, rows, ow, w, blocks int)
//
// Each window's gradient goes to its first corner equal to m, or, when m
// is NaN, to its last NaN corner; the other corners get zeros.
TEXT ·maxPool2BackF32(SB), NOSPLIT, $0-64
	MOVQ dx+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ dy+24(FP), R13
	MOVQ rows+32(FP), R9
	MOVQ ow+40(FP), R10
	MOVQ w+48(FP), R8
	MOVQ blocks+56(FP), R11
	SHLQ $2, R10
	SHLQ $2, R8
	VPCMPEQD X15, X15, X15 // all ones

brow:
	MOVQ DI, AX  // dx
	MOVQ SI, BX  // x
	MOVQ DX, R14 // y
	MOVQ R13, R12 // dy
	MOVQ R11, CX

bblock:
	VMOVUPS (BX), X0
	VMOVUPS 16(BX), X1
	VMOVUPS (BX)(R8*1), X2
	VMOVUPS 16(BX)(R8*1), X3
	VSHUFPS $0x88, X1, X0, X4 // a
	VSHUFPS $0xdd, X1, X0, X5 // b
	VSHUFPS $0x88, X3, X2, X6 // c
	VSHUFPS $0xdd, X3, X2, X7 // d
	VMOVUPS (R14), X10        // m
	VMOVUPS (R12), X11        // g

	// First corner equal to m: ea, eb, ec, ed in X0, X1, X2, X3.
	VCMPPS $0, X10, X4, X0    // a == m
	VCMPPS $0, X10, X5, X1    // b == m
	VANDNPS X1, X0, X1        // and not a
	VORPS X0, X1, X12         // taken so far
	VCMPPS $0, X10, X6, X2    // c == m
	VANDNPS X2, X12, X2
	VORPS X2, X12, X12
	VXORPS X15, X12, X3       // d: none of the others

	// Last NaN corner: na, nb, nc, nd in X4, X5, X6, X7.
	VCMPPS $3, X7, X7, X7     // d is NaN
	VCMPPS $3, X6, X6, X6     // c is NaN
	VANDNPS X6, X7, X6        // and not d
	VORPS X7, X6, X12
	VCMPPS $3, X5, X5, X5     // b is NaN
	VANDNPS X5, X12, X5
	VORPS X5, X12, X12
	VXORPS X15, X12, X4       // a: none of the later ones

	// Where m is NaN, take the NaN corners.
	VCMPPS $3, X10, X10, X9
	VBLENDVPS X9, X4, X0, X0
	VBLENDVPS X9, X5, X1, X1
	VBLENDVPS X9, X6, X2, X2
	VBLENDVPS X9, X7, X3, X3

	VANDPS X11, X0, X0
	VANDPS X11, X1, X1
	VANDPS X11, X2, X2
	VANDPS X11, X3, X3
	VUNPCKLPS X1, X0, X4      // a0 b0 a1 b1
	VUNPCKHPS X1, X0, X5      // a2 b2 a3 b3
	VUNPCKLPS X3, X2, X6
	VUNPCKHPS X3, X2, X7
	VMOVUPS X4, (AX)
	VMOVUPS X5, 16(AX)
	VMOVUPS X6, (AX)(R8*1)
	VMOVUPS X7, 16(AX)(R8*1)

	ADDQ $32, AX
	ADDQ $32, BX
	ADDQ $16, R14
	ADDQ $16, R12
	DECQ CX
	JNZ  bblock

	ADDQ R8, DI
	ADDQ R8, DI
	ADDQ R8, SI
	ADDQ R8, SI
	ADDQ R10, DX
	ADDQ R10, R13
	DECQ R9
	JNZ  brow
	RET
