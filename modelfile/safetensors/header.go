package safetensors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"
)

// MaxHeaderSize bounds the JSON header, as the reference implementation
// does (100 MB); a longer header length is refused before anything is read.
const MaxHeaderSize = 100_000_000

// metadataKey is the header key that holds the free-form string metadata.
const metadataKey = "__metadata__"

// entry is one tensor's header record, before its data is read.
type entry struct {
	name       string
	dtype      dtype
	shape      []int
	begin, end uint64
}

// header is a parsed JSON header.
type header struct {
	entries  []entry
	metadata map[string]string
}

// parseHeader parses the JSON header strictly: valid UTF-8, a single JSON
// object that starts at the first byte and is followed only by whitespace,
// no repeated names, a string→string "__metadata__", and for each tensor
// exactly the keys dtype (a known one), shape (non-negative integers) and
// data_offsets (two non-negative integers). It checks nothing about sizes;
// see validate.
func parseHeader(h []byte) (*header, error) {
	if !utf8.Valid(h) {
		return nil, errors.New("header is not valid UTF-8")
	}
	if len(h) == 0 || h[0] != '{' {
		return nil, errors.New("header does not start with '{'")
	}
	dec := json.NewDecoder(bytes.NewReader(h))
	dec.UseNumber()
	p := &parser{dec: dec}
	hd := &header{metadata: map[string]string{}}
	seen := map[string]bool{}
	if err := p.delim('{', "header"); err != nil {
		return nil, err
	}
	for dec.More() {
		name, err := p.key("header")
		if err != nil {
			return nil, err
		}
		if seen[name] {
			if name == metadataKey {
				return nil, fmt.Errorf("header has %q twice", metadataKey)
			}
			return nil, fmt.Errorf("tensor %s appears twice in the header", quote(name))
		}
		seen[name] = true
		if name == metadataKey {
			if hd.metadata, err = p.metadata(); err != nil {
				return nil, err
			}
			continue
		}
		e, err := p.entry(name)
		if err != nil {
			return nil, fmt.Errorf("tensor %s: %w", quote(name), err)
		}
		hd.entries = append(hd.entries, e)
	}
	if err := p.delim('}', "header"); err != nil {
		return nil, err
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil {
			return nil, fmt.Errorf("header: %v after the JSON object", err)
		}
		return nil, fmt.Errorf("header: unexpected %s after the JSON object", show(tok))
	}
	return hd, nil
}

// parser reads JSON tokens and names what it expected when they differ.
type parser struct{ dec *json.Decoder }

func (p *parser) token(what string) (json.Token, error) {
	tok, err := p.dec.Token()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: JSON ends early", what)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", what, err)
	}
	return tok, nil
}

func (p *parser) delim(d json.Delim, what string) error {
	tok, err := p.token(what)
	if err != nil {
		return err
	}
	if tok != d {
		return fmt.Errorf("%s: expected %s, got %s", what, show(d), show(tok))
	}
	return nil
}

func (p *parser) key(what string) (string, error) {
	tok, err := p.token(what)
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("%s: expected a key, got %s", what, show(tok))
	}
	return s, nil
}

// metadata reads the "__metadata__" object, whose values must be strings.
func (p *parser) metadata() (map[string]string, error) {
	const what = metadataKey
	m := map[string]string{}
	if err := p.delim('{', what); err != nil {
		return nil, err
	}
	for p.dec.More() {
		k, err := p.key(what)
		if err != nil {
			return nil, err
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("%s: key %s appears twice", what, quote(k))
		}
		tok, err := p.token(what)
		if err != nil {
			return nil, err
		}
		v, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("%s: value of %s must be a string, got %s", what, quote(k), show(tok))
		}
		m[k] = v
	}
	return m, p.delim('}', what)
}

// entry reads one tensor's {"dtype", "shape", "data_offsets"} object.
func (p *parser) entry(name string) (entry, error) {
	e := entry{name: name}
	if err := p.delim('{', "header entry"); err != nil {
		return e, err
	}
	var have [3]bool // dtype, shape, data_offsets
	for p.dec.More() {
		k, err := p.key("header entry")
		if err != nil {
			return e, err
		}
		var i int
		switch k {
		case "dtype":
			i, err = 0, p.dtype(&e)
		case "shape":
			i = 1
			e.shape, err = p.shape()
		case "data_offsets":
			i = 2
			err = p.offsets(&e)
		default:
			return e, fmt.Errorf("unknown key %s (want dtype, shape, data_offsets)", quote(k))
		}
		if err != nil {
			return e, err
		}
		if have[i] {
			return e, fmt.Errorf("key %q appears twice", k)
		}
		have[i] = true
	}
	for i, k := range [3]string{"dtype", "shape", "data_offsets"} {
		if !have[i] {
			return e, fmt.Errorf("missing %q", k)
		}
	}
	return e, p.delim('}', "header entry")
}

func (p *parser) dtype(e *entry) error {
	tok, err := p.token("dtype")
	if err != nil {
		return err
	}
	s, ok := tok.(string)
	if !ok {
		return fmt.Errorf("dtype must be a string, got %s", show(tok))
	}
	dt, ok := dtypes[s]
	if !ok {
		return fmt.Errorf("unknown dtype %s (known: %s)", quote(s), dtypeNames())
	}
	e.dtype = dt
	return nil
}

// shape reads an array of non-negative integers, each at most MaxInt64
// (the product is bounded later, in validate).
func (p *parser) shape() ([]int, error) {
	vals, err := p.uints("shape")
	if err != nil {
		return nil, err
	}
	shape := make([]int, len(vals))
	for i, v := range vals {
		if v > math.MaxInt {
			return nil, fmt.Errorf("shape dim %d is too large", v)
		}
		shape[i] = int(v)
	}
	return shape, nil
}

func (p *parser) offsets(e *entry) error {
	vals, err := p.uints("data_offsets")
	if err != nil {
		return err
	}
	if len(vals) != 2 {
		return fmt.Errorf("data_offsets must hold 2 numbers [begin, end], got %d", len(vals))
	}
	e.begin, e.end = vals[0], vals[1]
	return nil
}

// uints reads an array of non-negative integers that fit in a uint64.
func (p *parser) uints(what string) ([]uint64, error) {
	if err := p.delim('[', what); err != nil {
		return nil, err
	}
	var vals []uint64
	for p.dec.More() {
		tok, err := p.token(what)
		if err != nil {
			return nil, err
		}
		n, ok := tok.(json.Number)
		if !ok {
			return nil, fmt.Errorf("%s: expected a number, got %s", what, show(tok))
		}
		v, err := strconv.ParseUint(string(n), 10, 64)
		if err != nil {
			if len(n) > 0 && n[0] == '-' {
				return nil, fmt.Errorf("%s: negative value %s", what, cut(string(n)))
			}
			return nil, fmt.Errorf("%s: %s is not an integer in [0, 2^64)", what, cut(string(n)))
		}
		vals = append(vals, v)
	}
	return vals, p.delim(']', what)
}

// show renders a JSON token for an error message.
func show(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return "'" + t.String() + "'"
	case string:
		return quote(t)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// quote quotes s for an error message, cut to 80 bytes (at a rune
// boundary) so that a hostile header cannot make a huge message.
func quote(s string) string {
	c := cut(s)
	if len(c) < len(s) {
		return strconv.Quote(c) + "…"
	}
	return strconv.Quote(s)
}

// cut returns s, or its first 80 bytes (at a rune boundary) followed by
// nothing; quote marks the cut.
func cut(s string) string {
	const limit = 80
	if len(s) <= limit {
		return s
	}
	n := limit
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
