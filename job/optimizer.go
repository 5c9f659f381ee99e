package job

import (
	"encoding/json"
	"fmt"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
	"gorgonia.org/tensor"
)

// initOptimizer sets the optimizer up for the engine's parameters: a
// float32 engine's are stepped by a float32 optimizer (Optimizer32, of
// the same Config), with float32 state, as torch trains float32 models.
func (p *Prepared) initOptimizer() error {
	if p.Engine.Dtype() != tensor.Float32 {
		return p.Optimizer.Init(p.Engine.Params())
	}
	o, err := optimizers.New32(p.Optimizer.Config())
	if err != nil {
		return err
	}
	p.Optimizer32 = o
	return o.Init(p.Engine.Params32())
}

// newOptimizer is a new optimizer of cfg for e's parameters, of e's dtype.
func newOptimizer(e *graph.Engine, cfg optimizers.Config) (train.Optimizer, error) {
	if e.Dtype() == tensor.Float32 {
		o, err := optimizers.New32(cfg)
		if err != nil {
			return nil, err
		}
		return train.Adapt32(o), o.Init(e.Params32())
	}
	o, err := optimizers.New(cfg)
	if err != nil {
		return nil, err
	}
	return train.Adapt(o), o.Init(e.Params())
}

// TrainOptimizer is the optimizer train.Run steps: Optimizer32 for a
// float32 engine, else Optimizer.
func (p *Prepared) TrainOptimizer() train.Optimizer {
	if p.Optimizer32 != nil {
		return train.Adapt32(p.Optimizer32)
	}
	return train.Adapt(p.Optimizer)
}

// marshalState is the stepped optimizer's state, for a checkpoint.
func (p *Prepared) marshalState() ([]byte, error) {
	if p.Optimizer32 != nil {
		return p.Optimizer32.MarshalState()
	}
	return p.Optimizer.MarshalState()
}

// unmarshalState restores a checkpoint's optimizer state. A float32 job
// refuses a float64 state (a float32 checkpoint written before float32
// training kept its optimizer state in float32): resuming from it would
// not continue the original run.
func (p *Prepared) unmarshalState(state []byte) error {
	if p.Optimizer32 == nil {
		return p.Optimizer.UnmarshalState(state)
	}
	var head struct {
		Dtype string `json:"dtype"`
	}
	if err := json.Unmarshal(state, &head); err == nil && head.Dtype != "float32" {
		return fmt.Errorf("job: the checkpoint holds a float64 optimizer state (written before --float32 kept the optimizer in float32); pass --reset-optimizer to resume from its weights with a fresh float32 optimizer")
	}
	return p.Optimizer32.UnmarshalState(state)
}
