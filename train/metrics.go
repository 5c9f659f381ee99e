package train

import (
	"fmt"
	"math"
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

// Accuracy is the fraction of rows whose predicted class equals the label.
// With k = 1 the prediction is a logit and the class is 1 when it is > 0;
// otherwise it is the argmax of the row's k logits.
func Accuracy(logits, labels []float64, k int) (float64, error) {
	if k < 1 || len(logits) != len(labels)*k || len(labels) == 0 {
		return 0, fmt.Errorf("train: accuracy needs %d logits per label, got %d logits for %d labels", k, len(logits), len(labels))
	}
	right := 0
	for i, l := range labels {
		var c int
		if k == 1 {
			if logits[i] > 0 {
				c = 1
			}
		} else {
			row := logits[i*k : i*k+k]
			for j, v := range row {
				if v > row[c] {
					c = j
				}
			}
		}
		if float64(c) == l {
			right++
		}
	}
	return float64(right) / float64(len(labels)), nil
}

func expDiff(a, b float64) float64 { return math.Exp(a - b) }
