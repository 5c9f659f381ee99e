package optimizers

import (
	"fmt"
	"strconv"
	"strings"
)

// Info describes a named optimizer for `descent optimizers`.
type Info struct {
	Name string
	// Options are the flags it takes, with their defaults, in a fixed
	// order; lr first, then the optimizer's own, then clipping and the schedule.
	Options []OptionInfo
	// Defaults lists the optimizer's own options with their defaults on
	// one line: "lr 0.01, momentum 0.9, dampening 0, weight-decay 0".
	Defaults string
	// Formula is the update, in the notation of the package doc.
	Formula string
	// Paper is the reference: the torch.optim class and the paper.
	Paper string
}

// OptionInfo is one flag of an optimizer.
type OptionInfo struct {
	Name, Default, Doc string
}

// Describe lists every optimizer, in the order of Names.
func Describe() []Info {
	infos := make([]Info, 0, len(registry))
	for _, n := range registry {
		info := Info{Name: n.name, Formula: n.formula, Paper: n.paper}
		for _, o := range options {
			def, takes := n.defaults[o.name]
			var val string
			switch {
			case o.name == "lr":
				val = strconv.FormatFloat(n.lr, 'g', -1, 64)
			case o.name == "clip-norm" || o.name == "clip-value":
				val = "off"
			case !takes:
				continue
			case o.b != nil:
				val = strconv.FormatBool(def != 0)
			default:
				val = strconv.FormatFloat(def, 'g', -1, 64)
			}
			info.Options = append(info.Options, OptionInfo{Name: o.name, Default: val, Doc: o.doc})
		}
		var own []string
		for _, o := range info.Options {
			if o.Name != "clip-norm" && o.Name != "clip-value" {
				own = append(own, o.Name+" "+o.Default)
			}
		}
		info.Defaults = strings.Join(own, ", ")
		info.Options = append(info.Options, OptionInfo{Name: "schedule", Default: "constant", Doc: ScheduleSpecs})
		infos = append(infos, info)
	}
	return infos
}

// String renders an Info in a few lines: name and formula, then its
// options with their defaults.
func (i Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n  (%s)\n", i.Name, i.Formula, i.Paper)
	for _, o := range i.Options {
		fmt.Fprintf(&b, "  --%-20s %-9s %s\n", o.Name, o.Default, o.Doc)
	}
	return b.String()
}
