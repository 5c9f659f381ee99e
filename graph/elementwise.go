package graph

import "math"

// Elementwise kernel codes.
const (
	opAdd = iota
	opSub
	opMul
	opDiv
	opPow
	opLt
	opGt
	opLte
	opGte
	opEq
	opNe
	opMin
	opMax
)

var binCodes = map[string]int{
	"+": opAdd, "-": opSub, "⊙": opMul, "÷": opDiv, "^": opPow,
	"<": opLt, ">": opGt, "<=": opLte, ">=": opGte, "==": opEq, "!=": opNe,
}

// binary computes out = a op b, where a or b may hold a single value that
// is broadcast.
func binary[T Float](code int, out, a, b []T) {
	switch {
	case len(a) == 1 && len(b) == 1:
		v := scalarOp(code, a[0], b[0])
		for i := range out {
			out[i] = v
		}
	case len(a) == len(out) && len(b) == len(out):
		b = b[:len(out)]
		a = a[:len(out)]
		switch code {
		case opAdd:
			for i := range out {
				out[i] = a[i] + b[i]
			}
		case opSub:
			for i := range out {
				out[i] = a[i] - b[i]
			}
		case opMul:
			for i := range out {
				out[i] = a[i] * b[i]
			}
		case opDiv:
			for i := range out {
				out[i] = a[i] / b[i]
			}
		default:
			for i := range out {
				out[i] = scalarOp(code, a[i], b[i])
			}
		}
	case len(b) == 1:
		y := b[0]
		a = a[:len(out)]
		switch code {
		case opAdd:
			for i := range out {
				out[i] = a[i] + y
			}
		case opSub:
			for i := range out {
				out[i] = a[i] - y
			}
		case opMul:
			for i := range out {
				out[i] = a[i] * y
			}
		case opDiv:
			for i := range out {
				out[i] = a[i] / y
			}
		default:
			for i := range out {
				out[i] = scalarOp(code, a[i], y)
			}
		}
	default: // len(a) == 1
		x := a[0]
		b = b[:len(out)]
		switch code {
		case opMul:
			for i := range out {
				out[i] = x * b[i]
			}
		default:
			for i := range out {
				out[i] = scalarOp(code, x, b[i])
			}
		}
	}
}

func scalarOp[T Float](code int, x, y T) T {
	switch code {
	case opAdd:
		return x + y
	case opSub:
		return x - y
	case opMul:
		return x * y
	case opDiv:
		return x / y
	case opPow:
		return T(math.Pow(float64(x), float64(y)))
	case opLt:
		return bit[T](x < y)
	case opGt:
		return bit[T](x > y)
	case opLte:
		return bit[T](x <= y)
	case opGte:
		return bit[T](x >= y)
	case opEq:
		return bit[T](x == y)
	case opNe:
		return bit[T](x != y)
	case opMin:
		return min(x, y)
	case opMax:
		return max(x, y)
	}
	return T(math.NaN())
}

func bit[T Float](b bool) T {
	if b {
		return 1
	}
	return 0
}

// Unary kernel codes, named as Gorgonia prints its elementwise unary ops.
const (
	uAbs = iota
	uSign
	uCeil
	uFloor
	uSin
	uCos
	uExp
	uLn
	uLog2
	uNeg
	uSquare
	uSqrt
	uInv
	uInvSqrt
	uCube
	uTanh
	uSigmoid
	uLog1p
	uExpm1
	uSoftplus
)

var unaryCodes = map[string]int{
	"abs": uAbs, "sign": uSign, "ceil": uCeil, "floor": uFloor, "sin": uSin, "cos": uCos,
	"exp": uExp, "ln": uLn, "log2": uLog2, "neg": uNeg, "square": uSquare, "sqrt": uSqrt,
	"inv": uInv, "invSqrt": uInvSqrt, "cube": uCube, "tanh": uTanh, "sigmoid": uSigmoid,
	"log1p": uLog1p, "expm1": uExpm1, "softplus": uSoftplus,
}

// unary computes out = f(a) elementwise.
func unary[T Float](code int, out, a []T) {
	a = a[:len(out)]
	switch code {
	case uNeg:
		for i := range out {
			out[i] = -a[i]
		}
	case uSquare:
		for i := range out {
			out[i] = a[i] * a[i]
		}
	case uCube:
		for i := range out {
			out[i] = a[i] * a[i] * a[i]
		}
	case uInv:
		for i := range out {
			out[i] = 1 / a[i]
		}
	default:
		f := unaryFunc(code)
		for i := range out {
			out[i] = T(f(float64(a[i])))
		}
	}
}

func unaryFunc(code int) func(float64) float64 {
	switch code {
	case uAbs:
		return math.Abs
	case uSign:
		return sign
	case uCeil:
		return math.Ceil
	case uFloor:
		return math.Floor
	case uSin:
		return math.Sin
	case uCos:
		return math.Cos
	case uExp:
		return math.Exp
	case uLn:
		return math.Log
	case uLog2:
		return math.Log2
	case uSqrt:
		return math.Sqrt
	case uInvSqrt:
		return func(x float64) float64 { return 1 / math.Sqrt(x) }
	case uTanh:
		return math.Tanh
	case uSigmoid:
		return Sigmoid
	case uLog1p:
		return math.Log1p
	case uExpm1:
		return math.Expm1
	case uSoftplus:
		return Softplus
	}
	return func(float64) float64 { return math.NaN() }
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// Sigmoid is the logistic function σ(x) = 1/(1+e^(−x)), evaluated without
// overflow for either sign of x.
func Sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Softplus is log(1+eˣ), evaluated stably as max(x,0) + log1p(e^(−|x|)).
// It differs from Gorgonia's own softplus, which returns x for x > 16 and
// so is off by up to 7e-9 relative there.
func Softplus(x float64) float64 {
	return math.Max(x, 0) + log1p(math.Exp(-math.Abs(x)))
}

// log1p is log(1+t) for t in [0,1], accurate to about an ulp, through the
// compensated form log(u) − ((u−1)−t)/u with u = 1+t (Goldberg 1991,
// theorem 4), which runs on the assembly math.Log and is about twice as
// fast as math.Log1p.
func log1p(t float64) float64 {
	u := 1 + t
	if u == 1 {
		return t
	}
	return math.Log(u) - ((u-1)-t)/u
}

// softplusKeep writes softplus(x) and keeps e = e^(−|x|).
func softplusKeep[T Float](out []T, e []float64, x []T) {
	for i, v := range x[:len(out)] {
		f := float64(v)
		ei := math.Exp(-math.Abs(f))
		e[i] = ei
		out[i] = T(math.Max(f, 0) + log1p(ei))
	}
}

// sigmoidFrom writes σ(x) from e = e^(−|x|): 1/(1+e) for x ≥ 0, e/(1+e) below.
func sigmoidFrom[T Float](out []T, e []float64, x []T) {
	for i, v := range x[:len(out)] {
		ei := e[i]
		if v >= 0 {
			out[i] = T(1 / (1 + ei))
		} else {
			out[i] = T(ei / (1 + ei))
		}
	}
}
