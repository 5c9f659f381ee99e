package train

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/internal/atomicfile"
)

// FileVersion is the model file format version this package writes.
const FileVersion = 1

// File is a model file: what was trained, on which features, with which
// standardization, the parameters, and, in a checkpoint, the optimizer state
// and how far training got. It is JSON; tensors are row-major.
type File struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Model   ModelSpec `json:"model"`
	// Features are the names of the input columns, Target the target's.
	Features []string `json:"features"`
	Target   string   `json:"target"`
	// Classes is the number of classes of a classifier (0 for regression).
	Classes int `json:"classes,omitempty"`
	// Standardize holds the z-score statistics applied to the features.
	Standardize *Standardize      `json:"standardize"`
	Params      map[string]Tensor `json:"params"`
	// Optimizer is the optimizer's state (a checkpoint); nil in a plain model file.
	Optimizer json.RawMessage `json:"optimizer,omitempty"`
	// Epochs and Steps say how far training got.
	Epochs int `json:"epochs"`
	Steps  int `json:"steps"`
}

// ModelSpec says how to rebuild the model.
type ModelSpec struct {
	Spec       string  `json:"spec"` // linear, poly:K, logistic, softmax, mlp:H1,H2
	Features   int     `json:"features"`
	Outputs    int     `json:"outputs"`
	Activation string  `json:"activation,omitempty"`
	Seed       uint64  `json:"seed"`
	Loss       string  `json:"loss"`
	Delta      float64 `json:"delta,omitempty"`
	Dtype      string  `json:"dtype"`
	// Optimizer names the optimizer and its settings, for a resume.
	OptimizerName string `json:"optimizer_name,omitempty"`
}

// Standardize holds per-feature mean and population standard deviation.
type Standardize struct {
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
}

// Tensor is a parameter's shape and row-major values.
type Tensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

// NewFile fills a File's parameters from the engine.
func NewFile(m ModelSpec, e *graph.Engine) *File {
	f := &File{Format: "descent-model", Version: FileVersion, Model: m, Params: map[string]Tensor{}}
	for _, p := range e.Spec().Params {
		shape := append([]int{}, p.Shape...)
		f.Params[p.Name] = Tensor{Shape: shape, Data: append([]float64(nil), e.Params()[p.Name]...)}
	}
	return f
}

// Save writes f to path atomically (WriteFileAtomic): a reader sees the
// old file or the new one, never a truncated one.
func (f *File) Save(path string) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("train: encoding model file %s: %w", path, err)
	}
	return WriteFileAtomic(path, append(b, '\n'))
}

// WriteFileAtomic writes b to path by internal/atomicfile's rules: a
// regular file is replaced through a synced temporary file and a rename
// (keeping an existing file's mode; a new one gets 0666 minus the umask),
// a symbolic link's target is replaced and the link kept, and a device, a
// FIFO or "-" (standard output) is written directly.
func WriteFileAtomic(path string, b []byte) error {
	if err := atomicfile.WriteFile(path, b); err != nil {
		return fmt.Errorf("train: writing %s: %w", path, err)
	}
	return nil
}

// Load reads and validates a model file.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("train: reading model file: %w", err)
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("train: model file %s is not valid JSON: %w", path, err)
	}
	if f.Format != "descent-model" {
		return nil, fmt.Errorf("train: %s is not a descent model file (format %q)", path, f.Format)
	}
	if f.Version != FileVersion {
		return nil, fmt.Errorf("train: model file %s has version %d, this build reads version %d", path, f.Version, FileVersion)
	}
	names := make([]string, 0, len(f.Params))
	for name := range f.Params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t := f.Params[name]
		n := 1
		for _, d := range t.Shape {
			n *= d
		}
		if n != len(t.Data) {
			return nil, fmt.Errorf("train: model file %s: parameter %s has shape %v (%d values) but %d values", path, name, t.Shape, n, len(t.Data))
		}
	}
	if s := f.Standardize; s != nil && (len(s.Mean) != len(f.Features) || len(s.Std) != len(f.Features)) {
		return nil, fmt.Errorf("train: model file %s: standardization has %d means and %d stds for %d features", path, len(s.Mean), len(s.Std), len(f.Features))
	}
	return &f, nil
}

// Apply copies the file's parameters into the engine, refusing any whose
// shape differs from the model's and naming both shapes.
func (f *File) Apply(e *graph.Engine) error {
	vals := map[string][]float64{}
	for _, p := range e.Spec().Params {
		t, ok := f.Params[p.Name]
		if !ok {
			return fmt.Errorf("train: the model file has no parameter %s (shape %v)", p.Name, p.Shape)
		}
		if !sameShape(t.Shape, p.Shape) {
			return fmt.Errorf("train: parameter %s has shape %v in the model file but %v in the model", p.Name, t.Shape, p.Shape)
		}
		vals[p.Name] = t.Data
	}
	for name := range f.Params {
		if _, ok := vals[name]; !ok {
			return fmt.Errorf("train: the model file has parameter %s, which the model does not", name)
		}
	}
	return e.SetParams(vals)
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
