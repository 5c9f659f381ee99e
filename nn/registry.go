package nn

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Layer is one row of the layer table: everything Descent knows about a
// kind of module. Its arguments are the fields of the struct New returns,
// tagged `arg:"name[,pos][,req]"` with PyTorch's argument names: pos
// fields are positional, in field order, after the input size PyTorch
// would take first (which is inferred); req fields must be given. A
// field's zero value is its default. Field types may be int, float64,
// *float64 and *bool (nil: the documented default, for an argument whose
// zero is a value of its own, like dropout's p), bool, Pair and
// *Sequential (a nested layer sequence, as in residual(...)).
type Layer struct {
	// Name is the torch.nn class in lower case, such as "conv2d".
	Name string
	// Doc is one line: what the layer computes and its defaults.
	Doc string
	// New returns a pointer to a new module with the default configuration.
	New func() Module
}

// Arg describes one argument of a layer, derived from its struct tag.
type Arg struct {
	Name                 string
	Positional, Required bool
	field                int
	typ                  reflect.Type
}

type row struct {
	Layer
	typ  reflect.Type // the struct type New points to
	args []Arg
}

var (
	regMu  sync.RWMutex
	rows   []row
	byName = map[string]int{}
	byType = map[reflect.Type]int{}
)

var layerName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Register adds a layer (a user's own module included) to the table, so
// that the grammar, model files and the command line know it. The name
// must be new and lower case; New must return a pointer to a struct whose
// arg tags are well formed.
func Register(l Layer) error {
	if !layerName.MatchString(l.Name) {
		return fmt.Errorf("nn: layer name %q must be lower case letters, digits and _, starting with a letter", l.Name)
	}
	if l.New == nil {
		return fmt.Errorf("nn: layer %q has no New function", l.Name)
	}
	m := l.New()
	t := reflect.TypeOf(m)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("nn: layer %q: New must return a pointer to a struct, got %T", l.Name, m)
	}
	args, err := argsOf(t.Elem())
	if err != nil {
		return fmt.Errorf("nn: layer %q: %w", l.Name, err)
	}
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := byName[l.Name]; dup {
		return fmt.Errorf("nn: layer %q is registered twice", l.Name)
	}
	if i, dup := byType[t.Elem()]; dup {
		return fmt.Errorf("nn: type %v is registered as %q already", t.Elem(), rows[i].Name)
	}
	byName[l.Name] = len(rows)
	byType[t.Elem()] = len(rows)
	rows = append(rows, row{Layer: l, typ: t.Elem(), args: args})
	return nil
}

// mustRegister registers the built-in layers at start-up.
func mustRegister(ls ...Layer) {
	for _, l := range ls {
		if err := Register(l); err != nil {
			panic(err)
		}
	}
}

// Layers lists the table, sorted by name.
func Layers() []Layer {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]Layer, len(rows))
	for i, r := range rows {
		out[i] = r.Layer
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Args lists a registered layer's arguments in order, positional first.
func Args(name string) ([]Arg, error) {
	r, err := lookup(name)
	if err != nil {
		return nil, err
	}
	return append([]Arg(nil), r.args...), nil
}

func lookup(name string) (row, error) {
	regMu.RLock()
	defer regMu.RUnlock()
	i, ok := byName[name]
	if !ok {
		names := make([]string, len(rows))
		for j, r := range rows {
			names[j] = r.Name
		}
		sort.Strings(names)
		return row{}, fmt.Errorf("unknown layer %q (known: %s)", name, strings.Join(names, ", "))
	}
	return rows[i], nil
}

// rowOf returns the table row of a module's type.
func rowOf(m Module) (row, bool) {
	t := reflect.TypeOf(m)
	if t == nil {
		return row{}, false
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	regMu.RLock()
	defer regMu.RUnlock()
	i, ok := byType[t]
	if !ok {
		return row{}, false
	}
	return rows[i], true
}

// NameOf returns the registered name of a module's type.
func NameOf(m Module) (string, bool) {
	r, ok := rowOf(m)
	return r.Name, ok
}

// New returns a new module of a registered layer with its defaults.
func New(name string) (Module, error) {
	r, err := lookup(name)
	if err != nil {
		return nil, fmt.Errorf("nn: %w", err)
	}
	return r.New(), nil
}

var (
	typInt      = reflect.TypeOf(0)
	typFloat    = reflect.TypeOf(0.0)
	typBool     = reflect.TypeOf(false)
	typBoolPtr  = reflect.TypeOf((*bool)(nil))
	typFloatPtr = reflect.TypeOf((*float64)(nil))
	typPair     = reflect.TypeOf(Pair{})
	typSeq      = reflect.TypeOf((*Sequential)(nil))
)

func argsOf(t reflect.Type) ([]Arg, error) {
	var pos, kw []Arg
	seen := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("arg")
		if !ok {
			continue
		}
		parts := strings.Split(tag, ",")
		a := Arg{Name: parts[0], field: i, typ: f.Type}
		if !layerName.MatchString(a.Name) {
			return nil, fmt.Errorf("field %s: argument name %q must be lower case", f.Name, a.Name)
		}
		if seen[a.Name] {
			return nil, fmt.Errorf("argument %q appears twice", a.Name)
		}
		seen[a.Name] = true
		if !f.IsExported() {
			return nil, fmt.Errorf("field %s with an arg tag must be exported", f.Name)
		}
		switch f.Type {
		case typInt, typFloat, typFloatPtr, typBool, typBoolPtr, typPair, typSeq:
		default:
			return nil, fmt.Errorf("field %s has type %v; arguments are int, float64, *float64, bool, *bool, nn.Pair or *nn.Sequential", f.Name, f.Type)
		}
		for _, o := range parts[1:] {
			switch o {
			case "pos":
				a.Positional = true
			case "req":
				a.Required = true
			default:
				return nil, fmt.Errorf("field %s: unknown tag option %q (want pos or req)", f.Name, o)
			}
		}
		if a.Positional {
			if len(kw) > 0 {
				return nil, fmt.Errorf("positional argument %q comes after a keyword-only one", a.Name)
			}
			pos = append(pos, a)
		} else {
			kw = append(kw, a)
		}
	}
	return append(pos, kw...), nil
}
