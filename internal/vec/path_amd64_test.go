//go:build amd64 && !purego

package vec

import "testing"

// forEachPath runs f on the assembly loops (when the CPU has AVX2) and on
// the Go ones.
func forEachPath(t *testing.T, f func(t *testing.T)) {
	saved := useAVX2
	defer func() { useAVX2 = saved }()
	for _, on := range []bool{true, false} {
		if on && !saved {
			continue
		}
		useAVX2 = on
		t.Run(map[bool]string{true: "avx2", false: "go"}[on], f)
	}
}

// benchPaths runs f on the assembly loops and on the Go ones.
func benchPaths(b *testing.B, f func(b *testing.B)) {
	saved := useAVX2
	defer func() { useAVX2 = saved }()
	for _, on := range []bool{true, false} {
		if on && !saved {
			continue
		}
		useAVX2 = on
		b.Run(map[bool]string{true: "avx2", false: "go"}[on], f)
	}
}
