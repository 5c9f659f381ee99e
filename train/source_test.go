package train

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/optimizers"
)

// memSource streams rows held in memory: in file order, or for a shuffled
// epoch e in a permutation seeded by e, as a streamed file's order is a
// pure function of the epoch.
type memSource struct {
	d      Data
	passes int
}

func (s *memSource) Pass(e int, shuffle bool) (Reader, error) {
	s.passes++
	order := make([]int, s.d.N)
	for i := range order {
		order[i] = i
	}
	if shuffle {
		rand.New(rand.NewPCG(uint64(e), 77)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	return &memReader{d: s.d, order: order}, nil
}

type memReader struct {
	d     Data
	order []int
	at    int
}

func (r *memReader) Read(X, Y []float64) (int, error) {
	d := r.d
	n := min(len(X)/d.D, len(Y)/d.T, len(r.order)-r.at)
	if n == 0 {
		return 0, io.EOF
	}
	for i := range n {
		k := r.order[r.at+i]
		copy(X[i*d.D:], d.X[k*d.D:(k+1)*d.D])
		copy(Y[i*d.T:], d.Y[k*d.T:(k+1)*d.T])
	}
	r.at += n
	return n, nil
}

func (r *memReader) Close() error { return nil }

// streamed is d as a streamed set.
func streamed(d Data) Data {
	s := d
	s.X, s.Y, s.Labels, s.Source = nil, nil, nil, &memSource{d: d}
	return s
}

// TestStreamedEqualsInMemory: a streamed set in file order trains as the
// same rows in memory do: bit for bit when each batch reaches the engine
// in one piece, and to 1e-12 relative when batches come in several pieces
// (a full batch over pieces of 7 rows, batches of 16 over pieces of 5),
// whose losses and gradients are summed; validation loss and accuracy
// are read in pieces too.
func TestStreamedEqualsInMemory(t *testing.T) {
	multi := multiData(t)
	dig, digVal := digitsData(t, 200, 50)
	for _, c := range []struct {
		name  string
		mk    problem
		tr    Data
		val   *Data
		cfg   Config
		piece int // rows; 0: the default
		exact bool
	}{
		{"batch/one piece", linearProblem(optimizers.Config{Name: "gd", LR: 0.05}, multi.D), multi, nil, Config{Epochs: 30, NoShuffle: true}, 0, true},
		{"mini-batch/one piece", linearProblem(optimizers.Config{Name: "adam", LR: 0.05}, multi.D), multi, nil, Config{Epochs: 10, BatchSize: 8, NoShuffle: true}, 0, true},
		{"batch/pieces", linearProblem(optimizers.Config{Name: "gd", LR: 0.05}, multi.D), multi, nil, Config{Epochs: 30, NoShuffle: true}, 7, false},
		{"mini-batch/pieces/val", mlpProblem(optimizers.Config{Name: "adam", LR: 0.01}, dig.D, 10), dig, &digVal, Config{Epochs: 4, BatchSize: 16, NoShuffle: true}, 5, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, o := c.mk(t, 0)
			var wantAcc []float64
			acc := Funcs{Epoch: func(ep *Epoch) error { wantAcc = append(wantAcc, ep.ValAccuracy); return nil }}
			want, err := Run(context.Background(), e, Adapt(o), c.tr, c.val, c.cfg, acc)
			require.NoError(t, err)
			wantParams := cloneParams(e.Params())
			if c.piece > 0 {
				old := pieceBytes
				pieceBytes = c.piece * 8 * (c.tr.D + c.tr.T)
				defer func() { pieceBytes = old }()
			}
			var val *Data
			if c.val != nil {
				v := streamed(*c.val)
				val = &v
			}
			e, o = c.mk(t, 0)
			var gotAcc []float64
			acc = Funcs{Epoch: func(ep *Epoch) error { gotAcc = append(gotAcc, ep.ValAccuracy); return nil }}
			got, err := Run(context.Background(), e, Adapt(o), streamed(c.tr), val, c.cfg, acc)
			require.NoError(t, err)
			assert.Equal(t, want.Steps, got.Steps)
			if c.exact {
				assert.Equal(t, wantParams, e.Params())
				assert.Equal(t, want.Loss, got.Loss)
			} else {
				assert.LessOrEqual(t, relDiff(e.Params(), wantParams), 1e-12)
				assert.LessOrEqual(t, rel(got.Loss, want.Loss), 1e-12)
			}
			if c.val != nil {
				assert.LessOrEqual(t, rel(got.ValLoss, want.ValLoss), 1e-12)
				assert.Equal(t, wantAcc, gotAcc)
			}
		})
	}
}

// TestStreamedResumeIsBitIdentical: a streamed, shuffled run interrupted
// inside an epoch and resumed from its position (the reader skips the
// epoch's done batches) ends bit-identical to the uninterrupted run, in
// one process and on 2 ranks.
func TestStreamedResumeIsBitIdentical(t *testing.T) {
	multi := multiData(t)
	mk := linearProblem(optimizers.Config{Name: "adam", LR: 0.05, Schedule: "cosine:50"}, multi.D)
	cfg := Config{Epochs: 5, BatchSize: 8, Seed: 2}
	for _, p := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d ranks", p), func(t *testing.T) {
			run := func(stopAt int, resume *Position, from map[string][]float64, state []byte, steps int64) (map[string][]float64, *Result, []byte, int64) {
				comms, err := dist.NewGroup(p)
				require.NoError(t, err)
				cuts := evenCuts(multi.N, p)
				outs := make([]map[string][]float64, p)
				ress := make([]*Result, p)
				states := make([][]byte, p)
				stepsOut := make([]int64, p)
				var wg sync.WaitGroup
				for r := range p {
					e, o := mk(t, r)
					if from != nil {
						require.NoError(t, e.SetParams(from))
						require.NoError(t, o.UnmarshalState(state))
						require.NoError(t, e.SetSteps(steps))
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						ctx, cancel := context.WithCancel(context.Background())
						defer cancel()
						c := cfg
						c.Resume = resume
						if p > 1 {
							c.Comm = comms[r]
						}
						hook := Funcs{Step: func(s *Step) error {
							if s.Step == stopAt-1 {
								cancel()
							}
							return nil
						}}
						d := streamed(shardOf(multi, cuts[r], cuts[r+1]))
						if p == 1 {
							d = streamed(multi)
						}
						res, err := Run(ctx, e, Adapt(o), d, nil, c, hook)
						if err != nil {
							comms[r].Abort(1, err.Error())
						}
						outs[r], ress[r], stepsOut[r] = cloneParams(e.Params()), res, e.Steps()
						states[r], _ = o.MarshalState()
					}()
				}
				wg.Wait()
				for r := range p {
					assert.Equal(t, outs[0], outs[r])
				}
				return outs[0], ress[0], states[0], stepsOut[0]
			}
			want, wantRes, _, _ := run(-1, nil, nil, nil, 0)
			mid, res, state, steps := run(13, nil, nil, nil, 0)
			require.Equal(t, Interrupted, res.Status)
			require.NotZero(t, res.Position.Batch, "the interrupt falls inside an epoch")
			pos := res.Position
			got, gotRes, _, _ := run(-1, &pos, mid, state, steps)
			assert.Equal(t, want, got)
			assert.Equal(t, wantRes.Loss, gotRes.Loss)
			assert.Equal(t, wantRes.Steps, gotRes.Steps)
		})
	}
}

// TestStreamFeedShares: each rank's share of a batch is in proportion to
// its rows, the shares of a batch add up to about B and those of an
// epoch to every rank's rows exactly, with no overflow for huge counts.
func TestStreamFeedShares(t *testing.T) {
	counts := []int{7, 0, 13, 30}
	f := &streamFeed{d: Data{N: 7, Total: 50}, counts: counts, batch: 8}
	batches := batchesPer(50, 8)
	total := 0
	for b := range batches {
		global := 0
		for q := range counts {
			global += f.share(q, b+1) - f.share(q, b)
		}
		assert.InDelta(t, 8, global, float64(len(counts)), "batch %d", b)
		total += global
	}
	assert.Equal(t, 50, total)
	for q, n := range counts {
		assert.Equal(t, n, f.share(q, batches), "rank %d ends at its last row", q)
		assert.Equal(t, 0, f.share(q, 0))
	}
	huge := &streamFeed{d: Data{N: 1 << 40, Total: 1 << 41}, counts: []int{1 << 40, 1 << 40}, batch: 1 << 30}
	assert.Equal(t, 1<<29*3, huge.share(1, 3))
	assert.Equal(t, 1<<40, huge.share(1, 1<<20))
}
