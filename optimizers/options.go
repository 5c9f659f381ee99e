package optimizers

// Option describes one optimizer option, a row of the table New checks:
// its flag name, what it means and its range, and the Config field it sets
// (Float for a number, Bool for a switch). The command line's optimizer
// flags are generated from this table, so no option is listed twice.
type Option struct {
	Name  string
	Doc   string
	Float func(*Config) *float64
	Bool  func(*Config) *bool
}

// Options lists every option, in the order New checks them.
func Options() []Option {
	out := make([]Option, len(options))
	for i, o := range options {
		out[i] = Option{Name: o.name, Doc: o.doc, Float: o.f, Bool: o.b}
	}
	return out
}

// Takers lists the optimizers that take option name (every one, for lr and
// the clipping options).
func Takers(name string) []string {
	var out []string
	for _, n := range Names() {
		sp, _ := lookup(n)
		if _, ok := sp.defaults[name]; ok || common[name] {
			out = append(out, n)
		}
	}
	return out
}
