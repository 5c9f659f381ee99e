package ops_test

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// TestMaxPoolTieRule runs max pooling on a blank image through the
// executor, in both dtypes: every window ties, and torch's rule sends each
// window's gradient to its first element in row-major order only.
func TestMaxPoolTieRule(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		for _, tc := range []struct {
			kernel [2]int
			opt    ops.MaxPoolOptions
			// want[i] lists the upstream indices whose gradient lands on
			// input i of the 1×1×4×4 image.
			want map[int][]int
		}{
			{[2]int{2, 2}, ops.MaxPoolOptions{}, map[int][]int{0: {0}, 2: {1}, 8: {2}, 10: {3}}},
			// 3×3 windows at stride 1 with padding 1: 16 windows whose
			// first in-image element is (max(oh−1, 0), max(ow−1, 0)).
			{[2]int{3, 3}, ops.MaxPoolOptions{Stride: [2]int{1, 1}, Padding: [2]int{1, 1}}, map[int][]int{
				0: {0, 1, 4, 5}, 1: {2, 6}, 2: {3, 7}, 4: {8, 9}, 5: {10}, 6: {11}, 8: {12, 13}, 9: {14}, 10: {15}}},
		} {
			nOut := 4
			if tc.kernel[0] == 3 {
				nOut = 16
			}
			u := make([]float64, nOut)
			for i := range u {
				u[i] = float64(i + 1)
			}
			spec := graph.Spec{Dtype: dt, Params: []graph.Param{
				{Name: "x", Shape: []int{1, 1, 4, 4}}, // zeros: a blank image
				{Name: "u", Shape: []int{nOut}, Init: u},
			}}
			spec.Forward = func(s *graph.Scope) (*G.Node, error) {
				y, err := ops.MaxPool2d(s.Params["x"], tc.kernel, tc.opt)
				if err != nil {
					return nil, err
				}
				uu, err := G.Reshape(s.Params["u"], y.Shape())
				if err != nil {
					return nil, err
				}
				return weighted(y, uu)
			}
			e, err := graph.New(spec, graph.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Step(nil, nil, 0); err != nil {
				t.Fatal(err)
			}
			want := make([]float64, 16)
			for i, outs := range tc.want {
				for _, o := range outs {
					want[i] += u[o]
				}
			}
			if msg := closeTo(e.Grads()["x"], want, 0); msg != "" {
				t.Errorf("%v kernel %v: dx%s (dx = %v)", dt, tc.kernel, msg, e.Grads()["x"])
			}
		}
	}
}

func TestPoolErrors(t *testing.T) {
	g := G.NewGraph()
	x := G.NewTensor(g, tensor.Float64, 4, G.WithShape(2, 3, 5, 5))
	x3 := G.NewTensor(g, tensor.Float64, 3, G.WithShape(2, 3, 5))
	for _, tc := range []struct {
		build func() (*G.Node, error)
		want  string
	}{
		{func() (*G.Node, error) { return ops.MaxPool2d(x, [2]int{7, 7}, ops.MaxPoolOptions{}) },
			"ops: maxpool2d: kernel 7×7 with padding 0 does not fit a 5×5 input (input (2, 3, 5, 5))"},
		{func() (*G.Node, error) { return ops.MaxPool2d(x, [2]int{}, ops.MaxPoolOptions{}) },
			"ops: maxpool2d: the kernel must be at least 1, got 0×0 (input (2, 3, 5, 5))"},
		{func() (*G.Node, error) {
			return ops.MaxPool2d(x, [2]int{3, 3}, ops.MaxPoolOptions{Padding: [2]int{2, 2}})
		}, "ops: maxpool2d: the padding 2 must be at most half the kernel 3×3 (input (2, 3, 5, 5))"},
		{func() (*G.Node, error) {
			return ops.MaxPool2d(x, [2]int{2, 2}, ops.MaxPoolOptions{Dilation: [2]int{5, 1}})
		}, "ops: maxpool2d: kernel 2×2 dilated by (5, 1) (6×2) with padding 0 does not fit a 5×5 input (input (2, 3, 5, 5))"},
		{func() (*G.Node, error) { return ops.AvgPool2d(x3, [2]int{2, 2}, ops.AvgPoolOptions{}) },
			"ops: avgpool2d: the input must be 4-D (N, C, H, W), got shape (2, 3, 5)"},
		{func() (*G.Node, error) {
			return ops.AvgPool2d(x, [2]int{2, 2}, ops.AvgPoolOptions{Stride: [2]int{-1, 0}})
		}, "ops: avgpool2d: the stride must be at least 1, got (-1, 2) (input (2, 3, 5, 5))"},
		{func() (*G.Node, error) { return ops.AvgPool2d(nil, [2]int{2, 2}, ops.AvgPoolOptions{}) },
			"ops: avgpool2d: the input is nil"},
		{func() (*G.Node, error) { return ops.GlobalAvgPool2d(x3) },
			"ops: global average pooling: the input must be 4-D (N, C, H, W), got shape (2, 3, 5)"},
	} {
		n, err := tc.build()
		if err == nil || err.Error() != tc.want {
			t.Errorf("got %v, %v\nwant %q", n, err, tc.want)
		}
	}
}
