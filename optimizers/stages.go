package optimizers

import "fmt"

// StageNames returns the name of each stage of the optimizer's chain, in
// the order Step applies them: "clip-norm", "clip-value", "weight-decay",
// "momentum", "nesterov", "adagrad", "rmsprop", "adam" and, last, "lr"
// (ScaleByLearningRate). A chain holds only the stages its Config turns
// on: gd without options is just "lr".
func (o *Optimizer) StageNames() []string {
	c, _ := o.chain.(chain)
	names := make([]string, len(c))
	for i, t := range c {
		names[i] = stageName(t)
	}
	return names
}

// stageName names a transform for StageNames.
func stageName(t Transform) string {
	switch s := t.(type) {
	case clipNorm:
		return "clip-norm"
	case clipValue:
		return "clip-value"
	case decay:
		return "weight-decay"
	case momentum:
		if s.nesterov {
			return "nesterov"
		}
		return momentumName
	case adagrad:
		return adagradName
	case rmsprop:
		return rmspropName
	case adam:
		return adamName
	case scaleByLR:
		return "lr"
	}
	return fmt.Sprintf("%T", t)
}

// StepStages is Step that also reports what every stage did: on return,
// stages[i] holds a copy of the updates stage i produced (StageNames[i]),
// so stages[0] is the gradient after the first stage and the last entry is
// the update u of w ← w − u. The numbers are Step's, bit for bit: the same
// stages run in the same order on the same values. stages is reused when
// it has the right shape and reallocated otherwise; the result is returned.
//
// It is how a trace table shows, step by step, the gradient being clipped,
// turned into momentum or Adam's m̂/(√v̂ + ε), and scaled by the learning
// rate.
func (o *Optimizer) StepStages(params, grads Params, stages []Params) ([]Params, error) {
	if o.names == nil {
		return stages, fmt.Errorf("optimizers: Step before Init")
	}
	if err := o.check(params, "parameters"); err != nil {
		return stages, err
	}
	if err := o.check(grads, "gradients"); err != nil {
		return stages, err
	}
	c, ok := o.chain.(chain)
	if !ok || len(o.state.Stages) != len(c) {
		return stages, fmt.Errorf("optimizers: StepStages: the optimizer's chain has no stages to report (was Init called?)")
	}
	if len(stages) != len(c) {
		stages = make([]Params, len(c))
	}
	for i, t := range c {
		st, err := t.Update(grads, o.state.Stages[i], params)
		if err != nil {
			return stages, err
		}
		o.state.Stages[i] = st
		stages[i] = stageCopy(stages[i], grads)
	}
	for k, w := range params {
		u := grads[k]
		for i := range w {
			w[i] -= u[i]
		}
	}
	return stages, nil
}

// stageCopy copies p into dst, reusing dst's slices where their sizes fit.
func stageCopy(dst, p Params) Params {
	if dst == nil {
		dst = make(Params, len(p))
	}
	for k, v := range p {
		if d, ok := dst[k]; ok && len(d) == len(v) {
			copy(d, v)
		} else {
			dst[k] = append([]float64(nil), v...)
		}
	}
	return dst
}
