//go:build !amd64 || purego

package vec

import "testing"

func forEachPath(t *testing.T, f func(t *testing.T)) { t.Run("go", f) }

func benchPaths(b *testing.B, f func(b *testing.B)) { b.Run("go", f) }
