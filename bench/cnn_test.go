package bench

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"
	"time"
)

// TestNetParams checks the digits CNN's parameters: PyTorch's names and
// layouts, each weight's fan-in, each bias taking its weight's.
func TestNetParams(t *testing.T) {
	p, err := ParseProblem("cnn-digits")
	if err != nil {
		t.Fatal(err)
	}
	got, err := netParams(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []netParam{
		{"0.weight", []int{16, 1, 3, 3}, 9}, {"0.bias", []int{16}, 9},
		{"3.weight", []int{32, 16, 3, 3}, 144}, {"3.bias", []int{32}, 144},
		{"7.weight", []int{10, 128}, 128}, {"7.bias", []int{10}, 128},
	}
	if len(got) != len(want) {
		t.Fatalf("parameters %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Name != want[i].Name || got[i].Fan != want[i].Fan || !equalInts(got[i].Shape, want[i].Shape) {
			t.Errorf("parameter %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestNetInit checks the starting values' formula against its terms: the
// scale 1/√fan, a fresh copy on every call, and values that differ from
// parameter to parameter.
func TestNetInit(t *testing.T) {
	params := []netParam{{"a", []int{2, 3}, 4}, {"b", []int{2}, 4}}
	v := netInit(params)
	if len(v["a"]) != 6 || len(v["b"]) != 2 {
		t.Fatalf("sizes %d and %d, want 6 and 2", len(v["a"]), len(v["b"]))
	}
	for l, name := range []string{"a", "b"} {
		for i, got := range v[name] {
			fi, fl := float64(i), float64(l)
			want := math.Sin(0.9*fi+0.013*fi*(fl+1)+0.61*fl+1) / 2
			if math.Abs(got-want) > 1e-15 {
				t.Errorf("%s[%d] = %v, want %v", name, i, got, want)
			}
		}
	}
	v["a"][0] = 99
	if netInit(params)["a"][0] == 99 {
		t.Error("netInit returned shared storage")
	}
}

// TestRunNetwork runs the digits CNN's float32 step in the harness: it is
// measured, allocates nothing, and after the check steps agrees with
// Descent's float64 step to float32's tolerance.
func TestRunNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a CNN")
	}
	var buf bytes.Buffer
	tab, err := Run(context.Background(), Options{Problems: []string{"cnn-digits"}, MinTime: 300 * time.Millisecond}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := tab.Row("cnn-digits", "descent")
	if !ok || !r.Measured() || !r.Checked {
		t.Fatalf("descent row: %+v", r)
	}
	if r.Tolerance != CheckTolerance32 || r.LossRelDiff > r.Tolerance {
		t.Errorf("check: |Δloss|/loss %.2g, tolerance %g", r.LossRelDiff, r.Tolerance)
	}
	if !raceEnabled && r.AllocsPerStep != 0 {
		t.Errorf("a steady-state step allocates %v times", r.AllocsPerStep)
	}
	if !strings.Contains(r.Note, "best of 1 thread") && r.Note != "" {
		t.Errorf("note %q", r.Note)
	}
	for _, c := range []string{"handgo", "fused", "gorgonia"} {
		if _, ok := tab.Row("cnn-digits", c); ok {
			t.Errorf("%s has a cnn-digits row; it handles dense problems only", c)
		}
	}
}
