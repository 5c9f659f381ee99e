// Package lex holds the small lexical rules Descent's parsers share: what a
// number in a data file or a spec looks like (plain decimal notation only,
// no underscores, hexadecimal or words), and how user text is quoted in an
// error message (capped, so that a 10 MB cell does not become a 10 MB
// message).
package lex
