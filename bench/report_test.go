package bench

import (
	"context"
	"flag"
	"os"
	"testing"
	"time"
)

var report = flag.Bool("report", false, "run the full harness with the Python peers and print its table")

// TestReport prints the harness table for DefaultProblems with the peers
// until `descent bench` does:
//
//	go test ./bench -run TestReport -count=1 -v -timeout 30m -args -report
func TestReport(t *testing.T) {
	if !*report {
		t.Skip("needs -report")
	}
	tab, err := Run(context.Background(), Options{Peers: true, MinTime: time.Second, Progress: os.Stderr}, os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tab.Rows {
		if r.Err != "" || (r.Checked && r.LossRelDiff > CheckTolerance) {
			t.Errorf("%s/%s: %s", r.Problem, r.Contender, r.note())
		}
	}
}
