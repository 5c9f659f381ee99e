package optimizers

// momentum is torch.optim.SGD's momentum buffer (Sutskever et al. 2013):
// b ← g on the first step, then b ← μ·b + (1−τ)·g; the update is b, or
// g + μ·b with Nesterov momentum.
type momentum struct {
	base
	mu, dampening float64
	nesterov      bool
}

var _ Transform = (*momentum)(nil)

// ScaleByMomentum is heavy-ball momentum μ with dampening τ, or Nesterov
// momentum, exactly as torch.optim.SGD.
func ScaleByMomentum(mu, dampening float64, nesterov bool) Transform {
	return &momentum{mu: mu, dampening: dampening, nesterov: nesterov}
}

func (m *momentum) Init(params Params, s *State) error {
	m.slot(s, "momentum_buffer", params, 0)
	return nil
}

func (m *momentum) Update(u Params, s *State, _ Params) error {
	buf, err := m.get(s, "momentum_buffer")
	if err != nil {
		return err
	}
	for k, g := range u {
		b := buf[k]
		for i, gi := range g {
			if s.Count == 0 {
				b[i] = gi
			} else {
				b[i] = m.mu*b[i] + (1-m.dampening)*gi
			}
			if m.nesterov {
				g[i] = gi + m.mu*b[i]
			} else {
				g[i] = b[i]
			}
		}
	}
	return nil
}

// decay adds coupled L2 weight decay: g ← g + λ·w.
type decay struct{ lambda float64 }

var _ Transform = decay{}

// AddDecayedWeights is coupled weight decay (an L2 penalty (λ/2)‖w‖²):
// g ← g + λ·w, as the weight_decay option of torch.optim's SGD, Adagrad,
// RMSprop and Adam.
func AddDecayedWeights(lambda float64) Transform { return decay{lambda} }

func (decay) Init(Params, *State) error { return nil }

func (d decay) Update(u Params, _ *State, params Params) error {
	for k, g := range u {
		w := params[k]
		for i := range g {
			g[i] += d.lambda * w[i]
		}
	}
	return nil
}
