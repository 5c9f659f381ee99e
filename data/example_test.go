package data_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/descent-ml/descent/data"
)

func ExampleReadCSV() {
	d, err := data.ReadCSV("testdata/houses.csv", data.CSVOptions{Target: "price"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Name, d.N, "rows of", d.Features, "→", d.Target)
	fmt.Println(d.Row(0), d.Y[0])

	_, err = data.ReadCSV("testdata/houses.csv", data.CSVOptions{Target: "value"})
	fmt.Println(err)
	// Output:
	// houses 3 rows of [rooms area age] → price
	// [3 70.5 12] 210000
	// data: testdata/houses.csv: unknown target column "value" (columns: rooms, area, price, age)
}

func ExampleParseCSV() {
	const good = "x1,x2,y\n1,2,3\n4,5,6\n"
	d, err := data.ParseCSV(strings.NewReader(good), "good.csv", data.CSVOptions{})
	fmt.Println(d.X, d.Y, err)

	const bad = "x1,x2,y\n1,2,3\n4,abc,6\n"
	_, err = data.ParseCSV(strings.NewReader(bad), "bad.csv", data.CSVOptions{})
	fmt.Println(err)
	// Output:
	// [1 2 4 5] [3 6] <nil>
	// data: bad.csv:3:2: non-numeric cell "abc" in column "x2"
}

// A context stops a read that would otherwise wait or run on: Ctrl-C
// cancels it in the CLI.
func ExampleReadCSVContext() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as if Ctrl-C had come
	_, err := data.ReadCSVContext(ctx, "testdata/houses.csv", data.CSVOptions{})
	fmt.Println(err)
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// data: testdata/houses.csv: reading interrupted: context canceled
	// true
}

// What a file may hold is bounded: one record, and the values as a whole.
func ExampleParseCSVContext() {
	opt := data.CSVOptions{MaxRecordBytes: 16}
	_, err := data.ParseCSVContext(context.Background(), strings.NewReader("x,y\n1,2\n12345678,123456789\n"), "wide.csv", opt)
	fmt.Println(err)
	// Numbers are plain decimals: no underscores, hexadecimal or NaN.
	_, err = data.ParseCSV(strings.NewReader("x,y\n1_000,2\n"), "u.csv", data.CSVOptions{})
	fmt.Println(err)
	// Output:
	// data: wide.csv:3: line longer than 16 bytes (the limit for one CSV record, CSVOptions.MaxRecordBytes; is this a CSV file?)
	// data: u.csv:2:1: non-numeric cell "1_000" in column "x"
}

func ExampleBuiltin() {
	d, err := data.Builtin("salary")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Features, d.Target)
	fmt.Println(d.X, d.Y)

	_, err = data.Builtin("housing")
	fmt.Println(err)
	// Output:
	// [years] salary
	// [1 2 4 6 8] [40000 50000 70000 90000 110000]
	// data: unknown built-in dataset "housing" (have: diabetes, digits, iris, line, linear-300, multi, noisy-line, parabola, salary)
}

func ExampleBuiltinNames() {
	fmt.Println(data.BuiltinNames())
	// Output:
	// [diabetes digits iris line linear-300 multi noisy-line parabola salary]
}

func ExampleDataset_Classes() {
	d, _ := data.Builtin("iris")
	fmt.Println(d.Classes())

	bad, _ := data.ParseCSV(strings.NewReader("x,label\n1,0\n2,1.5\n"), "labels.csv", data.CSVOptions{})
	_, err := bad.Classes()
	fmt.Println(err)

	// A regression target read as classes: 300 rows of labels up to 60000
	// would need a one-hot target of 18 million values.
	var sb strings.Builder
	sb.WriteString("x,price\n")
	for i := range 300 {
		fmt.Fprintf(&sb, "%d,%d\n", i, 200*i)
	}
	prices, _ := data.ParseCSV(strings.NewReader(sb.String()), "prices.csv", data.CSVOptions{})
	_, err = prices.Classes()
	fmt.Println(err)
	// Output:
	// 3 <nil>
	// data: labels.csv:3: class label in column "label" must be an integer 0, 1, 2, …, got 1.5
	// data: prices.csv:301: class label 59800 in column "price" would need a one-hot target of 300 rows × 59801 classes = 17940300 values, more than 16777216 (MaxOneHotValues)
}

func ExampleDataset_Row() {
	d, _ := data.Builtin("multi")
	fmt.Println(d.Features, d.Row(0), d.Y[0])
	// Output:
	// [x1 x2 x3] [1.549 -1.979 0.109] 12.5721
}

func ExampleDataset_Subset() {
	d, _ := data.Builtin("line")
	s := d.Subset([]int{4, 0})
	fmt.Println(s.N, s.X, s.Y)
	// Output:
	// 2 [5 1] [11 3]
}

func ExampleDataset_Gather() {
	d, _ := data.Builtin("line")
	X, Y := make([]float64, 2*d.D), make([]float64, 2) // reused for every batch
	for _, batch := range [][]int{{0, 1}, {2, 3}, {4}} {
		m := len(batch)
		d.Gather(batch, X, Y)
		fmt.Println(X[:m*d.D], Y[:m])
	}
	// Output:
	// [1 2] [3 5]
	// [3 4] [7 9]
	// [5] [11]
}

func ExampleFitStats() {
	d, _ := data.Builtin("salary")
	s := data.FitStats(d.X, d.N, d.D)
	fmt.Printf("mean %.4g, std %.4g\n", s.Mean[0], s.Std[0])

	// A constant column gets Std 1: it is centred, not divided by zero.
	c := data.FitStats([]float64{7, 7, 7}, 3, 1)
	fmt.Println(c.Mean, c.Std)
	// Output:
	// mean 4.2, std 2.561
	// [7] [1]
}

func ExampleStats_Apply() {
	X := []float64{1, 10, 3, 30} // 2 rows × 2 columns
	s := data.FitStats(X, 2, 2)
	fmt.Println(s.Apply(X, 2), X)
	fmt.Println(s.Apply(make([]float64, 6), 3))
	// Output:
	// <nil> [-1 -1 1 1]
	// data: stats for 2 features do not fit data of 2 rows × 3 columns
}

func ExampleStats_Invert() {
	s := data.Stats{Mean: []float64{4.2}, Std: []float64{2}}
	z := []float64{-1, 0, 1}
	fmt.Println(s.Invert(z, 1), z)
	// Output:
	// <nil> [2.2 4.2 6.2]
}

func ExampleSplit() {
	d, _ := data.Builtin("linear-300")
	train, val, err := data.Split(d, 0.2, 1)
	fmt.Println(train.N, val.N, err)

	_, _, err = data.Split(d, 1.5, 1)
	fmt.Println(err)
	// Output:
	// 240 60 <nil>
	// data: validation fraction must be in [0,1), got 1.5
}

func ExampleNewBatcher() {
	b, err := data.NewBatcher(5, 2, false, 0) // mini-batches of 2, in order
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.Epoch())

	full, _ := data.NewBatcher(5, 0, false, 0) // batch size 0: one full batch
	fmt.Println(full.Epoch())

	_, err = data.NewBatcher(10, 64, true, 1)
	fmt.Println(err)
	// Output:
	// [[0 1] [2 3] [4]]
	// [[0 1 2 3 4]]
	// data: batch size 64 needs at least 64 rows, the data has 10
}

func ExampleBatcher_Epoch() {
	b, _ := data.NewBatcher(6, 4, true, 42) // shuffled each epoch, last batch partial
	for range 2 {
		var sizes []int
		for _, idx := range b.Epoch() { // idx is b's: read it, do not keep or modify it
			sizes = append(sizes, len(idx))
		}
		fmt.Println(sizes)
	}
	// Output:
	// [4 2]
	// [4 2]
}
