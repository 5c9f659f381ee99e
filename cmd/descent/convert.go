package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/data"
)

func newConvert() *cobra.Command {
	var in, out string
	var float32 bool
	cmd := &cobra.Command{
		Use:   "convert",
		Short: "Convert a CSV file to a row file, which --stream reads much faster than text",
		Long: `Convert reads a CSV file with a header row, in 2 MiB chunks decoded in
parallel, and writes a row file: a small header (magic bytes, version, value size,
column names, row count, checksum) and then the values, row after row, in float64
(default) or float32 (--float32, half the size; values are rounded to float32).
Every column is kept, in file order, so any column can be the target later.
train, predict and --stream read row files wherever they read CSV.`,
		Example: `  descent convert --data docs/data/houses.csv --out houses.rows
  descent train --data houses.rows --stream --standardize --batch-size 32 --epochs 200`,
		Args: cobra.NoArgs,
	}
	fs := cmd.Flags()
	fs.StringVar(&in, "data", "", "the CSV file to convert")
	fs.StringVar(&out, "out", "", "the row file to write (atomically)")
	fs.BoolVar(&float32, "float32", false, "store float32 values (half the size, rounded) instead of float64")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if in == "" || out == "" {
			return fmt.Errorf("convert needs --data IN.csv and --out OUT.rows")
		}
		if err := checkOutputs(map[string]string{"out": out}, ""); err != nil {
			return err
		}
		size := 8
		if float32 {
			size = 4
		}
		start := time.Now()
		rows, bytes, err := convertCSV(in, out, size)
		if err != nil {
			return err
		}
		sec := time.Since(start).Seconds()
		fmt.Fprintf(cmd.OutOrStdout(), "%s: %d rows, %.1f MB of CSV in %.2fs (%.0f rows/s, %.3f GB/s); wrote %s\n",
			in, rows, float64(bytes)/1e6, sec, float64(rows)/sec, float64(bytes)/1e9/sec, out)
		return nil
	}
	return cmd
}

// convertCSV streams the CSV file in into a row file of values of size
// bytes, every column in file order, and returns the rows and the CSV's
// bytes.
func convertCSV(in, out string, size int) (int64, int64, error) {
	if data.IsRowFile(in) {
		return 0, 0, fmt.Errorf("convert: %s is already a row file", in)
	}
	st, err := data.OpenStream(in, data.StreamOptions{})
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	w, err := data.CreateRowFile(out, append(append([]string(nil), st.Features...), st.Target), size)
	if err != nil {
		return 0, 0, err
	}
	p := st.Pass(0, false, data.AllRows)
	defer p.Close()
	const block = 4096
	X, y := make([]float64, block*st.D), make([]float64, block)
	row := make([]float64, st.D+1)
	for {
		n, err := p.Read(X, y)
		for i := range n {
			copy(row, X[i*st.D:(i+1)*st.D])
			row[st.D] = y[i]
			if err := w.Write(row); err != nil {
				w.Abort()
				return 0, 0, err
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			w.Abort()
			return 0, 0, err
		}
	}
	if w.Rows() == 0 {
		w.Abort()
		return 0, 0, fmt.Errorf("data: %s: no data rows after the header", in)
	}
	if err := w.Close(); err != nil {
		return 0, 0, err
	}
	return w.Rows(), st.Size(), nil
}
