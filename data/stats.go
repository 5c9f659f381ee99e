package data

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// Stats are per-feature standardization statistics: the z-score of feature
// j is z = (x − Mean[j]) / Std[j]. Keep them with a trained model so that
// new inputs are scaled exactly as the training data was.
type Stats struct {
	Mean, Std []float64
}

// FitStats computes the column means and population standard deviations of
// the n×d row-major matrix X:
//
//	Mean[j] = (1/n) Σᵢ X[i,j]
//	Std[j]  = √((1/n) Σᵢ (X[i,j] − Mean[j])²)
//
// (divide by n, not n−1, as scikit-learn's StandardScaler does). A constant
// column, whose values are all equal, gets Std 1 so that Apply only centres
// it instead of dividing by zero. With n = 0 every Mean is 0 and every Std 1,
// the identity transform. FitStats panics if len(X) < n·d.
func FitStats(X []float64, n, d int) Stats {
	if n < 0 || d < 0 || len(X) < n*d {
		panic(fmt.Sprintf("data: FitStats of %d×%d needs len(X) >= %d, got %d", n, d, n*d, len(X)))
	}
	s := Stats{Mean: make([]float64, d), Std: make([]float64, d)}
	col := make([]float64, n)
	for j := range d {
		for i := range n {
			col[i] = X[i*d+j]
		}
		s.Std[j] = 1
		if n == 0 {
			continue
		}
		if floats.Min(col) == floats.Max(col) {
			s.Mean[j] = col[0]
			continue
		}
		s.Mean[j], s.Std[j] = stat.PopMeanStdDev(col, nil)
	}
	return s
}

// Apply standardizes the row-major matrix X of d columns in place:
// X[i,j] ← (X[i,j] − Mean[j]) / Std[j]. It returns an error, and leaves X
// untouched, when the shapes disagree or a statistic is unusable (a Std
// that is not positive and finite, a non-finite Mean).
func (s Stats) Apply(X []float64, d int) error {
	if err := s.check(X, d); err != nil {
		return err
	}
	for i := 0; i < len(X); i += d {
		row := X[i : i+d]
		for j := range row {
			row[j] = (row[j] - s.Mean[j]) / s.Std[j]
		}
	}
	return nil
}

// Invert undoes Apply in place: X[i,j] ← X[i,j]·Std[j] + Mean[j]. Its errors
// are Apply's.
func (s Stats) Invert(X []float64, d int) error {
	if err := s.check(X, d); err != nil {
		return err
	}
	for i := 0; i < len(X); i += d {
		row := X[i : i+d]
		for j := range row {
			row[j] = row[j]*s.Std[j] + s.Mean[j]
		}
	}
	return nil
}

func (s Stats) check(X []float64, d int) error {
	if len(s.Mean) != len(s.Std) {
		return fmt.Errorf("data: stats have %d means but %d standard deviations", len(s.Mean), len(s.Std))
	}
	if d <= 0 {
		return fmt.Errorf("data: column count must be positive, got %d", d)
	}
	if len(X)%d != 0 {
		return fmt.Errorf("data: data of length %d is not a whole number of rows of %d columns", len(X), d)
	}
	if d != len(s.Mean) {
		return fmt.Errorf("data: stats for %d features do not fit data of %d rows × %d columns", len(s.Mean), len(X)/d, d)
	}
	for j := range s.Std {
		if !(s.Std[j] > 0) || math.IsInf(s.Std[j], 0) {
			return fmt.Errorf("data: std of feature %d must be positive and finite, got %v", j+1, s.Std[j])
		}
		if math.IsNaN(s.Mean[j]) || math.IsInf(s.Mean[j], 0) {
			return fmt.Errorf("data: mean of feature %d must be finite, got %v", j+1, s.Mean[j])
		}
	}
	return nil
}
