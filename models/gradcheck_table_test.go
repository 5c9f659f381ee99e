package models

import (
	"strconv"
	"testing"
)

func TestGradCheckTable(t *testing.T) {
	rows, err := GradCheck(CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 30 {
		t.Fatalf("gradcheck produced %d rows, want every pair in both dtypes", len(rows))
	}
	for _, r := range rows {
		h := "-"
		if r.HandErr != nil {
			h = fmtE(*r.HandErr)
		}
		t.Logf("%-16s %-9s %-7s hand %-9s fd %s", r.Model, r.Loss, r.Dtype, h, fmtE(r.FDErr))
		if !r.Pass {
			t.Errorf("%s/%s/%s exceeds tolerance: hand %s (tol %g), fd %g (tol %g)", r.Model, r.Loss, r.Dtype, h, r.HandTol, r.FDErr, r.FDTol)
		}
	}
}

func fmtE(v float64) string { return strconv.FormatFloat(v, 'e', 1, 64) }
