package ops_test

import (
	"fmt"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/ops"
)

func TestLayerNormErrors(t *testing.T) {
	x := vec(2, 3)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"eps", func() error { _, err := ops.LayerNorm(x, nil, nil, -1); return err }(), "ops: layer norm eps must be a finite number > 0, got -1"},
		{"beta alone", func() error { _, err := ops.LayerNorm(x, nil, vec(3), 1e-5); return err }(), "ops: layer norm takes both gamma and beta or neither"},
		{"size", func() error { _, err := ops.LayerNorm(x, vec(2), vec(2), 1e-5); return err }(), "input 1 has shape (2), want (3) for an input of shape (2, 3)"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, tc.err, tc.want)
		}
	}
}

// ExampleLayerNorm normalizes each row over its last dimension.
func ExampleLayerNorm() {
	g := G.NewGraph()
	x := input(g, "x", []float64{1, 2, 3, 10, 20, 30}, 2, 3)
	gamma := input(g, "gamma", []float64{1, 1, 2}, 3)
	beta := input(g, "beta", []float64{0, 0, 1}, 3)
	y := G.Must(ops.LayerNorm(x, gamma, beta, 1e-5))
	out, err := run(g, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", out[0])
	// Output:
	// [-1.2247 0.0000 3.4495 -1.2247 0.0000 3.4495]
}
