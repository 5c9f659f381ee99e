package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

// TestMeasureRounds checks the rounds: every entry measured once per
// round, forward then backward, the fastest round kept with the lowest CPU
// time of any, a failed round losing to a measured one, nil rows dropped.
func TestMeasureRounds(t *testing.T) {
	var order []string
	times := map[string][]float64{"a": {30, 10, 20}, "b": {0, 5, 7}, "c": {1, 1, 1}}
	entries := []entry{}
	for _, name := range []string{"a", "b", "c"} {
		round := 0
		entries = append(entries, entry{name, func(context.Context) (*Row, error) {
			order = append(order, name)
			v := times[name][round]
			round++
			if name == "c" {
				return nil, nil // a contender that does not handle the problem
			}
			r := &Row{Problem: "p", Contender: name, Steps: 1, NsPerStep: v, CPUNsPerStep: 100 - v}
			if v == 0 {
				r.Err = "failed"
			}
			return r, nil
		}})
	}
	rows, err := measureRounds(context.Background(), Problem{Name: "p"}, entries, 3, func(Problem, string) {})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "c", "c", "b", "a", "a", "b", "c"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if len(rows) != 2 || rows[0].Contender != "a" || rows[1].Contender != "b" {
		t.Fatalf("rows %+v", rows)
	}
	if r := rows[0]; r.NsPerStep != 10 || r.CPUNsPerStep != 70 || r.Rounds != 3 {
		t.Errorf("a: %+v, want 10 ns, the lowest CPU time 70, 3 rounds", r)
	}
	if r := rows[1]; r.NsPerStep != 5 || r.Err != "" || r.Rounds != 3 {
		t.Errorf("b: %+v, want the measured 5 ns over the failed round", r)
	}
	stop := errors.New("stop")
	_, err = measureRounds(context.Background(), Problem{}, []entry{{"x", func(context.Context) (*Row, error) { return nil, stop }}}, 2, func(Problem, string) {})
	if err != stop {
		t.Errorf("err %v, want the entry's", err)
	}
}

// TestTableJSON writes a table as JSON and reads it back: every row, with
// its ratios.
func TestTableJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := sampleTable().WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Machine string  `json:"machine"`
		MinTime float64 `json:"min_time_s"`
		Rows    []struct {
			Problem   string             `json:"problem"`
			Contender string             `json:"contender"`
			Ratios    map[string]float64 `json:"ratios"`
			Skipped   string             `json:"skipped"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Machine == "" || doc.MinTime != 1 || len(doc.Rows) != len(sampleTable().Rows) {
		t.Fatalf("JSON %s", buf.String())
	}
	if r := doc.Rows[2]; r.Contender != "gorgonia" || r.Ratios[BestGoName] != 41000.0/30 || r.Ratios["gorgonia"] != 1 {
		t.Errorf("gorgonia row %+v", r)
	}
	if r := doc.Rows[4]; r.Skipped == "" || r.Ratios != nil {
		t.Errorf("torch row %+v", r)
	}
}

func TestThisMachine(t *testing.T) {
	m := ThisMachine()
	if m.CPUs < 1 || m.GOMAXPROCS < 1 || m.Kernel == "" || m.Go == "" {
		t.Errorf("machine %+v", m)
	}
	s := m.String()
	if !bytes.Contains([]byte(s), []byte("GEMM kernel "+m.Kernel)) {
		t.Errorf("String() = %q", s)
	}
}
