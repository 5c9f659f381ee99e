package modelfile

import (
	"fmt"
	"strconv"
	"slices"
	"sort"
	"strings"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/nn"
)

// Apply copies the file's parameters and buffers into the engine. Every
// parameter and buffer of the model must be in the file with the model's
// shape, and the file may hold no other: a missing, extra or misshapen
// tensor is named, with both shapes. A safetensors file keeps parameters
// and buffers in one table, as a torch state_dict does; each is matched by
// its name.
func (f *File) Apply(e *graph.Engine) error {
	return f.ApplyAs(e, f.Model.Spec)
}

// ApplyAs is Apply with the model's layer sequence given, for a bare
// state_dict, so that a misshapen tensor's error names its layer.
func (f *File) ApplyAs(e *graph.Engine, spec string) error {
	all := make(map[string]Tensor, len(f.Params)+len(f.Buffers))
	for k, v := range f.Params {
		all[k] = v
	}
	for k, v := range f.Buffers {
		all[k] = v
	}
	want := append(append([]graph.Param{}, e.Spec().Params...), e.BufferSpecs()...)
	var extra []string
	for name := range all {
		if !slices.ContainsFunc(want, func(p graph.Param) bool { return p.Name == name }) {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("modelfile: the file has %s %s, which the model does not", plural(len(extra), "tensor"), strings.Join(extra, ", "))
	}
	if err := applyGroup("parameter", all, e.Spec().Params, e.SetParams, spec); err != nil {
		return err
	}
	return applyGroup("buffer", all, e.BufferSpecs(), e.SetBuffers, spec)
}

func plural(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}

func applyGroup(what string, have map[string]Tensor, want []graph.Param, set func(map[string][]float64) error, spec string) error {
	vals := make(map[string][]float64, len(want))
	var missing []string
	for _, p := range want {
		t, ok := have[p.Name]
		if !ok {
			missing = append(missing, fmt.Sprintf("%s %v", p.Name, p.Shape))
			continue
		}
		if !sameShape(t.Shape, p.Shape) {
			return fmt.Errorf("modelfile: %s%s %s has shape %v in the file but %v in the model%s", layerOf(spec, p.Name), what, p.Name, t.Shape, p.Shape, hint(p, t.Shape))
		}
		vals[p.Name] = t.Data
	}
	if len(missing) > 0 {
		return fmt.Errorf("modelfile: the file has no %s %s", what, strings.Join(missing, ", "))
	}
	return set(vals)
}

// layerOf names the layer of a sequence a tensor belongs to, as
// "layer 5 linear(10): ", or "" when spec is not a sequence.
func layerOf(spec, name string) string {
	idx, _, ok := strings.Cut(name, ".")
	if !ok || spec == "" {
		return ""
	}
	i, err := strconv.Atoi(idx)
	if err != nil {
		return ""
	}
	seq, err := nn.Parse(spec)
	if err != nil || i < 0 || i >= len(seq.Layers) {
		return ""
	}
	l, err := nn.Format(seq.Layers[i])
	if err != nil {
		return ""
	}
	return fmt.Sprintf("layer %d %s: ", i, l)
}

// hint explains a weight shape mismatch in a layer's terms: a linear
// weight (out, in) whose in differs says how many features each side has.
func hint(p graph.Param, file []int) string {
	if strings.HasSuffix(p.Name, ".weight") && len(p.Shape) == 2 && len(file) == 2 && p.Shape[0] == file[0] {
		return fmt.Sprintf(": its input has %d features, the file's weight expects %d", p.Shape[1], file[1])
	}
	return ""
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
