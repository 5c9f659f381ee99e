package data

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// epochs returns copies of the next k epochs' batches.
func epochs(b *Batcher, k int) [][][]int {
	out := make([][][]int, k)
	for e := range out {
		for _, batch := range b.Epoch() {
			out[e] = append(out[e], slices.Clone(batch))
		}
	}
	return out
}

func sizes(batches [][]int) []int {
	s := make([]int, len(batches))
	for i, b := range batches {
		s[i] = len(b)
	}
	return s
}

func TestBatcherErrors(t *testing.T) {
	tests := []struct {
		n, size int
		want    string
	}{
		{10, 64, "data: batch size 64 needs at least 64 rows, the data has 10"},
		{10, -1, "data: batch size must be >= 0 (0 = full batch), got -1"},
		{0, 0, "data: batcher needs at least 1 row, got 0"},
		{-3, 1, "data: batcher needs at least 1 row, got -3"},
	}
	for _, tt := range tests {
		b, err := NewBatcher(tt.n, tt.size, true, 1)
		assert.EqualError(t, err, tt.want)
		assert.Nil(t, b)
	}
}

func TestBatcherShapes(t *testing.T) {
	tests := []struct {
		name    string
		n, size int
		want    []int
	}{
		{"full batch", 7, 0, []int{7}},
		{"batch = n", 7, 7, []int{7}},
		{"SGD", 4, 1, []int{1, 1, 1, 1}},
		{"partial last batch kept", 10, 4, []int{4, 4, 2}},
		{"even", 9, 3, []int{3, 3, 3}},
		{"one row", 1, 0, []int{1}},
	}
	for _, tt := range tests {
		for _, shuffle := range []bool{false, true} {
			b, err := NewBatcher(tt.n, tt.size, shuffle, 3)
			require.NoError(t, err)
			assert.Equal(t, len(tt.want), b.Batches(), tt.name)
			assert.Equal(t, tt.want[0], b.Size(), tt.name)
			for range 3 {
				ep := b.Epoch()
				assert.Equal(t, tt.want, sizes(ep), tt.name)
				all := slices.Concat(ep...)
				slices.Sort(all)
				for i, v := range all {
					require.Equal(t, i, v, "%s: each row exactly once per epoch", tt.name)
				}
			}
		}
	}
}

func TestBatcherNoShuffleInOrder(t *testing.T) {
	b, err := NewBatcher(5, 2, false, 1)
	require.NoError(t, err)
	for _, ep := range epochs(b, 3) {
		assert.Equal(t, [][]int{{0, 1}, {2, 3}, {4}}, ep)
	}
}

func TestBatcherSeeds(t *testing.T) {
	mk := func(seed uint64) *Batcher {
		b, err := NewBatcher(50, 8, true, seed)
		require.NoError(t, err)
		return b
	}
	a, same, other := epochs(mk(11), 4), epochs(mk(11), 4), epochs(mk(12), 4)
	assert.Equal(t, a, same, "same seed, same order")
	assert.NotEqual(t, a, other, "different seeds differ")
	for e := 1; e < len(a); e++ {
		assert.NotEqual(t, a[0], a[e], "each epoch reshuffles")
	}
	assert.NotEqual(t, [][]int{{0, 1, 2, 3, 4, 5, 6, 7}}, a[0][:1], "shuffled")

	// The full batch with shuffle on is one shuffled batch of every row.
	f, err := NewBatcher(20, 0, true, 5)
	require.NoError(t, err)
	ep := f.Epoch()
	require.Len(t, ep, 1)
	assert.Len(t, ep[0], 20)
}

func TestBatcherEpochDoesNotAllocate(t *testing.T) {
	for _, shuffle := range []bool{false, true} {
		b, err := NewBatcher(1000, 32, shuffle, 1)
		require.NoError(t, err)
		allocs := testing.AllocsPerRun(50, func() { b.Epoch() })
		assert.Zero(t, allocs, "shuffle=%v", shuffle)
	}
}

func BenchmarkBatcherEpoch(b *testing.B) {
	bt, err := NewBatcher(10000, 64, true, 1)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		bt.Epoch()
	}
}

func BenchmarkParseDigits(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Builtin("digits"); err != nil {
			b.Fatal(err)
		}
	}
}
