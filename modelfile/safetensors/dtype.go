package safetensors

import (
	"encoding/binary"
	"math"
	"sort"
	"strings"
)

// dtype describes one element type of the format: its name, its size in
// bytes, its rank in the reference writer's ordering (larger ranks first,
// which keeps every tensor aligned to its element size), and how to decode
// it from little-endian bytes.
type dtype struct {
	name    string
	size    int
	rank    int
	integer bool
	min     int64 // integer range, for writing
	max     uint64
}

// dtypes lists the dtypes this package reads; the ranks follow the
// reference's DType enum (BOOL < U8 < I8 < I16 < U16 < F16 < BF16 < I32 <
// U32 < F32 < F64 < I64 < U64).
var dtypes = map[string]dtype{
	"BOOL": {name: "BOOL", size: 1, rank: 0, integer: true, min: 0, max: 1},
	"U8":   {name: "U8", size: 1, rank: 1, integer: true, min: 0, max: math.MaxUint8},
	"I8":   {name: "I8", size: 1, rank: 2, integer: true, min: math.MinInt8, max: math.MaxInt8},
	"I16":  {name: "I16", size: 2, rank: 3, integer: true, min: math.MinInt16, max: math.MaxInt16},
	"U16":  {name: "U16", size: 2, rank: 4, integer: true, min: 0, max: math.MaxUint16},
	"F16":  {name: "F16", size: 2, rank: 5},
	"BF16": {name: "BF16", size: 2, rank: 6},
	"I32":  {name: "I32", size: 4, rank: 7, integer: true, min: math.MinInt32, max: math.MaxInt32},
	"U32":  {name: "U32", size: 4, rank: 8, integer: true, min: 0, max: math.MaxUint32},
	"F32":  {name: "F32", size: 4, rank: 9},
	"F64":  {name: "F64", size: 8, rank: 10},
	"I64":  {name: "I64", size: 8, rank: 11, integer: true, min: math.MinInt64, max: math.MaxInt64},
	"U64":  {name: "U64", size: 8, rank: 12, integer: true, min: 0, max: math.MaxInt64}, // I64 must hold it
}

// dtypeNames returns the known dtype names, sorted, for error messages.
func dtypeNames() string {
	names := make([]string, 0, len(dtypes))
	for n := range dtypes {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// decodeInt returns element i of b as an integer dtype; ok is false for a
// U64 value above MaxInt64 and for a BOOL byte other than 0 or 1.
func (t dtype) decodeInt(b []byte, i int) (v int64, ok bool) {
	switch t.name {
	case "BOOL":
		return int64(b[i]), b[i] <= 1
	case "U8":
		return int64(b[i]), true
	case "I8":
		return int64(int8(b[i])), true
	case "I16":
		return int64(int16(binary.LittleEndian.Uint16(b[2*i:]))), true
	case "U16":
		return int64(binary.LittleEndian.Uint16(b[2*i:])), true
	case "I32":
		return int64(int32(binary.LittleEndian.Uint32(b[4*i:]))), true
	case "U32":
		return int64(binary.LittleEndian.Uint32(b[4*i:])), true
	case "I64":
		return int64(binary.LittleEndian.Uint64(b[8*i:])), true
	case "U64":
		u := binary.LittleEndian.Uint64(b[8*i:])
		return int64(u), u <= math.MaxInt64
	}
	return 0, false
}

// decodeFloat returns element i of b as a float dtype.
func (t dtype) decodeFloat(b []byte, i int) float64 {
	switch t.name {
	case "F16":
		return f16ToFloat64(binary.LittleEndian.Uint16(b[2*i:]))
	case "BF16":
		return float64(math.Float32frombits(uint32(binary.LittleEndian.Uint16(b[2*i:])) << 16))
	case "F32":
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
	case "F64":
		return math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return math.NaN()
}

// appendInt appends v in the integer dtype t; the caller has checked the
// range.
func (t dtype) appendInt(b []byte, v int64) []byte {
	switch t.size {
	case 1:
		return append(b, byte(v))
	case 2:
		return binary.LittleEndian.AppendUint16(b, uint16(v))
	case 4:
		return binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	return binary.LittleEndian.AppendUint64(b, uint64(v))
}

// f16ToFloat64 converts IEEE 754 half precision (1 sign, 5 exponent, 10
// fraction bits) to float64, exactly: subnormals are f·2^−24, infinities
// and NaNs keep their kind.
func f16ToFloat64(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1024+frac, exp-25)
}
