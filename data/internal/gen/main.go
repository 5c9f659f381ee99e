// Command gen writes Descent's built-in datasets into data/builtin/.
//
// It writes the synthetic ones computed by package synth, and with -shared
// it also copies the real ones (diabetes, iris, digits) from a directory of
// scikit-learn exports such as /work/shared/data. From the module root:
//
//	go generate ./data                                  # synthetic files only
//	go run ./data/internal/gen -out data/builtin -shared /work/shared/data
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/descent-ml/descent/data/internal/synth"
)

func main() {
	out := flag.String("out", "builtin", "directory to write the CSV files into")
	shared := flag.String("shared", "", "directory holding diabetes.csv, iris.csv and digits.csv to copy (empty: skip)")
	flag.Parse()
	if err := run(*out, *shared); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out, shared string) error {
	files := synth.Files()
	if shared != "" {
		for _, name := range []string{"diabetes.csv", "iris.csv", "digits.csv"} {
			b, err := os.ReadFile(filepath.Join(shared, name))
			if err != nil {
				return err
			}
			files[name] = b
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(out, name), files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
