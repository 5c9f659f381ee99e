// Package modelfile saves and loads what training produced: the model's
// architecture, its parameters and buffers, the feature names and
// standardization it was trained with, and, in a checkpoint, the optimizer
// state and the exact position in training, so that a resumed run is
// bit-identical. It also rebuilds the model and predicts with it.
//
// Two formats are read and written: Descent's JSON model file, and
// safetensors, the format PyTorch and model hubs use, whose tensors carry
// PyTorch's state_dict names.
package modelfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/internal/lex"
	"github.com/descent-ml/descent/train"
)

// Version is the model file format version this package writes. Version
// 1 files (the first release's) are refused with a message saying so.
const Version = 2

// MaxFileBytes bounds a model file (1 GiB), checked before it is read.
const MaxFileBytes = 1 << 30

// File is a model file: what was trained, on which features, with which
// standardization, the parameters and buffers, and, in a checkpoint, the
// optimizer state and how far training got. It is JSON; tensors are
// row-major.
type File struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Model   Arch   `json:"model"`
	// Features are the names of the input columns, Target the target's.
	Features []string `json:"features"`
	Target   string   `json:"target"`
	// InputShape is the shape of one input row, such as [1 28 28]; nil
	// means a flat row of len(Features) values.
	InputShape []int `json:"input_shape,omitempty"`
	// Classes is the number of classes of a classifier (0 for regression).
	Classes int `json:"classes,omitempty"`
	// Standardize holds the z-score statistics applied to the features.
	Standardize *Standardize `json:"standardize"`
	// TargetStandardize holds the target's mean and standard deviation
	// when the model was trained on the standardized target; predictions
	// are converted back to the target's units.
	TargetStandardize *Standardize      `json:"target_standardize,omitempty"`
	Params            map[string]Tensor `json:"params"`
	// Buffers are non-trainable state, such as batch norm's running
	// statistics.
	Buffers map[string]Tensor `json:"buffers,omitempty"`
	// Optimizer is the optimizer's configuration and state (a checkpoint);
	// nil in a plain model file.
	Optimizer *Optimizer `json:"optimizer,omitempty"`
	// Position is where training stood, inside an epoch if it was
	// interrupted there; EngineSteps is the engine's step count, which keys
	// stochastic layers.
	Position    *train.Position `json:"position,omitempty"`
	EngineSteps int64           `json:"engine_steps,omitempty"`
	// Epochs and Steps say how far training got.
	Epochs int `json:"epochs"`
	Steps  int `json:"steps"`
}

// Arch says how to rebuild the model.
type Arch struct {
	// Spec is linear, poly:K, logistic, softmax, mlp:H1,H2, or a layer
	// sequence such as "conv2d(16,3,padding=1) relu flatten linear(10)".
	Spec string `json:"spec"`
	// Module names a registered module (nn.Register) and Config holds its
	// configuration, for a user's own module; Spec is then "".
	Module string          `json:"module,omitempty"`
	Config json.RawMessage `json:"config,omitempty"`
	// Features and Outputs are the values in one input row and one
	// prediction row.
	Features   int     `json:"features"`
	Outputs    int     `json:"outputs"`
	Activation string  `json:"activation,omitempty"`
	Seed       uint64  `json:"seed"`
	Loss       string  `json:"loss"`
	Delta      float64 `json:"delta,omitempty"`
	Dtype      string  `json:"dtype"`
}

// Optimizer is a checkpoint's optimizer: its name, its settings as the
// command line gave them, and its state (optimizers.MarshalState).
type Optimizer struct {
	Name  string          `json:"name"`
	State json.RawMessage `json:"state"`
}

// Standardize holds per-feature (or, for a target, one) mean and
// population standard deviation.
type Standardize struct {
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
}

// Tensor is a parameter's or buffer's shape and row-major values.
type Tensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

// New fills a File's parameters and buffers from the engine.
func New(m Arch, e *graph.Engine) *File {
	f := &File{Format: "descent-model", Version: Version, Model: m, Params: map[string]Tensor{}}
	for _, p := range e.Spec().Params {
		f.Params[p.Name] = Tensor{Shape: append([]int{}, p.Shape...), Data: append([]float64(nil), e.Params()[p.Name]...)}
	}
	if bs := e.BufferSpecs(); len(bs) > 0 {
		f.Buffers = map[string]Tensor{}
		for _, p := range bs {
			f.Buffers[p.Name] = Tensor{Shape: append([]int{}, p.Shape...), Data: append([]float64(nil), e.Buffers()[p.Name]...)}
		}
	}
	f.EngineSteps = e.Steps()
	return f
}

// Save writes f to path atomically (see WriteFile): as safetensors when
// the path ends in .safetensors, as JSON otherwise.
func (f *File) Save(path string) error {
	b, err := f.Encode(path)
	if err != nil {
		return err
	}
	return WriteFile(path, b)
}

// Encode renders f in the format Save would write to path.
func (f *File) Encode(path string) ([]byte, error) {
	if IsSafetensors(path) {
		return f.EncodeSafetensors()
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("modelfile: encoding %s: %w", path, err)
	}
	return append(b, '\n'), nil
}

// Load reads and validates a model file: its size, format, version, every
// tensor's shape against its values, and every count, before the model is
// built.
//
// A .safetensors file is read as one: Descent's own, with its metadata,
// or a bare PyTorch state_dict (File.Bare), whose architecture must come
// from elsewhere.
func Load(path string) (*File, error) {
	if IsSafetensors(path) {
		return loadSafetensors(path)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("modelfile: %s has %d bytes, more than the %d a model file may have", path, st.Size(), MaxFileBytes)
	}
	return Read(fh, path)
}

// Read reads a model file from r; name is used in errors.
func Read(r io.Reader, name string) (*File, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("modelfile: reading %s: %w", name, err)
	}
	if len(b) > MaxFileBytes {
		return nil, fmt.Errorf("modelfile: %s has more than the %d bytes a model file may have", name, MaxFileBytes)
	}
	var probe struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("modelfile: %s is not a descent model file: %v", name, jsonError(b, err))
	}
	if probe.Format != "descent-model" {
		return nil, fmt.Errorf("modelfile: %s is not a descent model file (format %s)", name, cut(probe.Format))
	}
	if probe.Version != Version {
		if probe.Version == 1 {
			return nil, fmt.Errorf("modelfile: %s is a version 1 model file, written by the first release; this build reads version %d: retrain the model", name, Version)
		}
		return nil, fmt.Errorf("modelfile: %s has version %d, this build reads version %d", name, probe.Version, Version)
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("modelfile: %s: %v", name, jsonError(b, err))
	}
	if err := f.validate(); err != nil {
		return nil, fmt.Errorf("modelfile: %s: %w", name, err)
	}
	return &f, nil
}

// jsonError adds the line and column to a JSON syntax error.
func jsonError(b []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(b)) {
		return err
	}
	line, col := 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d, column %d: %v", line, col, err)
}

// Limits on what a model file may claim, checked before anything is built.
const (
	maxRank  = 8
	maxNames = 1 << 20
)

func (f *File) validate() error {
	if len(f.Features) > maxNames {
		return fmt.Errorf("it names %d features, more than %d", len(f.Features), maxNames)
	}
	m := f.Model
	if m.Features < 0 || m.Features > graph.DefaultBudget || m.Outputs < 0 || m.Outputs > 1<<24 {
		return fmt.Errorf("the model claims %d features and %d outputs; each must be in [0, %d]", m.Features, m.Outputs, 1<<24)
	}
	if f.Classes < 0 || f.Classes > 1<<24 {
		return fmt.Errorf("the model claims %d classes", f.Classes)
	}
	if len(m.Spec) > 4096 {
		return fmt.Errorf("the model spec has %d bytes, more than 4096", len(m.Spec))
	}
	if m.Dtype != "float64" && m.Dtype != "float32" && m.Dtype != "" {
		return fmt.Errorf("the model's dtype is %s, want float64 or float32", cut(m.Dtype))
	}
	if len(f.InputShape) > maxRank {
		return fmt.Errorf("the input shape %v has more than %d dimensions", f.InputShape, maxRank)
	}
	if f.InputShape != nil {
		n, ok := product(f.InputShape)
		if !ok || n <= 0 || (m.Features != 0 && n != m.Features) {
			return fmt.Errorf("the input shape %v does not hold the model's %d features", f.InputShape, m.Features)
		}
	}
	total := 0
	for _, group := range []struct {
		what string
		ts   map[string]Tensor
	}{{"parameter", f.Params}, {"buffer", f.Buffers}} {
		for _, name := range sortedNames(group.ts) {
			t := group.ts[name]
			if len(t.Shape) > maxRank {
				return fmt.Errorf("%s %s has %d dimensions, more than %d", group.what, cut(name), len(t.Shape), maxRank)
			}
			n, ok := product(t.Shape)
			if !ok {
				return fmt.Errorf("%s %s has shape %v, which is not a valid size", group.what, cut(name), t.Shape)
			}
			if n != len(t.Data) {
				return fmt.Errorf("%s %s has shape %v (%d values) but %d values", group.what, cut(name), t.Shape, n, len(t.Data))
			}
			for i, v := range t.Data {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("%s %s holds a non-finite value %v at index %d", group.what, cut(name), v, i)
				}
			}
			total += n
		}
	}
	if total > graph.DefaultBudget {
		return fmt.Errorf("its tensors hold %d values, more than %d", total, graph.DefaultBudget)
	}
	for _, st := range []struct {
		what string
		s    *Standardize
		n    int
	}{{"feature", f.Standardize, len(f.Features)}, {"target", f.TargetStandardize, 1}} {
		if st.s == nil {
			continue
		}
		if len(st.s.Mean) != st.n || len(st.s.Std) != st.n {
			return fmt.Errorf("%s standardization has %d means and %d stds for %d columns", st.what, len(st.s.Mean), len(st.s.Std), st.n)
		}
		for i := range st.s.Mean {
			if !finite(st.s.Mean[i]) || !finite(st.s.Std[i]) || st.s.Std[i] <= 0 {
				return fmt.Errorf("%s standardization of column %d has mean %v and std %v; the std must be finite and > 0", st.what, i, st.s.Mean[i], st.s.Std[i])
			}
		}
	}
	if p := f.Position; p != nil {
		if p.Epoch < 0 || p.Epoch > train.MaxEpochCount || p.Steps < 0 || p.Batch < 0 {
			return fmt.Errorf("the checkpoint's position (epoch %d, batch %d, step %d) is out of range (at most %d epochs)", p.Epoch, p.Batch, p.Steps, train.MaxEpochCount)
		}
	}
	if f.Epochs < 0 || f.Epochs > train.MaxEpochCount || f.Steps < 0 || f.EngineSteps < 0 {
		return fmt.Errorf("it claims %d epochs and %d steps; each must be in [0, %d]", f.Epochs, f.Steps, train.MaxEpochCount)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// product multiplies dimensions, refusing non-positive ones and sizes past
// graph.MaxValues without overflowing.
func product(shape []int) (int, bool) {
	n := 1
	for _, d := range shape {
		if d <= 0 || n > graph.MaxValues/d {
			return 0, false
		}
		n *= d
	}
	return n, true
}

func sortedNames(m map[string]Tensor) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// cut quotes a name from a file for a message, cut to about 40 bytes.
func cut(s string) string { return lex.Quote(s) }
