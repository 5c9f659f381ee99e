package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
)

// interruptAt cancels the run just before step k (1-based) would start.
type interruptAt struct {
	k      int
	cancel context.CancelFunc
}

func (h *interruptAt) OnStep(s *Step) error {
	if s.Step == h.k-1 {
		h.cancel()
	}
	return nil
}

func (h *interruptAt) OnEpoch(*Epoch) error { return nil }

// TestResumeMidEpochIsBitIdentical interrupts runs at random steps, inside
// epochs as well as at their ends, in every regime (batch, SGD, mini-batch;
// shuffled or not; with a schedule and Adam's state), resumes each from its
// Position with the same optimizer state, and checks the end is
// bit-identical to the uninterrupted run: parameters, step and epoch
// counts, the last epoch's loss. Before positions were kept inside
// epochs, a resume repeated the partial epoch's steps.
func TestResumeMidEpochIsBitIdentical(t *testing.T) {
	ds, err := data.Builtin("multi") // 50 rows
	require.NoError(t, err)
	d := Data{X: ds.X, Y: ds.Y, N: ds.N, D: ds.D, T: 1}
	rng := rand.New(rand.NewPCG(11, 12))
	for _, c := range []struct {
		name      string
		batch     int
		noShuffle bool
		schedule  string
		epochs    int
	}{
		{"batch", 0, false, "", 40},
		{"batch-no-shuffle", 0, true, "", 40},
		{"sgd", 1, false, "", 3},
		{"sgd-no-shuffle", 1, true, "", 3},
		{"mini-batch", 16, false, "", 10},
		{"mini-batch-no-shuffle", 16, true, "", 10},
		{"mini-batch-schedule", 16, false, "cosine:30", 10},
		{"mini-batch-tol", 7, false, "warmup:5+exp:0.99", 10},
	} {
		cfg := Config{Epochs: c.epochs, BatchSize: c.batch, NoShuffle: c.noShuffle, Seed: 3}
		opt := optimizers.Config{Name: "adam", LR: 0.05, Schedule: c.schedule}
		newRun := func() (*graph.Engine, *optimizers.Optimizer) {
			e := linearEngine(t, "mse", 3)
			o, err := optimizers.New(opt)
			require.NoError(t, err)
			require.NoError(t, o.Init(e.Params()))
			return e, o
		}
		fullE, fullO := newRun()
		full, err := Run(context.Background(), fullE, Adapt(fullO), d, nil, cfg)
		require.NoError(t, err)
		for trial := 0; trial < 4; trial++ {
			k := 2 + rng.IntN(full.Steps-1)
			t.Run(fmt.Sprintf("%s/at-step-%d", c.name, k), func(t *testing.T) {
				e, o := newRun()
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				first, err := Run(ctx, e, Adapt(o), d, nil, cfg, &interruptAt{k: k, cancel: cancel})
				require.NoError(t, err)
				require.Equal(t, Interrupted, first.Status)
				require.Equal(t, k-1, first.Position.Steps)
				// The checkpoint path: the optimizer state goes through JSON.
				state, err := o.MarshalState()
				require.NoError(t, err)
				o2, err := optimizers.New(opt)
				require.NoError(t, err)
				require.NoError(t, o2.Init(e.Params()))
				require.NoError(t, o2.UnmarshalState(state))
				rest := cfg
				rest.Resume = &first.Position
				res, err := Run(context.Background(), e, Adapt(o2), d, nil, rest)
				require.NoError(t, err)
				assert.Equal(t, full.Status, res.Status)
				assert.Equal(t, full.Steps, res.Steps)
				assert.Equal(t, full.Epochs, res.Epochs)
				assert.Equal(t, fullE.Params(), e.Params(), "parameters are bit-identical")
				_, fl, _ := full.History.Points()
				_, rl, _ := res.History.Points()
				assert.Equal(t, fl[len(fl)-1], rl[len(rl)-1], "the last epoch's loss is bit-identical")
			})
		}
	}
}

func TestResumeRefusesHostilePositions(t *testing.T) {
	d := lineData(t)
	for _, c := range []struct {
		pos  Position
		want string
	}{
		{Position{Epoch: 1 << 62}, "more than"},
		{Position{Epoch: 200}, "more than the 100 asked for"},
		{Position{Epoch: 1, Batch: 3}, "batch 3"},
		{Position{Epoch: -1}, "negative"},
		{Position{Epoch: 2, Steps: 1 << 40}, "steps"},
		{Position{EpochLoss: math.Inf(1)}, "partial epoch loss"},
	} {
		e := linearEngine(t, "mse", 1)
		pos := c.pos
		_, err := Run(context.Background(), e, sgd{0.01}, d, nil, Config{Epochs: 100, Resume: &pos})
		require.Error(t, err, "%+v", c.pos)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestInfiniteTolerancesAreRefused(t *testing.T) {
	for _, c := range []Config{{Tol: math.Inf(1)}, {GradTol: math.Inf(1)}} {
		err := c.Validate(10)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "finite")
	}
}

// TestHistoryStaysBounded records a million epochs and checks the history
// keeps at most MaxHistory points, spread over the whole run, the first
// and last epochs included.
func TestHistoryStaysBounded(t *testing.T) {
	h := NewHistory(MaxHistory)
	const n = 1_000_000
	for e := 1; e <= n; e++ {
		h.Add(e, float64(e), math.NaN())
	}
	ep, loss, val := h.Points()
	assert.LessOrEqual(t, len(ep), MaxHistory+1)
	assert.Greater(t, len(ep), MaxHistory/4)
	assert.Equal(t, 1, ep[0])
	assert.Equal(t, n, ep[len(ep)-1])
	assert.Nil(t, val)
	for i := range ep {
		assert.Equal(t, float64(ep[i]), loss[i])
		if i > 0 {
			assert.Greater(t, ep[i], ep[i-1])
		}
	}
}

// TestObjectiveInterruptResume checks the objective regime (one step per
// epoch) resumes exactly too.
func TestObjectiveInterruptResume(t *testing.T) {
	mk := func() *graph.Engine {
		e, err := models.Problem{Model: models.Rosenbrock{X0: -1.2, Y0: 1}}.Engine(graph.Options{})
		require.NoError(t, err)
		return e
	}
	full := mk()
	_, err := Run(context.Background(), full, sgd{0.001}, Data{}, nil, Config{Epochs: 500})
	require.NoError(t, err)
	e := mk()
	ctx, cancel := context.WithCancel(context.Background())
	first, err := Run(ctx, e, sgd{0.001}, Data{}, nil, Config{Epochs: 500}, &interruptAt{k: 123, cancel: cancel})
	require.NoError(t, err)
	require.Equal(t, Interrupted, first.Status)
	res, err := Run(context.Background(), e, sgd{0.001}, Data{}, nil, Config{Epochs: 500, Resume: &first.Position})
	require.NoError(t, err)
	assert.Equal(t, 500, res.Steps)
	assert.Equal(t, full.Params(), e.Params())
}
