package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseGemmShape(t *testing.T) {
	tests := []struct {
		name    string
		m, n, k int
		ta, tb  bool
		err     string
	}{
		{"1000x1000x1000", 1000, 1000, 1000, false, false, ""},
		{"128x784.784x256", 128, 256, 784, false, false, ""},
		{"64x128T.128x10", 64, 10, 128, true, false, ""},
		{"300", 300, 300, 300, false, false, ""},
		{"5x7.7x3T", 5, 3, 7, false, true, ""},
		{"5x7.8x3", 0, 0, 0, false, false, "inner sizes 7 and 8 differ"},
		{"5x7", 0, 0, 0, false, false, "no '.' between the two factors"},
		{"0", 0, 0, 0, false, false, "a size must be in [1, 16384]"},
		{"5x0.0x3", 0, 0, 0, false, false, "each factor must be RxC"},
		{"5x99999.99999x3", 0, 0, 0, false, false, "a size must be in [1, 16384]"},
	}
	for _, tt := range tests {
		s, err := ParseGemmShape(tt.name)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(err.Error(), `bench: product "`+tt.name+`"`) {
				t.Errorf("ParseGemmShape(%q) error %v, want one saying %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || s.M != tt.m || s.N != tt.n || s.K != tt.k || s.TransA != tt.ta || s.TransB != tt.tb {
			t.Errorf("ParseGemmShape(%q) = %+v, %v", tt.name, s, err)
		}
	}
	for _, name := range append(GemmShapes(), GemmTargets...) {
		if _, err := ParseGemmShape(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestRunGemm times small products without NumPy: every row has a figure
// for every round, no ratio, and no verdict; the JSON says the same.
func TestRunGemm(t *testing.T) {
	var buf bytes.Buffer
	tab, err := RunGemm(context.Background(), GemmOptions{Shapes: []string{"16x16x16", "8x12T.12x4"}, MinTime: 3 * time.Millisecond,
		Rounds: 2, NoPeers: true}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 4 {
		t.Fatalf("%d rows, want 2 products × 2 dtypes", len(tab.Rows))
	}
	for _, r := range tab.Rows {
		if !(r.Descent > 0) || len(r.DescentRuns) != 2 || r.NumPy != 0 || r.Ratio != 0 || r.Target || r.Met() {
			t.Errorf("row %+v", r)
		}
	}
	if !strings.Contains(buf.String(), "peer: not run") || !strings.Contains(buf.String(), "8x12T.12x4") {
		t.Errorf("table:\n%s", buf.String())
	}
	var js bytes.Buffer
	if err := tab.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rounds int `json:"rounds"`
		Rows   []struct {
			Dtype   string  `json:"dtype"`
			Descent float64 `json:"descent_gflops"`
			Met     bool    `json:"met"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Rounds != 2 || len(doc.Rows) != 4 || doc.Rows[0].Dtype != "f32" || !(doc.Rows[0].Descent > 0) {
		t.Errorf("JSON %s", js.String())
	}
}

func TestRunGemmBadOptions(t *testing.T) {
	for _, tt := range []struct {
		opt  GemmOptions
		want string
	}{
		{GemmOptions{Shapes: []string{"nope"}}, `bench: product "nope"`},
		{GemmOptions{Dtypes: []string{"f16"}}, `bench: dtype must be "f32" or "f64", got "f16"`},
		{GemmOptions{MinTime: -1}, "bench: min time must be ≥ 0"},
		{GemmOptions{Rounds: -1}, "bench: rounds must be ≥ 0, got -1"},
		{GemmOptions{Threads: -1}, "bench: threads must be ≥ 0, got -1"},
	} {
		if _, err := RunGemm(context.Background(), tt.opt, &bytes.Buffer{}); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%+v: err %v, want prefix %q", tt.opt, err, tt.want)
		}
	}
}

// TestGemmVerdict checks a target product's verdict against the ratio.
func TestGemmVerdict(t *testing.T) {
	tab := &GemmTable{Rounds: 1, Threads: 2, Rows: []GemmRow{
		{Dtype: "f64", Shape: GemmTargets[0], Descent: 80, NumPy: 100, Ratio: 0.8, Target: true},
		{Dtype: "f64", Shape: GemmTargets[1], Descent: 60, NumPy: 100, Ratio: 0.6, Target: true},
		{Dtype: "f64", Shape: GemmTargets[2], Descent: 60, Target: true},
		{Dtype: "f64", Shape: "16x16x16", Descent: 1, NumPy: 10, Ratio: 0.1},
	}}
	var buf bytes.Buffer
	if _, err := tab.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"0.80  met (≥ 0.70)", "0.60  NOT met (≥ 0.70)", "no peer"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if !tab.Rows[0].Met() || tab.Rows[1].Met() || tab.Rows[2].Met() || tab.Rows[3].Met() {
		t.Error("Met disagrees with the ratios")
	}
}
