//go:build race

package ops_test

// raceEnabled: under the race detector sync.Pool drops items on purpose (the
// GEMM's packing buffers come from one), so allocation counts are not
// meaningful.
const raceEnabled = true
