//go:build race

package dist

// raceEnabled: the tests run under the race detector, so mpitest is built
// with it too.
const raceEnabled = true
