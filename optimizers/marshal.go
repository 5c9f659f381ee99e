package optimizers

import (
	"encoding/json"
	"fmt"
	"unsafe"

	"github.com/descent-ml/descent/internal/lex"
)

// saved is the JSON form of an Optimizer's state.
type saved[T Float] struct {
	// Optimizer is the optimizer's name.
	Optimizer string `json:"optimizer"`
	// Dtype is "float32" for a float32 optimizer's state; a float64
	// state leaves it out, as states did before there were float32 ones.
	Dtype string `json:"dtype,omitempty"`
	// Step is the number of updates made.
	Step int `json:"step"`
	// Params are the sizes of the parameters, by name.
	Params map[string]int `json:"params"`
	// State is the chain's state, every slot keyed by parameter name.
	State StateOf[T] `json:"state"`
}

// MarshalState encodes the optimizer's full state as JSON: its name, the
// step count, the parameters' sizes and the chain's state (every stage's
// count and slots, keyed by parameter name). Floats are written so that
// they read back bit for bit, float32 values as float32 text (a float32
// optimizer's state also says "dtype": "float32").
func (o *OptimizerOf[T]) MarshalState() ([]byte, error) {
	if o.names == nil {
		return nil, fmt.Errorf("optimizers: MarshalState before Init")
	}
	params := make(map[string]int, len(o.names))
	for i, k := range o.names {
		params[k] = o.sizes[i]
	}
	b, err := json.Marshal(saved[T]{Optimizer: o.cfg.Name, Dtype: dtype[T](), Step: o.StepCount(), Params: params, State: o.state})
	if err != nil { // a NaN or ±Inf in a slot
		return nil, fmt.Errorf("optimizers: the optimizer state cannot be saved (has training diverged?): %w", err)
	}
	return b, nil
}

// MaxStateBytes bounds the JSON UnmarshalState reads: 1 GiB, about 40
// million values. After Init the bound is tighter: what a state for those
// parameters can take (stateBound).
const MaxStateBytes = 1 << 30

// UnmarshalState restores a state written by MarshalState by an optimizer
// of the same name and options, so that the next Step continues the saved
// run bit for bit. Init is optional: without it the parameters' names and
// sizes are taken from the saved state; after it they must match. A state
// that does not fit (other stages or slots, other sizes, a negative count)
// is an error and leaves the optimizer as it was.
//
// Nothing is allocated from a size the state claims before the claim is
// checked: the JSON is bounded (MaxStateBytes; after Init, the most a state
// for those parameters can take), the parameters' sizes are compared with
// Init's, and every slot's values with the sizes; errors name the stage,
// slot and parameter and both sizes. A float32 state is read only by a
// float32 optimizer (New32), a float64 one only by a float64 optimizer.
func (o *OptimizerOf[T]) UnmarshalState(b []byte) error {
	limit := MaxStateBytes
	if o.names != nil {
		limit = min(limit, o.stateBound())
	}
	if len(b) > limit {
		if o.names != nil {
			return fmt.Errorf("optimizers: the saved state has %d bytes, more than the %d bytes a state for these parameters can take", len(b), limit)
		}
		return fmt.Errorf("optimizers: the saved state has %d bytes, more than %d (MaxStateBytes)", len(b), limit)
	}
	var s saved[T]
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("optimizers: reading the optimizer state: %w", err)
	}
	if s.Dtype != dtype[T]() {
		return fmt.Errorf("optimizers: the saved state is %s, this optimizer's is %s", dtypeName(s.Dtype), dtypeName(dtype[T]()))
	}
	if s.Optimizer != o.cfg.Name {
		return fmt.Errorf("optimizers: the saved state is for optimizer %s, not %s", lex.Quote(s.Optimizer), o.cfg.Name)
	}
	for _, k := range sortedKeys(s.Params) {
		if n := s.Params[k]; n < 0 {
			return fmt.Errorf("optimizers: the saved state gives parameter %s a size of %d", lex.Quote(k), n)
		}
	}
	if o.names != nil {
		if err := sameSizes(s.Params, o.sizeMap(), "the saved state's parameters"); err != nil {
			return err
		}
	}
	// The chain's layout (stages, slots, names) for these parameters, with
	// no values: nothing here depends on the claimed sizes.
	layout, err := o.chain.Init(emptyParams[T](s.Params))
	if err != nil {
		return err
	}
	if err := layout.fits(s.State, s.Params, ""); err != nil {
		return err
	}
	// The sizes are now Init's, or those of the slots just read: safe to
	// allocate. Without slots, nothing of those sizes is needed.
	fresh := layout
	if layout.hasSlots() {
		if fresh, err = o.chain.Init(zeroParams[T](s.Params)); err != nil {
			return err
		}
	}
	fresh.assign(s.State)
	if last := fresh.Stages[len(fresh.Stages)-1].Count; s.Step != last {
		return fmt.Errorf("optimizers: the saved state says step %d, its learning-rate stage %d", s.Step, last)
	}
	o.adopt(fresh, s.Params)
	return nil
}

// stateBound is the most bytes a saved state for Init's parameters can
// take, indented as deep as a model file nests it: 128 bytes per value (a
// float64 takes at most 24 characters, the rest is room for indentation),
// plus room for every name, slot and stage.
func (o *OptimizerOf[T]) stateBound() int {
	names := 0
	for _, k := range o.names {
		names += len(k) + 256
	}
	var walk func(s StateOf[T]) int
	walk = func(s StateOf[T]) int {
		n := 1 << 10
		for name, slot := range s.Slots {
			for k, v := range slot {
				n += len(name) + len(k) + 256 + 128*len(v)
			}
		}
		for _, st := range s.Stages {
			n += walk(st)
		}
		return n
	}
	return 64<<10 + names + walk(o.state)
}

// dtype is the saved state's "dtype" for values of type T: "" (float64,
// left out) or "float32".
func dtype[T Float]() string {
	var zero T
	if unsafe.Sizeof(zero) == 4 {
		return "float32"
	}
	return ""
}

// dtypeName names a saved dtype in a message.
func dtypeName(d string) string {
	if d == "" {
		return "float64"
	}
	return lex.Quote(d)
}
