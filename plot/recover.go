package plot

import "fmt"

// recoverTo turns a panic in the calling function into an error in *err,
// prefixed with the package and what was being done. Deferred at every
// public entry point, so no gonum/plot panic reaches the caller.
func recoverTo(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("plot: %s: internal error: %v", what, r)
	}
}
