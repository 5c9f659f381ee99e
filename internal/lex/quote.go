package lex

import (
	"strconv"
	"unicode/utf8"
)

// QuoteMax is the number of bytes of user text Quote shows.
const QuoteMax = 40

// Quote returns s quoted as %q would, cut to its first QuoteMax bytes
// (at a character boundary) and followed by its full length when longer:
//
//	"price"
//	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…" (10485760 bytes)
//
// Use it for every piece of user data (cells, headers, names, specs) that
// an error message quotes.
func Quote(s string) string {
	if len(s) <= QuoteMax {
		return strconv.Quote(s)
	}
	return strconv.Quote(Cut(s)) + " (" + strconv.Itoa(len(s)) + " bytes)"
}

// Cut returns s unchanged when it has at most QuoteMax bytes, otherwise its
// first QuoteMax bytes (at a character boundary) followed by "…", for
// unquoted names in a message.
func Cut(s string) string {
	if len(s) <= QuoteMax {
		return s
	}
	n := QuoteMax
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Name returns a name for an unquoted list in a message: Cut(s) when s
// needs no escaping, otherwise Quote(s), so that a name holding a line
// break or a control character cannot break the message's line.
func Name(s string) string {
	if q := strconv.Quote(s); q[1:len(q)-1] == s {
		return Cut(s)
	}
	return Quote(s)
}
