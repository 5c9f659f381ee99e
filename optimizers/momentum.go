package optimizers

// momentum is torch.optim.SGD's momentum buffer.
type momentum struct {
	mu, dampening float64
	nesterov      bool
}

var _ Transform = momentum{}

// ScaleByMomentum is the momentum of torch.optim.SGD: heavy-ball momentum
// (Polyak 1964) or Nesterov's accelerated gradient in the form of Sutskever,
// Martens, Dahl & Hinton 2013 ("On the importance of initialization and
// momentum in deep learning", ICML). With μ the momentum and τ the
// dampening, the buffer is
//
//	b₁ = g₁,   bₜ = μ·bₜ₋₁ + (1−τ)·gₜ
//
// (the first step copies the gradient, undamped, as torch does), and the
// update is bₜ, or gₜ + μ·bₜ under Nesterov. Nesterov needs μ > 0 and τ = 0.
// Its state is the buffer "momentum_buffer" and the count of updates made.
func ScaleByMomentum(mu, dampening float64, nesterov bool) Transform {
	return momentum{mu: mu, dampening: dampening, nesterov: nesterov}
}

const momentumName = "momentum"

// Init checks μ ≥ 0 and τ ∈ [0,1] (μ > 0 and τ = 0 under Nesterov) and
// allocates the zeroed buffer. With μ = 0 the stage passes updates through
// unchanged and keeps no state, as torch skips momentum when μ = 0.
func (m momentum) Init(params Params) (State, error) {
	if err := firstErr(nonNegative("momentum", m.mu), closed("dampening", m.dampening)); err != nil {
		return State{}, err
	}
	if m.nesterov {
		if err := nesterov(m.mu, m.dampening); err != nil {
			return State{}, err
		}
	}
	if m.mu == 0 {
		return State{}, nil // torch skips momentum when μ = 0
	}
	return State{Slots: map[string]Params{"momentum_buffer": newSlot(params, 0)}}, nil
}

// Update applies the momentum to every update.
func (m momentum) Update(u Params, s State, _ Params) (State, error) {
	if m.mu == 0 {
		return s, nil
	}
	bufs, err := s.slot(momentumName, "momentum_buffer")
	if err != nil {
		return s, err
	}
	first := s.Count == 0
	for k, g := range u {
		b, err := values(bufs, momentumName, "momentum_buffer", k, len(g))
		if err != nil {
			return s, err
		}
		for i, gi := range g {
			if first {
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
	s.Count++
	return s, nil
}
