package bench

import (
	"bytes"
	"testing"
	"time"
)

func sampleTable() *Table {
	return &Table{
		Machine: "go1.x test/arch, 2 CPUs", Peers: []string{"numpy 1.0 (python3)"},
		MinTime: time.Second, CheckSteps: 5,
		Rows: []Row{
			{Problem: "linreg-5x1", Contender: "handgo", Handwritten: true, Steps: 10, NsPerStep: 30, HasAllocs: true, Checked: true},
			{Problem: "linreg-5x1", Contender: "fused", Handwritten: true, Steps: 10, NsPerStep: 60, HasAllocs: true, Checked: true, LossRelDiff: 2e-16},
			{Problem: "linreg-5x1", Contender: "gorgonia", Steps: 10, NsPerStep: 41000, AllocsPerStep: 258, BytesPerStep: 7400, HasAllocs: true, Checked: true},
			{Problem: "linreg-5x1", Contender: "numpy", Peer: true, Steps: 10, NsPerStep: 8100, Checked: true, LossRelDiff: 3e-3},
			{Problem: "linreg-5x1", Contender: "torch", Peer: true, Skipped: "torch is not importable"},
			{Problem: "big", Contender: "handgo", Handwritten: true, Steps: 3, NsPerStep: 21e6, HasAllocs: true, Checked: true},
			{Problem: "big", Contender: "gorgonia", Err: "bench: gorgonia: out of memory"},
		},
	}
}

func TestTableRatios(t *testing.T) {
	tab := sampleTable()
	tests := []struct {
		problem, contender, than string
		want                     float64
		ok                       bool
	}{
		{"linreg-5x1", "gorgonia", BestGoName, 41000.0 / 30, true},
		{"linreg-5x1", "fused", "handgo", 2, true},
		{"linreg-5x1", "handgo", "numpy", 30.0 / 8100, true},
		{"linreg-5x1", "handgo", "torch", 0, false},
		{"big", "gorgonia", BestGoName, 0, false},
		{"big", "handgo", "numpy", 0, false},
	}
	for _, tt := range tests {
		got, ok := tab.Ratio(tt.problem, tt.contender, tt.than)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Ratio(%s, %s, %s) = %v, %v; want %v, %v", tt.problem, tt.contender, tt.than, got, ok, tt.want, tt.ok)
		}
	}
	if best, _ := tab.Row("linreg-5x1", BestGoName); best.Contender != "handgo" {
		t.Errorf("best Go = %s, want handgo", best.Contender)
	}
}

// TestTableText keeps the rendering in testdata/table.golden.
func TestTableText(t *testing.T) {
	var buf bytes.Buffer
	if _, err := sampleTable().WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "table.golden", buf.String())
}
