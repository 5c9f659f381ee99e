package optimizers

import "fmt"

// StageNames returns the name of each stage of the optimizer's chain, in
// the order Step applies them: "clip-norm", "clip-value", "weight-decay",
// "momentum", "nesterov", "adagrad", "rmsprop", "adam" and, last, "lr"
// (ScaleByLearningRate). A chain holds only the stages its Config turns
// on: gd without options is just "lr". In a float32 optimizer the
// learning rate of adagrad, rmsprop without momentum, adam and adamw is
// applied by their scaling stage, the last (New32).
func (o *OptimizerOf[T]) StageNames() []string {
	c, _ := o.chain.(chain[T])
	names := make([]string, len(c))
	for i, t := range c {
		names[i] = stageName(t)
	}
	return names
}

// stageName names a transform for StageNames.
func stageName[T Float](t TransformOf[T]) string {
	switch s := t.(type) {
	case clipNorm[T]:
		return "clip-norm"
	case clipValue[T]:
		return "clip-value"
	case decay[T]:
		return "weight-decay"
	case momentum[T]:
		if s.nesterov {
			return "nesterov"
		}
		return momentumName
	case adagrad[T]:
		return adagradName
	case rmsprop[T]:
		return rmspropName
	case adam[T]:
		return adamName
	case scaleByLR[T]:
		return "lr"
	}
	return fmt.Sprintf("%T", t)
}

// StepStages is Step that also reports what every stage did: on return,
// stages[i] holds a copy of the updates stage i produced (StageNames[i]),
// so stages[0] is the gradient after the first stage and the last entry is
// the update u of w ← w − u (of w ← w·(1 − lr·λ) − u in a float32 adamw,
// New32). The numbers are Step's, bit for bit: the same
// stages run in the same order on the same values. stages is reused when
// it has the right shape and reallocated otherwise; the result is returned.
//
// It is how a trace table shows, step by step, the gradient being clipped,
// turned into momentum or Adam's m̂/(√v̂ + ε), and scaled by the learning
// rate.
func (o *OptimizerOf[T]) StepStages(params, grads ParamsOf[T], stages []ParamsOf[T]) ([]ParamsOf[T], error) {
	if err := o.ready(params, grads); err != nil {
		return stages, err
	}
	c, ok := o.chain.(chain[T])
	if !ok || len(o.state.Stages) != len(c) {
		return stages, fmt.Errorf("optimizers: StepStages: the optimizer's chain has no stages to report (was Init called?)")
	}
	if len(stages) != len(c) {
		stages = make([]ParamsOf[T], len(c))
	}
	keep := o.keep()
	for i, t := range c {
		st, err := t.Update(grads, o.state.Stages[i], params)
		if err != nil {
			return stages, err
		}
		o.state.Stages[i] = st
		stages[i] = stageCopy(stages[i], grads)
	}
	o.apply(params, grads, keep)
	return stages, nil
}

// stageCopy copies p into dst, reusing dst's slices where their sizes fit.
func stageCopy[T Float](dst, p ParamsOf[T]) ParamsOf[T] {
	if dst == nil {
		dst = make(ParamsOf[T], len(p))
	}
	for k, v := range p {
		if d, ok := dst[k]; ok && len(d) == len(v) {
			copy(d, v)
		} else {
			dst[k] = append([]T(nil), v...)
		}
	}
	return dst
}
