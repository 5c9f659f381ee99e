package nn_test

import (
	"context"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// TestGoldenTrajectories trains small networks full-batch with
// cross-entropy under every optimizer, through train.Run, from torch's
// initial parameters (testdata/trajectories.json), and compares the
// parameters and buffers after steps 1, 10 and 20 and every step's loss
// with torch.optim's. A network is a row of the golden file's nets (its
// layer spec and input kind), so adding one (a conv net, say) is a row in
// gen_golden.py's NETS and nothing here.
func TestGoldenTrajectories(t *testing.T) {
	_, tg := loadGolden(t)
	nets := map[string]*trajNet{}
	for i := range tg.Nets {
		nets[tg.Nets[i].Name] = &tg.Nets[i]
	}
	Y := make([]float64, tg.N*tg.K)
	for i, l := range tg.Labels {
		Y[i*tg.K+l] = 1
	}
	worst := map[string]float64{}
	covered := map[string]bool{}
	for _, c := range tg.Cases {
		net := nets[c.Net]
		if net == nil {
			t.Fatalf("case %s/%s: no net %q", c.Net, c.Optimizer, c.Net)
		}
		covered[c.Optimizer] = true
		t.Run(c.Net+"/"+c.Optimizer, func(t *testing.T) {
			seq, err := nn.Parse(net.Spec)
			if err != nil {
				t.Fatal(err)
			}
			data, ok := tg.Data[net.Input]
			if !ok {
				t.Fatalf("no input %q", net.Input)
			}
			X := data.X
			d := shapeSize(data.Shape)
			e, err := models.Problem{Model: seq, Loss: "xent", Input: data.Shape, Target: []int{tg.K}}.Engine(graph.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range e.Spec().Params {
				names = append(names, p.Name)
			}
			slices.Sort(names)
			if !slices.Equal(names, sortedNames(net.Params)) {
				t.Fatalf("parameters %v, torch's %v", names, sortedNames(net.Params))
			}
			if err := e.SetParams(net.Params); err != nil {
				t.Fatal(err)
			}
			opt, err := optimizers.New(optimizers.Config{Name: c.Optimizer, LR: c.LR})
			if err != nil {
				t.Fatal(err)
			}
			if err := opt.Init(e.Params()); err != nil {
				t.Fatal(err)
			}
			// A hook sees step k after its forward and backward pass and
			// before its update: the buffers are those after step k, the
			// parameters those after step k−1.
			var losses []float64
			params := map[int]map[string][]float64{}
			buffers := map[int]map[string][]float64{}
			hook := train.Funcs{Step: func(s *train.Step) error {
				losses = append(losses, s.Loss)
				params[s.Step-1] = clone(s.Params)
				buffers[s.Step] = clone(e.Buffers())
				return nil
			}}
			steps := len(c.Losses)
			res, err := train.Run(context.Background(), e, train.Adapt(opt),
				train.Data{X: X, Y: Y, N: tg.N, D: d, T: tg.K}, nil,
				train.Config{Epochs: steps, NoShuffle: true}, hook)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != train.MaxEpochs || res.Steps != steps {
				t.Fatalf("status %v after %d steps, want %v after %d", res.Status, res.Steps, train.MaxEpochs, steps)
			}
			params[steps] = clone(e.Params())
			opt0 := c.Optimizer
			worst[opt0] = math.Max(worst[opt0], check(t, "losses", losses, c.Losses, goldenTol))
			for _, k := range sortedNames(c.Steps) {
				step, err := strconv.Atoi(k)
				if err != nil {
					t.Fatal(err)
				}
				want := c.Steps[k]
				for _, name := range sortedNames(want.Params) {
					d := check(t, "step "+k+": "+name, params[step][name], want.Params[name], goldenTol)
					worst[opt0] = math.Max(worst[opt0], d)
				}
				for _, name := range sortedNames(want.Buffers) {
					d := check(t, "step "+k+": buffer "+name, buffers[step][name], want.Buffers[name], goldenTol)
					worst[opt0] = math.Max(worst[opt0], d)
				}
				if len(want.Buffers) != len(e.Buffers()) {
					t.Errorf("buffers %v, torch's %v", sortedNames(e.Buffers()), sortedNames(want.Buffers))
				}
			}
		})
	}
	for _, k := range sortedNames(worst) {
		t.Logf("%-9s max relative deviation from torch %s over every network: %.1e", k, tg.Torch, worst[k])
	}
	for _, name := range optimizers.Names() {
		if !covered[name] {
			t.Errorf("no trajectory for optimizer %s", name)
		}
	}
}
