package bench

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestVerdicts reads the targets off hand-made tables: met, not met, a
// missing peer, and allocations.
func TestVerdicts(t *testing.T) {
	g := &GemmTable{NumPy: "skipped: no numpy", Rows: []GemmRow{
		{Dtype: "f32", Shape: GemmTargets[0], Descent: 90, NumPy: 100, Ratio: 0.9, Target: true},
		{Dtype: "f64", Shape: GemmTargets[0], Descent: 50, Target: true},
		{Dtype: "f64", Shape: "16x16x16", Descent: 5, NumPy: 9, Ratio: 0.5},
	}}
	steps := &Table{Rows: []Row{
		{Problem: "mlp-digits", Contender: "descent", Steps: 9, NsPerStep: 200e3, HasAllocs: true},
		{Problem: "mlp-digits", Contender: "numpy", Peer: true, Steps: 9, NsPerStep: 250e3},
		{Problem: "cnn-digits", Contender: "descent", Steps: 9, NsPerStep: 2e6, HasAllocs: true, AllocsPerStep: 1},
		{Problem: "cnn-digits", Contender: "torch", Peer: true, Steps: 9, NsPerStep: 1e6, Note: "best of 1 thread 1.00 ms, 2 threads 9.00 ms"},
		{Problem: "lenet-fashion", Contender: "descent", Unit: "epoch", Skipped: "no Fashion-MNIST"},
		{Problem: "linreg-100000x100", Contender: "descent", Steps: 9, NsPerStep: 4e6, HasAllocs: true},
		{Problem: "linreg-100000x100", Contender: "fused", Handwritten: true, Steps: 9, NsPerStep: 5e6, HasAllocs: true},
	}}
	got := map[string]Target{}
	for _, v := range verdicts(g, steps) {
		got[strings.Fields(v.Name)[0]+" "+strings.Fields(v.Name)[1]+" "+strings.Fields(v.Name)[2]] = v
	}
	check := func(key string, met bool, ratio float64, note string) {
		t.Helper()
		v, ok := got[key]
		switch {
		case !ok:
			t.Errorf("no target %q in %v", key, got)
		case v.Met != met || v.Ratio != ratio || !strings.Contains(v.Note, note):
			t.Errorf("%s: %+v; want met %v, ratio %v, note with %q", key, v, met, ratio, note)
		}
	}
	check("f32 GEMM 1000x1000x1000", true, 0.9, "")
	check("f64 GEMM 1000x1000x1000", false, 0, "no NumPy: skipped")
	check("digits MLP step", true, 0.8, "")
	check("digits CNN step", false, 2, "best of 1 thread")
	check("LeNet-5 Fashion-MNIST epoch", false, 0, "Descent not measured: skipped (no Fashion-MNIST)")
	check("linreg 100000×100 step", true, 0.8, "")
	check("steady-state step: allocations", false, 0, "")
	res := &Targets{Machine: "test", Targets: verdicts(g, steps), Gemm: g, Steps: steps}
	var buf bytes.Buffer
	if _, err := res.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "NOT met") || !strings.Contains(buf.String(), "cnn-digits 1/step") {
		t.Errorf("verdicts:\n%s", buf.String())
	}
	buf.Reset()
	if err := res.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Targets []Target        `json:"targets"`
		Gemm    json.RawMessage `json:"gemm"`
		Steps   json.RawMessage `json:"steps"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Targets) != len(res.Targets) || len(doc.Gemm) == 0 || len(doc.Steps) == 0 {
		t.Errorf("JSON %s", buf.String())
	}
}
