package modelfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/descent-ml/descent/modelfile/safetensors"
)

// MetadataKey is the safetensors __metadata__ key under which Descent
// keeps everything but the tensors: the architecture, the features and
// their standardization, and a checkpoint's optimizer state and position,
// as the JSON of a File without its Params and Buffers.
const MetadataKey = "descent"

// IsSafetensors reports whether path names a safetensors file (by its
// extension).
func IsSafetensors(path string) bool {
	return strings.EqualFold(filepath.Ext(path), ".safetensors")
}

// Bare reports whether the file holds tensors only (a state_dict written
// by PyTorch's safetensors.torch.save_file), so the architecture must come
// from elsewhere.
func (f *File) Bare() bool { return f.Model.Spec == "" && f.Model.Module == "" }

// EncodeSafetensors writes the file as safetensors: every parameter and
// buffer under its PyTorch state_dict name, in F32 for a float32 model and
// F64 otherwise (counters such as num_batches_tracked as I64, as torch
// has them), and the rest of the file in the metadata.
func (f *File) EncodeSafetensors() ([]byte, error) {
	tensors := map[string]safetensors.Tensor{}
	for _, group := range []map[string]Tensor{f.Params, f.Buffers} {
		for name, t := range group {
			st := safetensors.Tensor{Shape: append([]int{}, t.Shape...), F64: t.Data}
			if strings.HasSuffix(name, "num_batches_tracked") {
				st.DType = "I64"
			}
			tensors[name] = st
		}
	}
	meta := *f
	meta.Params, meta.Buffers = nil, nil
	head, err := json.Marshal(&meta)
	if err != nil {
		return nil, fmt.Errorf("modelfile: encoding the metadata: %w", err)
	}
	dtype := "F64"
	if f.Model.Dtype == "float32" {
		dtype = "F32"
	}
	var b bytes.Buffer
	if err := safetensors.Write(&b, tensors, map[string]string{"format": "pt", MetadataKey: string(head)}, dtype); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// loadSafetensors reads a safetensors file: Descent's own (with its
// metadata) or a bare state_dict.
func loadSafetensors(path string) (*File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	if st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("modelfile: %s has %d bytes, more than the %d a model file may have", path, st.Size(), MaxFileBytes)
	}
	sf, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f := &File{Format: "descent-model", Version: Version}
	if head, ok := sf.Metadata[MetadataKey]; ok {
		if err := json.Unmarshal([]byte(head), f); err != nil {
			return nil, fmt.Errorf("modelfile: %s: its %q metadata: %v", path, MetadataKey, err)
		}
		if f.Format != "descent-model" || f.Version != Version {
			return nil, fmt.Errorf("modelfile: %s: its %q metadata has format %s version %d, this build reads descent-model version %d", path, MetadataKey, cut(f.Format), f.Version, Version)
		}
	}
	f.Params = map[string]Tensor{}
	for _, name := range sf.Names() {
		t := sf.Tensors[name]
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		f.Params[name] = Tensor{Shape: shape, Data: t.F64}
	}
	if err := f.validate(); err != nil {
		return nil, fmt.Errorf("modelfile: %s: %w", path, err)
	}
	return f, nil
}

// Describe gives a bare state_dict (Bare) what a Descent file keeps beside
// its tensors: the architecture in the layer grammar, the shape of one
// input row, the input columns' names and, for a classifier, the number of
// classes (0 for a regression). outputs is the values in one prediction.
func (f *File) Describe(spec string, input []int, features []string, outputs, classes int) error {
	if !f.Bare() {
		return fmt.Errorf("modelfile: the file already describes its model (%s)", cut(f.Model.Spec+f.Model.Module))
	}
	n, ok := product(input)
	if !ok || n != len(features) {
		return fmt.Errorf("modelfile: the input shape %v holds %d values, but there are %d feature columns", input, n, len(features))
	}
	dtype := "float64"
	f.Model = Arch{Spec: spec, Features: n, Outputs: outputs, Dtype: dtype}
	if classes > 0 {
		f.Model.Loss = "xent"
		if outputs == 1 {
			f.Model.Loss = "bce"
		}
	} else {
		f.Model.Loss = "mse"
	}
	f.InputShape = append([]int(nil), input...)
	f.Features = append([]string(nil), features...)
	f.Classes = classes
	return nil
}
