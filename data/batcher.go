package data

import (
	"fmt"
	"math/rand/v2"
)

// batcherStream is the second PCG seed word of a Batcher.
const batcherStream = 0xba7c4e5

// Batcher yields the row indices of each epoch's batches.
//
// With batch size 0 an epoch is one full batch of all n rows; with 1 it is
// n single-row batches (SGD); with b it is ⌈n/b⌉ batches of b rows, the last
// one smaller when b does not divide n (it is kept, not dropped). With
// shuffle on, epoch e permutes 0..n−1 with a math/rand/v2 PCG generator
// seeded by (seed, e), so an epoch's order is a pure function of the seed
// and its number: a resumed run, or any rank of a data-parallel run, gets
// the same batches without replaying earlier epochs. With shuffle off
// every epoch is 0, 1, …, n−1 in order.
type Batcher struct {
	n, size int
	seed    uint64
	pcg     *rand.PCG
	rng     *rand.Rand // nil when not shuffling
	perm    []int
	batches [][]int
	swap    func(i, j int)
	next    int // the epoch Epoch returns next
}

// NewBatcher returns a Batcher over n rows. n must be positive and
// batchSize in [0, n], e.g.
//
//	data: batch size 64 needs at least 64 rows, the data has 10
func NewBatcher(n, batchSize int, shuffle bool, seed uint64) (*Batcher, error) {
	switch {
	case n <= 0:
		return nil, fmt.Errorf("data: batcher needs at least 1 row, got %d", n)
	case batchSize < 0:
		return nil, fmt.Errorf("data: batch size must be >= 0 (0 = full batch), got %d", batchSize)
	case batchSize > n:
		return nil, fmt.Errorf("data: batch size %d needs at least %d rows, the data has %d", batchSize, batchSize, n)
	}
	size := batchSize
	if size == 0 {
		size = n
	}
	b := &Batcher{n: n, size: size, seed: seed, perm: make([]int, n)}
	for i := range b.perm {
		b.perm[i] = i
	}
	b.batches = make([][]int, 0, (n+size-1)/size)
	for lo := 0; lo < n; lo += size {
		hi := min(lo+size, n)
		b.batches = append(b.batches, b.perm[lo:hi:hi])
	}
	if shuffle {
		b.pcg = rand.NewPCG(seed, batcherStream)
		b.rng = rand.New(b.pcg)
		b.swap = func(i, j int) { b.perm[i], b.perm[j] = b.perm[j], b.perm[i] }
	}
	return b, nil
}

// Epoch returns the next epoch's batches: EpochAt(0), then EpochAt(1), …
func (b *Batcher) Epoch() [][]int {
	e := b.next
	b.next++
	return b.EpochAt(e)
}

// EpochAt returns the batches of epoch e (0-based). The result and its
// slices belong to the Batcher: they are overwritten by the next call, and
// must not be modified. EpochAt allocates nothing.
func (b *Batcher) EpochAt(e int) [][]int {
	if b.rng != nil {
		for i := range b.perm {
			b.perm[i] = i
		}
		b.pcg.Seed(b.seed, batcherStream^(uint64(e)*0x9e3779b97f4a7c15))
		b.rng.Shuffle(b.n, b.swap)
	}
	b.next = e + 1
	return b.batches
}

// Batches is the number of batches per epoch, ⌈n/size⌉.
func (b *Batcher) Batches() int { return len(b.batches) }

// Size is the batch size (n for a full batch); the last batch may be smaller.
func (b *Batcher) Size() int { return b.size }
