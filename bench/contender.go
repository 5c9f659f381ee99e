package bench

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
)

// Stepper runs one training step of a problem: forward pass, gradient and
// parameter update, on the mini-batch the problem's step counter selects
// (see Problem.BatchStart). A Stepper that holds goroutines or other
// resources also implements io.Closer; the harness closes it when done.
type Stepper interface {
	// Step runs one step.
	Step() error
	// Params returns the current parameters, keyed as in ParamNames.
	Params() map[string][]float64
}

// Contender is one implementation under measurement. Adding one is a
// file with
//
//	func init() { bench.Register(bench.Contender{Name: "mine", New: newMine}) }
//
// where newMine returns ErrUnsupported (possibly wrapped) for the kinds it
// does not handle; those rows are left out of the table.
type Contender struct {
	// Name is the row label and the Go benchmark's sub-name.
	Name string
	// Handwritten marks a hand-derived-gradient Go step; the fastest of
	// these is the table's "best Go".
	Handwritten bool
	// New builds a Stepper that starts from InitParams(p) and reads d,
	// which it must not modify. p comes from ParseProblem, its defaults
	// (LR, Optimizer) filled in.
	New func(p Problem, d *Data) (Stepper, error)
}

// ErrUnsupported is returned by Contender.New for a problem kind the
// contender does not implement.
var ErrUnsupported = errors.New("bench: problem kind not supported")

var (
	registryMu sync.Mutex
	registry   = []Contender{handGoContender, fusedContender, gorgoniaContender}
)

// Register adds c to the contenders Run and the Go benchmarks measure. It
// is meant for init functions and, like database/sql.Register, panics on
// an empty name, a nil New or a name already taken: those are programming
// errors, not input.
func Register(c Contender) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if c.Name == "" || c.New == nil {
		panic("bench: Register needs a Name and a New function")
	}
	if slices.ContainsFunc(registry, func(o Contender) bool { return o.Name == c.Name }) {
		panic(fmt.Sprintf("bench: Register called twice for contender %q", c.Name))
	}
	registry = append(registry, c)
}

// Contenders returns the registered Go contenders in registration order.
func Contenders() []Contender {
	registryMu.Lock()
	defer registryMu.Unlock()
	return slices.Clone(registry)
}

// closeStepper closes s if it holds resources.
func closeStepper(s Stepper) error {
	if c, ok := s.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
