package lex

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestFloat(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		err  error
	}{
		{"1", 1, nil}, {"-2.5", -2.5, nil}, {"+4", 4, nil}, {".5", 0.5, nil}, {"5.", 5, nil},
		{"1e-3", 1e-3, nil}, {"+4E2", 400, nil}, {"-0", math.Copysign(0, -1), nil}, {"007", 7, nil},
		{"1e-400", 0, nil}, {"1.7976931348623157e308", math.MaxFloat64, nil},
		// What strconv.ParseFloat takes and a data file must not.
		{"1_000", 0, ErrSyntax}, {"1_0.5", 0, ErrSyntax}, {"1e1_0", 0, ErrSyntax},
		{"0x1p3", 0, ErrSyntax}, {"0X1P-2", 0, ErrSyntax}, {"0x_1p3", 0, ErrSyntax},
		{"inf", 0, ErrNonFinite}, {"+Inf", 0, ErrNonFinite}, {"-INFINITY", 0, ErrNonFinite},
		{"NaN", 0, ErrNonFinite}, {"nan", 0, ErrNonFinite}, {"1e400", 0, ErrNonFinite}, {"-1e400", 0, ErrNonFinite},
		{"--inf", 0, ErrSyntax}, {"+-1", 0, ErrSyntax}, {"infinite", 0, ErrSyntax},
		{"", 0, ErrSyntax}, {".", 0, ErrSyntax}, {"+", 0, ErrSyntax}, {"e5", 0, ErrSyntax}, {"1e", 0, ErrSyntax},
		{"1e+", 0, ErrSyntax}, {" 1", 0, ErrSyntax}, {"1 ", 0, ErrSyntax}, {"1,5", 0, ErrSyntax}, {"١", 0, ErrSyntax},
		{"1.2.3", 0, ErrSyntax}, {"0b101", 0, ErrSyntax}, {"1d5", 0, ErrSyntax},
	} {
		v, err := Float(c.in)
		if !errors.Is(err, c.err) || (c.err == nil && math.Float64bits(v) != math.Float64bits(c.want)) {
			t.Errorf("Float(%q) = %v, %v; want %v, %v", c.in, v, err, c.want, c.err)
		}
	}
}

// TestFloatAgreesWithParseFloat: where Float accepts, it returns exactly
// ParseFloat's value.
func TestFloatAgreesWithParseFloat(t *testing.T) {
	for _, s := range []string{"0.1", "3.141592653589793238462643383279", "2.2250738585072011e-308", "4.9e-324", "123456789012345678901234567890"} {
		v, err := Float(s)
		w, _ := strconv.ParseFloat(s, 64)
		if err != nil || v != w {
			t.Errorf("Float(%q) = %v, %v; ParseFloat says %v", s, v, err, w)
		}
	}
}

func TestInt(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		err  error
	}{
		{"0", 0, nil}, {"42", 42, nil}, {"+7", 7, nil}, {"-3", -3, nil}, {"9223372036854775807", math.MaxInt64, nil},
		{"9223372036854775808", 0, ErrRange}, {"-99999999999999999999", 0, ErrRange},
		{"", 0, ErrSyntax}, {"+", 0, ErrSyntax}, {"1_000", 0, ErrSyntax}, {"0x10", 0, ErrSyntax}, {"1e3", 0, ErrSyntax},
		{" 1", 0, ErrSyntax}, {"1.0", 0, ErrSyntax}, {"+-1", 0, ErrSyntax}, {"--1", 0, ErrSyntax},
	} {
		n, err := Int(c.in)
		if !errors.Is(err, c.err) || n != c.want {
			t.Errorf("Int(%q) = %v, %v; want %v, %v", c.in, n, err, c.want, c.err)
		}
	}
}

func TestQuote(t *testing.T) {
	forty := strings.Repeat("a", 40)
	for _, c := range []struct{ in, want string }{
		{"price", `"price"`},
		{"a\"b\n", `"a\"b\n"`},
		{forty, `"` + forty + `"`},
		{forty + "b", `"` + forty + `…" (41 bytes)`},
		{strings.Repeat("a", 10<<20), `"` + forty + `…" (10485760 bytes)`},
		// A cut inside a multi-byte character backs up to its start.
		{strings.Repeat("a", 39) + "éé", `"` + strings.Repeat("a", 39) + `…" (43 bytes)`},
	} {
		if got := Quote(c.in); got != c.want {
			t.Errorf("Quote(%.50q) = %s, want %s", c.in, got, c.want)
		}
	}
	if got := Cut(forty + "xyz"); got != forty+"…" {
		t.Errorf("Cut = %q", got)
	}
	for in, want := range map[string]string{"x1": "x1", forty + "b": forty + "…", "0\n0": `"0\n0"`, "a\"b": `"a\"b"`, "é": "é"} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) = %s, want %s", in, got, want)
		}
	}
}

// decimal reports whether s matches Float's documented grammar, written
// out as a reference for FuzzFloat.
func decimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	intDigits := digits(s[i:])
	i += intDigits
	fracDigits := 0
	if i < len(s) && s[i] == '.' {
		i++
		fracDigits = digits(s[i:])
		i += fracDigits
	}
	if intDigits == 0 && fracDigits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		n := digits(s[i:])
		if n == 0 {
			return false
		}
		i += n
	}
	return i == len(s)
}

// FuzzFloat checks Float against its documented grammar: it accepts s
// exactly when s is a plain decimal whose value is finite, with
// strconv.ParseFloat's value; a refused plain decimal overflows.
func FuzzFloat(f *testing.F) {
	for _, s := range []string{"1", "-2.5", ".5", "5.", "1e-3", "+4E2", "1e400", "1e-400", "1_000", "0x1p3", "inf", "NaN", "", ".", "1e", "+.5e-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Float(s)
		w, perr := strconv.ParseFloat(s, 64)
		finite := !math.IsInf(w, 0) && (perr == nil || errors.Is(perr, strconv.ErrRange))
		switch {
		case decimal(s) && finite:
			if err != nil || math.Float64bits(v) != math.Float64bits(w) {
				t.Fatalf("Float(%q) = %v, %v; ParseFloat says %v", s, v, err, w)
			}
		case decimal(s):
			if !errors.Is(err, ErrNonFinite) {
				t.Fatalf("Float(%q) = %v, %v; want ErrNonFinite", s, v, err)
			}
		case err == nil:
			t.Fatalf("Float(%q) = %v, accepted outside the grammar", s, v)
		}
	})
}
