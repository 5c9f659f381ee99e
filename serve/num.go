package serve

import (
	"math"
	"strconv"
)

// num is a float64 that encodes to JSON exactly (shortest round-trip
// decimal, so the page reads back the same bits) and writes NaN and ±Inf
// as the strings "NaN", "Infinity" and "-Infinity", which encoding/json
// would refuse.
type num float64

// MarshalJSON implements json.Marshaler.
func (n num) MarshalJSON() ([]byte, error) {
	v := float64(n)
	switch {
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	case math.IsInf(v, 1):
		return []byte(`"Infinity"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Infinity"`), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// nums converts a slice.
func nums(v []float64) []num {
	out := make([]num, len(v))
	for i, x := range v {
		out[i] = num(x)
	}
	return out
}
