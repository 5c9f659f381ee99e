package modelfile

import (
	"encoding/json"
	"fmt"

	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

// Model rebuilds the architecture: a classic model or layer sequence from
// Spec, or a registered module from Module and Config.
func (a Arch) Model() (models.Model, error) {
	if a.Module != "" {
		m, err := nn.New(a.Module)
		if err != nil {
			return nil, fmt.Errorf("modelfile: the file's model is module %q: %w (register it with nn.Register before loading)", a.Module, err)
		}
		if len(a.Config) > 0 {
			if err := json.Unmarshal(a.Config, m); err != nil {
				return nil, fmt.Errorf("modelfile: module %q: its config: %w", a.Module, err)
			}
		}
		if err := nn.Validate(m); err != nil {
			return nil, fmt.Errorf("modelfile: module %q: %w", a.Module, err)
		}
		return m, nil
	}
	return models.Parse(a.Spec, a.Features, a.Outputs, a.Activation, a.Seed)
}

// ArchOf describes a model for a file: the spec it was parsed from, or,
// for a registered module, its name and configuration.
func ArchOf(spec string, m models.Model) (Arch, error) {
	if spec != "" {
		return Arch{Spec: spec}, nil
	}
	name, ok := nn.NameOf(m)
	if !ok {
		return Arch{}, fmt.Errorf("modelfile: %T is not a registered module, so a model file cannot rebuild it; register it with nn.Register", m)
	}
	cfg, err := json.Marshal(m)
	if err != nil {
		return Arch{}, fmt.Errorf("modelfile: module %q: encoding its config: %w", name, err)
	}
	return Arch{Module: name, Config: cfg}, nil
}

// Problem is the model file's problem: its model, loss, dtype and shapes.
func (f *File) Problem() (models.Problem, error) {
	m, err := f.Model.Model()
	if err != nil {
		return models.Problem{}, err
	}
	p := models.Problem{Model: m, Loss: f.Model.Loss, Delta: f.Model.Delta, Seed: f.Model.Seed}
	if f.Model.Dtype == "float32" {
		p.Dtype = tensor.Float32
	}
	if _, obj := m.(models.Objective); !obj {
		p.Input = f.InputShape
		if p.Input == nil && f.Model.Features > 0 {
			p.Input = []int{f.Model.Features}
		}
		if f.Model.Outputs > 0 {
			p.Target = []int{f.Model.Outputs}
		}
	}
	return p, nil
}

// Engine rebuilds the model a file describes, with the file's parameters
// and buffers.
func (f *File) Engine(opt graph.Options) (*graph.Engine, error) {
	p, err := f.Problem()
	if err != nil {
		return nil, err
	}
	e, err := p.Engine(opt)
	if err != nil {
		return nil, err
	}
	if err := f.Apply(e); err != nil {
		return nil, err
	}
	return e, e.SetSteps(f.EngineSteps)
}
