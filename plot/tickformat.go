package plot

import (
	"math"
	"strconv"
	"strings"
)

// Tick labels use one format per axis, so that a reader never compares
// "80000" with "1e5". There are two formats:
//
//   - plain decimals, when every label lies in [10⁻³, 10⁶) (or is 0);
//   - scientific, "m×10ⁿ", otherwise. On a linear axis every label shares
//     the exponent n of the largest one (0.5×10⁶, 1.0×10⁶, 1.5×10⁶); on a
//     log axis each label is its own power of ten (10⁻⁴, 2×10⁻⁴, 10⁻³).
//
// On a linear axis every label also has the same number of decimals, the
// step's (0.0, 0.5, 1.0). The exponent is written "10^n" in the label
// text; supText draws it as a superscript.
const (
	plainMin = 1e-3
	plainMax = 1e6
)

// isPlain reports whether every value can be written plainly.
func isPlain(vs []float64) bool {
	for _, v := range vs {
		if a := math.Abs(v); v != 0 && !(a >= plainMin && a < plainMax) {
			return false
		}
	}
	return true
}

// formatLinear labels values that are multiples of the step m·10ᵉ
// (m in 1, 2, 2.5, 5, 10, 20, 25, 50) in one format.
func formatLinear(vs []float64, m float64, e int) []string {
	for m >= 10 {
		m, e = m/10, e+1
	}
	dec := -e // decimals of the step
	if m == 2.5 {
		dec++
	}
	top := 0.0
	for _, v := range vs {
		top = math.Max(top, math.Abs(v))
	}
	out := make([]string, len(vs))
	if isPlain([]float64{top}) {
		for i, v := range vs {
			out[i] = strconv.FormatFloat(v, 'f', max(dec, 0), 64)
		}
		return out
	}
	n := decExp(top)
	scale := math.Pow10(n)
	for i, v := range vs {
		if v == 0 {
			out[i] = "0"
			continue
		}
		out[i] = strconv.FormatFloat(v/scale, 'f', max(n+dec, 0), 64) + "×10^" + strconv.Itoa(n)
	}
	return out
}

// formatLog labels the ticks of a log axis, each m·10ⁿ with m a whole
// number, in one format.
func formatLog(vs []float64) []string {
	out := make([]string, len(vs))
	plain := isPlain(vs)
	for i, v := range vs {
		if plain {
			out[i] = formatValue(v, 12)
		} else {
			out[i] = formatSci(v, 12)
		}
	}
	return out
}

// formatLevels labels the contour levels on a colour bar with three
// significant digits, in one format.
func formatLevels(vs []float64) []string {
	r := make([]float64, len(vs))
	for i, v := range vs {
		r[i] = roundSig(v, 3)
	}
	out := make([]string, len(vs))
	plain := isPlain(r)
	for i, v := range r {
		if plain {
			out[i] = formatValue(v, 3)
		} else {
			out[i] = formatSci(v, 3)
		}
	}
	return out
}

// formatValue writes v with at most sig significant digits (sig < 0: as
// many as tell v apart from its neighbours), plainly when 10⁻³ ≤ |v| < 10⁶
// and as m×10^n otherwise.
func formatValue(v float64, sig int) string {
	if v == 0 {
		return "0"
	}
	if !isPlain([]float64{v}) {
		return formatSci(v, sig)
	}
	return strconv.FormatFloat(roundSig(v, sig), 'f', -1, 64)
}

// formatSci writes v as m×10^n with 1 ≤ |m| < 10 and at most sig
// significant digits in m, or as 10^n when m is 1, or "0".
func formatSci(v float64, sig int) string {
	if v == 0 {
		return "0"
	}
	if !isFinite(v) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	prec := sig - 1
	if sig < 0 {
		prec = -1
	}
	s := strconv.FormatFloat(v, 'e', prec, 64) // "-2.50000e-06"
	mant, exp, _ := strings.Cut(s, "e")
	if strings.Contains(mant, ".") {
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
	}
	n, _ := strconv.Atoi(exp)
	switch mant {
	case "1":
		return "10^" + strconv.Itoa(n)
	case "-1":
		return "-10^" + strconv.Itoa(n)
	}
	return mant + "×10^" + strconv.Itoa(n)
}

// roundSig rounds v to sig significant digits (sig < 0 leaves it alone).
func roundSig(v float64, sig int) float64 {
	if sig < 0 || v == 0 || !isFinite(v) {
		return v
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', sig, 64), 64)
	if err != nil || !isFinite(r) {
		return v
	}
	return r
}

// decExp is the decimal exponent n of v ≠ 0, with 1 ≤ |v|/10ⁿ < 10 as
// written to 15 significant digits (so 999.9999999999999 counts as 10³).
func decExp(v float64) int {
	s := strconv.FormatFloat(v, 'e', 14, 64)
	_, exp, _ := strings.Cut(s, "e")
	n, _ := strconv.Atoi(exp)
	return n
}
