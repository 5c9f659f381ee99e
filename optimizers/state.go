package optimizers

import (
	"fmt"
	"sort"
	"strings"

	"github.com/descent-ml/descent/internal/lex"
)

// StateOf is the explicit state of a TransformOf[T], everything needed to resume
// it: the number of updates it has made (for the stages that need one),
// its slots of per-parameter values keyed first by slot name, then by
// parameter name (Slots["exp_avg"]["W"], torch's state[p]["exp_avg"]), and,
// for a Chain, the states of its stages in order. Nothing is keyed by a
// parameter's position. StateOf encodes to JSON with encoding/json, whose
// float64 and float32 text round-trips exactly.
type StateOf[T Float] struct {
	Count  int                    `json:"count,omitempty"`
	Slots  map[string]ParamsOf[T] `json:"slots,omitempty"`
	Stages []StateOf[T]           `json:"stages,omitempty"`
}

// State is StateOf[float64], the state of the float64 optimizers.
type State = StateOf[float64]

// State32 is StateOf[float32], the state of the float32 optimizers.
type State32 = StateOf[float32]

// newSlot allocates a slot shaped like params, every value fill.
func newSlot[T Float](params ParamsOf[T], fill float64) ParamsOf[T] {
	s := make(ParamsOf[T], len(params))
	for k, p := range params {
		v := make([]T, len(p))
		if fill != 0 {
			for i := range v {
				v[i] = T(fill)
			}
		}
		s[k] = v
	}
	return s
}

// slot returns the slot named name, or an error naming the stage.
func (s StateOf[T]) slot(stage, name string) (ParamsOf[T], error) {
	m, ok := s.Slots[name]
	if !ok {
		return nil, fmt.Errorf("optimizers: %s: the state has no slot %s (was Init called?)", stage, name)
	}
	return m, nil
}

// values returns slot[k], checking that it holds n values.
func values[T Float](slot ParamsOf[T], stage, name, k string, n int) ([]T, error) {
	v, ok := slot[k]
	if !ok || len(v) != n {
		return nil, fmt.Errorf("optimizers: %s: slot %s has %d values for parameter %s, the update has %d (was Init called with these parameters?)", stage, name, len(v), lex.Quote(k), n)
	}
	return v, nil
}

// sameShape reports an error unless a holds exactly the names of b, each
// with as many values; what names the two sides in the message.
func sameShape[T Float](a, b ParamsOf[T], what string) error {
	return sameSizes(sizesOf(a), sizesOf(b), what)
}

// sameSizes reports an error unless a holds exactly the names of b, each
// with the same size; what names the two sides in the message.
func sameSizes(a, b map[string]int, what string) error {
	for _, k := range sortedKeys(b) {
		if n, ok := a[k]; !ok {
			return fmt.Errorf("optimizers: %s has no parameter %s", what, lex.Quote(k))
		} else if n != b[k] {
			return fmt.Errorf("optimizers: %s: parameter %s has %d values, want %d", what, lex.Quote(k), n, b[k])
		}
	}
	for _, k := range sortedKeys(a) {
		if _, ok := b[k]; !ok {
			return fmt.Errorf("optimizers: %s has an unknown parameter %s", what, lex.Quote(k))
		}
	}
	return nil
}

// sizesOf returns the sizes of p's values by name.
func sizesOf[T Float](p ParamsOf[T]) map[string]int {
	m := make(map[string]int, len(p))
	for k, v := range p {
		m[k] = len(v)
	}
	return m
}

// emptyParams has the names of sizes, each with no values.
func emptyParams[T Float](sizes map[string]int) ParamsOf[T] {
	p := make(ParamsOf[T], len(sizes))
	for k := range sizes {
		p[k] = []T{}
	}
	return p
}

// zeroParams has the names and sizes of sizes, zero-valued. The caller has
// checked the sizes.
func zeroParams[T Float](sizes map[string]int) ParamsOf[T] {
	p := make(ParamsOf[T], len(sizes))
	for k, n := range sizes {
		p[k] = make([]T, n)
	}
	return p
}

// hasSlots reports whether s or any of its stages has a slot.
func (s StateOf[T]) hasSlots() bool {
	if len(s.Slots) > 0 {
		return true
	}
	for _, st := range s.Stages {
		if st.hasSlots() {
			return true
		}
	}
	return false
}

// fits reports whether saved has the layout of s (the same stages, slots
// and parameter names), every slot holds sizes[k] values for parameter k,
// and the counts are non-negative. s's own values are not looked at, so s
// may be a layout built for empty parameters. path names the stage in the
// message. (Values are finite: JSON has no NaN or Inf.)
func (s StateOf[T]) fits(saved StateOf[T], sizes map[string]int, path string) error {
	if saved.Count < 0 {
		return fmt.Errorf("optimizers: saved state%s: count %d is negative", path, saved.Count)
	}
	if len(saved.Stages) != len(s.Stages) {
		return fmt.Errorf("optimizers: saved state%s has %d stages, this optimizer has %d (were its options changed?)", path, len(saved.Stages), len(s.Stages))
	}
	if len(saved.Slots) != len(s.Slots) {
		return fmt.Errorf("optimizers: saved state%s has slots %v, this optimizer has %v (were its options changed?)", path, quoteAll(sortedKeys(saved.Slots)), sortedKeys(s.Slots))
	}
	for _, name := range sortedKeys(s.Slots) {
		got, ok := saved.Slots[name]
		if !ok {
			return fmt.Errorf("optimizers: saved state%s has no slot %s", path, name)
		}
		want := make(map[string]int, len(s.Slots[name]))
		for k := range s.Slots[name] { // the layout's names, the claimed sizes
			want[k] = sizes[k]
		}
		if err := sameSizes(sizesOf(got), want, fmt.Sprintf("saved state%s slot %s", path, name)); err != nil {
			return err
		}
	}
	for i := range s.Stages {
		if err := s.Stages[i].fits(saved.Stages[i], sizes, fmt.Sprintf("%s stage %d", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// quoteAll lists names for a message: each cut to lex.QuoteMax bytes, at
// most ten of them, then the count.
func quoteAll(names []string) string {
	shown := make([]string, 0, min(len(names), 10))
	for _, n := range names[:min(len(names), 10)] {
		shown = append(shown, lex.Name(n))
	}
	if len(names) > 10 {
		shown = append(shown, fmt.Sprintf("… (%d in all)", len(names)))
	}
	return "[" + strings.Join(shown, " ") + "]"
}

// assign copies saved, which fits s, into s's own slices, so that a
// preallocated state stays preallocated.
func (s *StateOf[T]) assign(saved StateOf[T]) {
	s.Count = saved.Count
	for name, slot := range s.Slots {
		for k, v := range slot {
			copy(v, saved.Slots[name][k])
		}
	}
	for i := range s.Stages {
		s.Stages[i].assign(saved.Stages[i])
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
