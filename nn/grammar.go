package nn

import (
	"fmt"

	"github.com/descent-ml/descent/internal/lex"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode"
)

// MaxSpecLength bounds a layer specification, so a hostile one cannot make
// the parser work long (or nest deeply).
const MaxSpecLength = 4096

// Parse reads a layer sequence. Layers are separated by whitespace; each
// is name or name(args), the name being a registered layer (the torch.nn
// class in lower case). Positional arguments follow PyTorch's order after
// the input size, which is inferred; keyword arguments take PyTorch's
// names:
//
//	conv2d(16,3,padding=1) relu maxpool2d(2) flatten linear(10)
//	linear(16) layernorm gelu linear(3)
//
// Integers, floats, true/false and pairs (3,5) are the values; a pair
// argument also takes one integer for both. Errors give the column:
//
//	nn: "conv2d(16,x)": column 11: kernel_size must be an integer or a pair (h,w), got "x"
func Parse(spec string) (*Sequential, error) {
	if len(spec) > MaxSpecLength {
		return nil, fmt.Errorf("nn: the layer specification has %d bytes, more than %d", len(spec), MaxSpecLength)
	}
	p := &parser{src: spec}
	seq, err := p.sequence(0)
	if err != nil {
		return nil, fmt.Errorf("nn: %s: %w", quote(spec), err)
	}
	if len(seq.Layers) == 0 {
		return nil, fmt.Errorf("nn: %s: no layers", quote(spec))
	}
	return seq, nil
}

type parser struct {
	src   string
	i     int
	depth int
}

type posError struct {
	col int
	msg string
}

func (e *posError) Error() string { return fmt.Sprintf("column %d: %s", e.col, e.msg) }

func (p *parser) errf(at int, format string, a ...any) error {
	return &posError{col: at + 1, msg: fmt.Sprintf(format, a...)}
}

func (p *parser) skipSpace() {
	for p.i < len(p.src) && unicode.IsSpace(rune(p.src[p.i])) {
		p.i++
	}
}

// sequence reads layers until the end or, when nested, until ')'.
func (p *parser) sequence(depth int) (*Sequential, error) {
	if depth > 8 {
		return nil, p.errf(p.i, "sequences nest more than 8 deep")
	}
	seq := &Sequential{}
	for {
		p.skipSpace()
		if p.i >= len(p.src) || (depth > 0 && p.src[p.i] == ')') {
			return seq, nil
		}
		m, err := p.layer(depth)
		if err != nil {
			return nil, err
		}
		seq.Layers = append(seq.Layers, m)
		if p.i < len(p.src) && !unicode.IsSpace(rune(p.src[p.i])) && !(depth > 0 && p.src[p.i] == ')') {
			return nil, p.errf(p.i, "unexpected %q after a layer (layers are separated by spaces)", p.src[p.i])
		}
	}
}

func (p *parser) ident() string {
	start := p.i
	for p.i < len(p.src) {
		c := p.src[p.i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' && p.i > start {
			p.i++
			continue
		}
		break
	}
	return p.src[start:p.i]
}

func (p *parser) layer(depth int) (Module, error) {
	start := p.i
	name := p.ident()
	if name == "" {
		return nil, p.errf(p.i, "expected a layer name, got %q", p.src[p.i])
	}
	r, err := lookup(strings.ToLower(name))
	if err != nil {
		return nil, p.errf(start, "%v", err)
	}
	m := r.New()
	v := reflect.ValueOf(m).Elem()
	given := map[string]bool{}
	if p.i < len(p.src) && p.src[p.i] == '(' {
		p.i++
		npos := 0
		for k := 0; ; k++ {
			p.skipSpace()
			if p.i < len(p.src) && p.src[p.i] == ')' && k == 0 {
				p.i++
				break
			}
			// keyword?
			at := p.i
			key := ""
			save := p.i
			if id := p.ident(); id != "" {
				p.skipSpace()
				if p.i < len(p.src) && p.src[p.i] == '=' {
					key = id
					p.i++
					p.skipSpace()
				} else {
					p.i = save
				}
			}
			var a Arg
			if key == "" {
				if len(given) > npos {
					return nil, p.errf(at, "positional argument after a keyword argument")
				}
				if npos >= len(r.args) || !r.args[npos].Positional {
					return nil, p.errf(at, "%s takes %d positional argument(s)%s", r.Name, countPos(r.args), posHint(r.args))
				}
				a = r.args[npos]
				npos++
			} else {
				found := false
				for _, c := range r.args {
					if c.Name == key {
						a, found = c, true
					}
				}
				if !found {
					return nil, p.errf(at, "%s has no argument %q (it takes %s)", r.Name, key, argNames(r.args))
				}
			}
			if given[a.Name] {
				return nil, p.errf(at, "argument %s of %s is given twice", a.Name, r.Name)
			}
			given[a.Name] = true
			if err := p.value(v.Field(a.field), a, r.Name, depth); err != nil {
				return nil, err
			}
			p.skipSpace()
			if p.i >= len(p.src) {
				return nil, p.errf(p.i, "missing ')' after the arguments of %s", r.Name)
			}
			if p.src[p.i] == ',' {
				p.i++
				continue
			}
			if p.src[p.i] == ')' {
				p.i++
				break
			}
			return nil, p.errf(p.i, "expected ',' or ')' in the arguments of %s, got %q", r.Name, p.src[p.i])
		}
	}
	for _, a := range r.args {
		if a.Required && !given[a.Name] {
			return nil, p.errf(start, "%s needs its argument %s, as in %s", r.Name, a.Name, usage(r))
		}
	}
	if err := Validate(m); err != nil {
		return nil, p.errf(start, "%v", err)
	}
	return m, nil
}

func (p *parser) token() (string, int) {
	p.skipSpace()
	start := p.i
	for p.i < len(p.src) && !strings.ContainsRune(",()= \t\n", rune(p.src[p.i])) {
		p.i++
	}
	return p.src[start:p.i], start
}

func (p *parser) value(f reflect.Value, a Arg, layer string, depth int) error {
	switch a.typ {
	case typSeq:
		at := p.i
		seq, err := p.sequence(depth + 1)
		if err != nil {
			return err
		}
		if len(seq.Layers) == 0 {
			return p.errf(at, "%s needs at least one layer", a.Name)
		}
		f.Set(reflect.ValueOf(seq))
		return nil
	case typPair:
		if p.i < len(p.src) && p.src[p.i] == '(' {
			at := p.i
			p.i++
			h, err := p.intValue(a, layer)
			if err != nil {
				return err
			}
			p.skipSpace()
			if p.i >= len(p.src) || p.src[p.i] != ',' {
				return p.errf(at, "%s of %s must be an integer or a pair (h,w)", a.Name, layer)
			}
			p.i++
			w, err := p.intValue(a, layer)
			if err != nil {
				return err
			}
			p.skipSpace()
			if p.i >= len(p.src) || p.src[p.i] != ')' {
				return p.errf(at, "%s of %s must be an integer or a pair (h,w)", a.Name, layer)
			}
			p.i++
			f.Set(reflect.ValueOf(Pair{h, w}))
			return nil
		}
		n, err := p.intValue(a, layer)
		if err != nil {
			return err
		}
		f.Set(reflect.ValueOf(Pair{n, n}))
		return nil
	case typInt:
		n, err := p.intValue(a, layer)
		if err != nil {
			return err
		}
		f.SetInt(int64(n))
		return nil
	case typFloat, typFloatPtr:
		tok, at := p.token()
		x, err := strconv.ParseFloat(tok, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || strings.ContainsAny(tok, "_xXpP") || strings.ContainsAny(strings.ToLower(tok), "in") {
			return p.errf(at, "%s of %s must be a finite number, got %s", a.Name, layer, quote(tok))
		}
		if a.typ == typFloatPtr {
			f.Set(reflect.ValueOf(&x))
		} else {
			f.SetFloat(x)
		}
		return nil
	case typBool, typBoolPtr:
		tok, at := p.token()
		var b bool
		switch strings.ToLower(tok) {
		case "true":
			b = true
		case "false":
			b = false
		default:
			return p.errf(at, "%s of %s must be true or false, got %s", a.Name, layer, quote(tok))
		}
		if a.typ == typBool {
			f.SetBool(b)
		} else {
			f.Set(reflect.ValueOf(&b))
		}
		return nil
	}
	return p.errf(p.i, "argument %s has an unsupported type", a.Name)
}

func (p *parser) intValue(a Arg, layer string) (int, error) {
	tok, at := p.token()
	n, err := strconv.Atoi(tok)
	if err != nil || strings.HasPrefix(tok, "+") || n > 1<<30 || n < -(1<<30) {
		what := "an integer"
		if a.typ == typPair {
			what = "an integer or a pair (h,w)"
		}
		if err == nil || strings.Contains(err.Error(), "range") {
			return 0, p.errf(at, "%s of %s is out of range, got %s", a.Name, layer, quote(tok))
		}
		return 0, p.errf(at, "%s of %s must be %s, got %s", a.Name, layer, what, quote(tok))
	}
	return n, nil
}

func countPos(args []Arg) int {
	n := 0
	for _, a := range args {
		if a.Positional {
			n++
		}
	}
	return n
}

func posHint(args []Arg) string {
	var names []string
	for _, a := range args {
		if a.Positional {
			names = append(names, a.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (" + strings.Join(names, ", ") + ")"
}

func argNames(args []Arg) string {
	if len(args) == 0 {
		return "no arguments"
	}
	names := make([]string, len(args))
	for i, a := range args {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}

// usage renders a layer's call form, such as conv2d(out_channels, kernel_size).
func usage(r row) string {
	var pos []string
	for _, a := range r.args {
		if a.Positional {
			pos = append(pos, a.Name)
		}
	}
	return r.Name + "(" + strings.Join(pos, ", ") + ")"
}

// Usage renders a registered layer's call form with its keyword arguments:
// conv2d(out_channels, kernel_size, stride=, padding=, …).
func Usage(name string) (string, error) {
	r, err := lookup(name)
	if err != nil {
		return "", fmt.Errorf("nn: %w", err)
	}
	var parts []string
	for _, a := range r.args {
		if a.Positional {
			parts = append(parts, a.Name)
		} else {
			parts = append(parts, a.Name+"=")
		}
	}
	if len(parts) == 0 {
		return r.Name, nil
	}
	return r.Name + "(" + strings.Join(parts, ", ") + ")", nil
}

// Format renders a registered module (or a Sequential of them) in the
// grammar Parse reads, arguments that hold their defaults left out:
// Format(Parse(s)) is a canonical form of s.
func Format(m Module) (string, error) {
	if seq, ok := m.(*Sequential); ok {
		parts := make([]string, len(seq.Layers))
		for i, l := range seq.Layers {
			s, err := Format(l)
			if err != nil {
				return "", fmt.Errorf("layer %d: %w", i, err)
			}
			parts[i] = s
		}
		return strings.Join(parts, " "), nil
	}
	r, ok := rowOf(m)
	if !ok {
		return "", fmt.Errorf("nn: %T is not a registered layer (see nn.Register)", m)
	}
	v := reflect.ValueOf(m)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	var parts []string
	keyword := false
	for _, a := range r.args {
		f := v.Field(a.field)
		if f.IsZero() {
			if a.Positional && !keyword && anyLaterPositionalSet(v, r.args, a) {
				// a positional hole: switch to keywords from here on
				keyword = true
			}
			continue
		}
		s, err := formatValue(f, a)
		if err != nil {
			return "", err
		}
		if a.Positional && !keyword {
			parts = append(parts, s)
		} else {
			keyword = true
			parts = append(parts, a.Name+"="+s)
		}
	}
	if len(parts) == 0 {
		return r.Name, nil
	}
	return r.Name + "(" + strings.Join(parts, ",") + ")", nil
}

func anyLaterPositionalSet(v reflect.Value, args []Arg, a Arg) bool {
	after := false
	for _, b := range args {
		if b.Name == a.Name {
			after = true
			continue
		}
		if after && b.Positional && !v.Field(b.field).IsZero() {
			return true
		}
	}
	return false
}

func formatValue(f reflect.Value, a Arg) (string, error) {
	switch a.typ {
	case typInt:
		return strconv.FormatInt(f.Int(), 10), nil
	case typFloat:
		return strconv.FormatFloat(f.Float(), 'g', -1, 64), nil
	case typBool:
		return strconv.FormatBool(f.Bool()), nil
	case typBoolPtr:
		return strconv.FormatBool(f.Elem().Bool()), nil
	case typFloatPtr:
		return strconv.FormatFloat(f.Elem().Float(), 'g', -1, 64), nil
	case typPair:
		pr := f.Interface().(Pair)
		if pr[0] == pr[1] {
			return strconv.Itoa(pr[0]), nil
		}
		return fmt.Sprintf("(%d,%d)", pr[0], pr[1]), nil
	case typSeq:
		return Format(f.Interface().(*Sequential))
	}
	return "", fmt.Errorf("nn: argument %s has an unsupported type", a.Name)
}

// quote quotes user text for an error message, cut to about 40 bytes.
func quote(s string) string { return lex.Quote(s) }
