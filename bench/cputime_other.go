//go:build !unix

package bench

import "time"

// processCPU is not measured here: 0, and the CPU-time figures stay empty.
func processCPU() time.Duration { return 0 }
