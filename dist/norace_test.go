//go:build !race

package dist

// raceEnabled: the tests run without the race detector.
const raceEnabled = false
