package train

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
)

// R2 is the coefficient of determination 1 − Σ(y−ŷ)²/Σ(y−ȳ)² of a
// single-output regression. It is NaN when y is constant.
func R2(pred, y []float64) (float64, error) {
	if len(pred) != len(y) || len(y) == 0 {
		return 0, fmt.Errorf("train: R² needs predictions and targets of one length, got %d and %d", len(pred), len(y))
	}
	var mean float64
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	var res, tot float64
	for i, v := range y {
		res += (v - pred[i]) * (v - pred[i])
		tot += (v - mean) * (v - mean)
	}
	if tot == 0 {
		return math.NaN(), nil
	}
	return 1 - res/tot, nil
}

// RMSE is the root mean squared error √((1/n)·Σ(y−ŷ)²).
func RMSE(pred, y []float64) (float64, error) {
	if len(pred) != len(y) || len(y) == 0 {
		return 0, fmt.Errorf("train: RMSE needs predictions and targets of one length, got %d and %d", len(pred), len(y))
	}
	var s float64
	for i, v := range y {
		s += (v - pred[i]) * (v - pred[i])
	}
	return math.Sqrt(s / float64(len(y))), nil
}

// MAE is the mean absolute error (1/n)·Σ|y−ŷ|.
func MAE(pred, y []float64) (float64, error) {
	if len(pred) != len(y) || len(y) == 0 {
		return 0, fmt.Errorf("train: MAE needs predictions and targets of one length, got %d and %d", len(pred), len(y))
	}
	var s float64
	for i, v := range y {
		s += math.Abs(v - pred[i])
	}
	return s / float64(len(y)), nil
}

// Classify returns each row's predicted class: with k = 1 the prediction
// is a logit and the class is 1 when it is > 0; otherwise the argmax of
// the row's k logits (the first on a tie).
func Classify(logits []float64, k int) []int {
	if k < 1 {
		return nil
	}
	n := len(logits) / k
	out := make([]int, n)
	for i := range out {
		if k == 1 {
			if logits[i] > 0 {
				out[i] = 1
			}
			continue
		}
		row := logits[i*k : i*k+k]
		c := 0
		for j, v := range row {
			if v > row[c] {
				c = j
			}
		}
		out[i] = c
	}
	return out
}

// Accuracy is the fraction of rows whose predicted class equals the label.
func Accuracy(logits, labels []float64, k int) (float64, error) {
	if k < 1 || len(logits) != len(labels)*k || len(labels) == 0 {
		return 0, fmt.Errorf("train: accuracy needs %d logits per label, got %d logits for %d labels", k, len(logits), len(labels))
	}
	right := 0
	for i, c := range Classify(logits, k) {
		if float64(c) == labels[i] {
			right++
		}
	}
	return float64(right) / float64(len(labels)), nil
}

// Confusion is a confusion matrix: Counts[i][j] rows of class i were
// predicted as class j.
type Confusion struct {
	Counts [][]int `json:"counts"`
}

// NewConfusion counts a classifier's predictions against the labels; k is
// the number of logits per row (1 for a binary logit, which has 2 classes).
func NewConfusion(logits, labels []float64, k int) (*Confusion, error) {
	if k < 1 || len(logits) != len(labels)*k || len(labels) == 0 {
		return nil, fmt.Errorf("train: a confusion matrix needs %d logits per label, got %d logits for %d labels", k, len(logits), len(labels))
	}
	classes := max(k, 2)
	c := &Confusion{Counts: make([][]int, classes)}
	for i := range c.Counts {
		c.Counts[i] = make([]int, classes)
	}
	for i, p := range Classify(logits, k) {
		l := labels[i]
		if l < 0 || l >= float64(classes) || l != math.Trunc(l) {
			return nil, fmt.Errorf("train: label %v of row %d is not a class 0..%d", l, i, classes-1)
		}
		c.Counts[int(l)][p]++
	}
	return c, nil
}

// Write prints the matrix with the true class down and the prediction
// across, and each class's recall.
func (c *Confusion) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "true\\pred\t")
	for j := range c.Counts {
		fmt.Fprintf(tw, "%d\t", j)
	}
	fmt.Fprint(tw, "recall\t\n")
	for i, row := range c.Counts {
		fmt.Fprintf(tw, "%d\t", i)
		total := 0
		for _, v := range row {
			fmt.Fprintf(tw, "%d\t", v)
			total += v
		}
		recall := "-"
		if total > 0 {
			recall = strconv.FormatFloat(100*float64(row[i])/float64(total), 'f', 1, 64) + "%"
		}
		fmt.Fprintf(tw, "%s\t\n", recall)
	}
	return tw.Flush()
}
