package main

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/descent-ml/descent/internal/atomicfile"
)

// checkOutputs checks every output path before any work is done: its
// directory exists and is writable, and a plot's extension is known, so a
// bad path never costs a finished run.
func checkOutputs(paths map[string]string, plotPath string) error {
	flags := make([]string, 0, len(paths))
	for f := range paths {
		flags = append(flags, f)
	}
	sort.Strings(flags)
	for _, f := range flags {
		p := paths[f]
		if p == "" || p == "-" {
			continue
		}
		if err := checkWritable(p); err != nil {
			return fmt.Errorf("--%s %s: %w", f, p, err)
		}
	}
	if plotPath != "" {
		return checkPlotPath(plotPath)
	}
	return nil
}

// checkWritable checks that path can be written: its directory exists
// and takes a new file (a symlink's target's directory), or it is a device
// or FIFO.
func checkWritable(path string) error { return atomicfile.Check(path) }

// checkPlotPath refuses a plot path without a known picture extension.
func checkPlotPath(path string) error {
	if path == "" {
		return nil
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".svg":
		return nil
	}
	return fmt.Errorf("--plot %s: the picture must be .png or .svg", path)
}

// writeOutput writes b to path atomically, or to w when path is "-".
func writeOutput(path string, w io.Writer, b []byte) error {
	if path == "-" {
		_, err := w.Write(b)
		return err
	}
	if err := atomicfile.WriteFile(path, b); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
