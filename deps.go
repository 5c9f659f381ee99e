//go:build tools

package descent

import (
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/spf13/cobra"
	_ "github.com/stretchr/testify/assert"
	_ "go4.org/unsafe/assume-no-moving-gc"
	_ "golang.org/x/term"
	_ "gonum.org/v1/gonum/diff/fd"
	_ "gonum.org/v1/plot"
	_ "gorgonia.org/gorgonia"
	_ "gorgonia.org/tensor"
)
