package lex

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// ErrSyntax reports text that is not a number in plain decimal notation.
var ErrSyntax = errors.New("not a decimal number")

// ErrNonFinite reports NaN, an infinity, or a number too large for a
// float64 (such as 1e400).
var ErrNonFinite = errors.New("not a finite number")

// ErrRange reports an integer that does not fit an int.
var ErrRange = errors.New("integer out of range")

// Float parses s as a float64 written in plain decimal or scientific
// notation:
//
//	[+|-] digits [. [digits]] [(e|E) [+|-] digits]
//	[+|-] . digits [(e|E) [+|-] digits]
//
// so "1", "-2.5", ".5", "5.", "1e-3" and "+4E2" are numbers, while what
// strconv.ParseFloat also takes, "1_000", "0x1p3", "inf", "Infinity",
// "nan", is not. The words nan, inf and infinity (any case, any sign) and
// values that overflow a float64 give ErrNonFinite; anything else that is
// not a number gives ErrSyntax. A value too small for a float64 is 0, as
// strconv.ParseFloat makes it. s is not trimmed.
func Float(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && plain(s) {
		// ParseFloat's grammar over the characters of plain decimals is
		// exactly Float's: hexadecimal needs an x, words letters, and
		// separators an underscore.
		return v, nil
	}
	if errors.Is(err, strconv.ErrRange) && plain(s) {
		if math.IsInf(v, 0) {
			return 0, ErrNonFinite // 1e400
		}
		return v, nil // 1e-400: too small for a float64, 0 as ParseFloat makes it
	}
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case "nan", "inf", "infinity":
		if len(s)-len(strings.TrimLeft(s, "+-")) <= 1 {
			return 0, ErrNonFinite
		}
	}
	return 0, ErrSyntax
}

// plainChar marks the bytes a plain decimal number may hold.
var plainChar = func() (t [256]bool) {
	for _, c := range []byte("0123456789.eE+-") {
		t[c] = true
	}
	return t
}()

// plain reports whether s holds only the characters of a plain decimal.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if !plainChar[s[i]] {
			return false
		}
	}
	return true
}

// digits counts the leading ASCII digits of s.
func digits(s string) int {
	n := 0
	for n < len(s) && '0' <= s[n] && s[n] <= '9' {
		n++
	}
	return n
}

// Int parses s as a decimal integer, [+|-] digits, with no underscores,
// base prefixes or spaces. A syntax error is ErrSyntax; a value outside
// the int range is ErrRange.
func Int(s string) (int, error) {
	t := strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-")
	if len(s)-len(t) > 1 || t == "" || digits(t) != len(t) {
		return 0, ErrSyntax
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, ErrRange // the syntax was checked above
	}
	return n, nil
}
