package optimizers

// momentum is torch.optim.SGD's momentum buffer.
type momentum[T Float] struct {
	mu, dampening float64
	nesterov      bool
}

var (
	_ Transform   = momentum[float64]{}
	_ Transform32 = momentum[float32]{}
)

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
	return ScaleByMomentumOf[float64](mu, dampening, nesterov)
}

// ScaleByMomentumOf is ScaleByMomentum over values of type T, the buffer
// kept in T.
func ScaleByMomentumOf[T Float](mu, dampening float64, nesterov bool) TransformOf[T] {
	return momentum[T]{mu: mu, dampening: dampening, nesterov: nesterov}
}

const momentumName = "momentum"

// Init checks μ ≥ 0 and τ ∈ [0,1] (μ > 0 and τ = 0 under Nesterov) and
// allocates the zeroed buffer. With μ = 0 the stage passes updates through
// unchanged and keeps no state, as torch skips momentum when μ = 0.
func (m momentum[T]) Init(params ParamsOf[T]) (StateOf[T], error) {
	if err := firstErr(nonNegative("momentum", m.mu), closed("dampening", m.dampening)); err != nil {
		return StateOf[T]{}, err
	}
	if m.nesterov {
		if err := nesterov(m.mu, m.dampening); err != nil {
			return StateOf[T]{}, err
		}
	}
	if m.mu == 0 {
		return StateOf[T]{}, nil // torch skips momentum when μ = 0
	}
	return StateOf[T]{Slots: map[string]ParamsOf[T]{"momentum_buffer": newSlot(params, 0)}}, nil
}

// Update applies the momentum to every update.
func (m momentum[T]) Update(u ParamsOf[T], s StateOf[T], _ ParamsOf[T]) (StateOf[T], error) {
	if m.mu == 0 {
		return s, nil
	}
	bufs, err := s.slot(momentumName, "momentum_buffer")
	if err != nil {
		return s, err
	}
	first := s.Count == 0
	mu, c := T(m.mu), T(1-m.dampening)
	for k, g := range u {
		b, err := values(bufs, momentumName, "momentum_buffer", k, len(g))
		if err != nil {
			return s, err
		}
		for i, gi := range g {
			if first {
				b[i] = gi
			} else {
				b[i] = T(mu*b[i]) + T(c*gi)
			}
			if m.nesterov {
				g[i] = gi + T(mu*b[i])
			} else {
				g[i] = b[i]
			}
		}
	}
	s.Count++
	return s, nil
}
