package models_test

import (
	"strings"
	"testing"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// FuzzParseModel: the model spec parser (the classic models and the layer
// grammar) never panics, and a model it accepts builds or fails with a
// one-line error, within the engine's size bounds.
func FuzzParseModel(f *testing.F) {
	for _, s := range []string{"linear", "poly:3", "logistic", "softmax", "mlp:16,8", "mlp:9223372036854775807",
		"mlp:", "poly:-1", "linear(16) relu linear(3)", "conv2d(4,3,padding=1) relu flatten linear(3)",
		"linear(16777216) relu linear(16777216)", "residual(linear(4))", "cubic", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		m, err := models.Parse(spec, 4, 3, "", 1)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("a multi-line error: %q", err)
			}
			return
		}
		input := []int{4}
		if strings.Contains(spec, "conv") || strings.Contains(spec, "pool") {
			input = []int{1, 2, 2}
		}
		_, err = models.Problem{Model: m, Loss: "mse", Input: input, Target: []int{3}}.Engine(graph.Options{})
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("a multi-line error: %q", err)
		}
	})
}
