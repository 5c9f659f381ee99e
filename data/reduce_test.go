package data_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
)

// TestFitStatsSharedMatchesFitStats: statistics fitted across the shards
// of 1 to 4 in-process ranks, some holding no rows, equal FitStats on all
// the rows to 1e-15 relative (the mean, to its size or the spread) and
// 4e-15 (the standard deviation); a column that is constant overall keeps its
// value and Std 1 exactly, and one constant within each shard but not
// overall is fitted as usual.
func TestFitStatsSharedMatchesFitStats(t *testing.T) {
	const n, d = 257, 4
	rng := rand.New(rand.NewPCG(1, 2))
	X := make([]float64, n*d)
	for i := range n {
		X[i*d] = 1e6 + rng.NormFloat64() // a large offset tests the centring
		X[i*d+1] = 3.25                  // constant overall
		X[i*d+2] = float64(i / 100)      // constant within some shards
		X[i*d+3] = rng.ExpFloat64() * 1e-3
	}
	want := data.FitStats(X, n, d)
	for _, cuts := range [][]int{{0, n}, {0, 100, n}, {0, 100, 200, n}, {0, 0, 7, n, n}} {
		t.Run(fmt.Sprint(cuts), func(t *testing.T) {
			p := len(cuts) - 1
			comms, err := dist.NewGroup(p)
			require.NoError(t, err)
			got := make([]data.Stats, p)
			errs := make([]error, p)
			var wg sync.WaitGroup
			for r := range p {
				wg.Add(1)
				go func() {
					defer wg.Done()
					lo, hi := cuts[r], cuts[r+1]
					got[r], errs[r] = data.FitStatsShared(X[lo*d:hi*d], hi-lo, d, comms[r])
				}()
			}
			wg.Wait()
			for r := range p {
				require.NoError(t, errs[r])
				assert.Equal(t, got[0], got[r], "rank %d differs from rank 0", r)
				assert.Equal(t, 3.25, got[r].Mean[1])
				assert.Equal(t, 1.0, got[r].Std[1])
				for j := range d {
					scale := math.Max(math.Abs(want.Mean[j]), want.Std[j])
					assert.InDelta(t, 0, (got[r].Mean[j]-want.Mean[j])/scale, 1e-15, "mean of column %d", j)
					assert.InDelta(t, 1, got[r].Std[j]/want.Std[j], 4e-15, "std of column %d", j)
				}
			}
		})
	}
	one, err := data.FitStatsShared(X, n, d, nil)
	require.NoError(t, err)
	for j := range d {
		assert.InDelta(t, 1, one.Std[j]/want.Std[j], 4e-15)
	}
	empty, err := data.FitStatsShared(nil, 0, 2, nil)
	require.NoError(t, err)
	assert.Equal(t, data.Stats{Mean: []float64{0, 0}, Std: []float64{1, 1}}, empty)
	_, err = data.FitStatsShared(X, n+1, d, nil)
	assert.EqualError(t, err, "data: stats of 258×4 need len(X) >= 1032, got 1028")
	assert.False(t, math.IsNaN(one.Mean[0]))
}

// Gather lays every rank's values out by rank.
func ExampleGather() {
	comms, _ := dist.NewGroup(3)
	out := make([][]float64, 3)
	var wg sync.WaitGroup
	for r, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[r], _ = data.Gather(c, []float64{float64(10 * r), float64(10*r + 1)})
		}()
	}
	wg.Wait()
	fmt.Println(out[0], out[2])
	// Output: [0 1 10 11 20 21] [0 1 10 11 20 21]
}
