package optimizers

import "fmt"

// Info describes an optimizer for `descent optimizers`.
type Info struct {
	Name     string
	Defaults string
	Formula  string
	Paper    string
}

// Describe lists every optimizer with its options' defaults and its update.
func Describe() []Info {
	return []Info{
		{"gd", "lr 0.01, weight-decay 0", "w ← w − lr·g", "Cauchy 1847"},
		{"momentum", "lr 0.01, momentum 0.9, dampening 0, weight-decay 0", "b ← μ·b + (1−τ)·g (b ← g at first); w ← w − lr·b", "Polyak 1964"},
		{"nesterov", "lr 0.01, momentum 0.9, weight-decay 0", "b ← μ·b + g; w ← w − lr·(g + μ·b)", "Sutskever et al. 2013"},
		{"adagrad", "lr 0.01, lr-decay 0, initial-accumulator 0, eps 1e-10, weight-decay 0", "s ← s + g²; w ← w − lr/(1+(t−1)·decay)·g/(√s + ε)", "Duchi et al. 2011"},
		{"rmsprop", "lr 0.01, alpha 0.99, eps 1e-8, momentum 0, centered false, weight-decay 0", "v ← α·v + (1−α)·g²; w ← w − lr·g/(√v + ε)", "Tieleman & Hinton 2012"},
		{"adam", "lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8, amsgrad false, weight-decay 0", "m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w ← w − lr·m̂/(√v̂ + ε)", "Kingma & Ba 2015"},
		{"adamw", "lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8, amsgrad false, weight-decay 0.01", "w ← w·(1 − lr·λ); then the adam step", "Loshchilov & Hutter 2019"},
	}
}

// String renders an Info on one line.
func (i Info) String() string {
	return fmt.Sprintf("%-9s %s  [%s]  (%s)", i.Name, i.Formula, i.Defaults, i.Paper)
}
