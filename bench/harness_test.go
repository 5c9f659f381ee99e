package bench

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestRunTiny(t *testing.T) {
	var buf bytes.Buffer
	problems := []string{"linreg-5x1", "mlp-30x4-6x3"}
	tab, err := Run(context.Background(), Options{Problems: problems, MinTime: 5 * time.Millisecond}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "time/step") || !strings.Contains(out, "vs "+BestGoName) {
		t.Errorf("no table header in:\n%s", out)
	}
	for _, p := range problems {
		for _, c := range Contenders() {
			r, ok := tab.Row(p, c.Name)
			if !ok {
				continue // a contender may not support the kind
			}
			if !r.Measured() || r.Steps < 1 || !r.HasAllocs {
				t.Errorf("%s/%s: not measured: %+v", p, c.Name, r)
			}
			if !r.Checked || r.LossRelDiff > CheckTolerance {
				t.Errorf("%s/%s: check failed: %+v", p, c.Name, r)
			}
			if !strings.Contains(out, c.Name) {
				t.Errorf("table lacks %s", c.Name)
			}
		}
		for _, c := range []string{"handgo", "fused", "gorgonia"} {
			if _, ok := tab.Row(p, c); !ok {
				t.Errorf("%s: no %s row", p, c)
			}
		}
		if r, ok := tab.Ratio(p, "fused", "fused"); !ok || r != 1 {
			t.Errorf("%s: Ratio(fused, fused) = %v, %v", p, r, ok)
		}
		if _, ok := tab.Row(p, "numpy"); ok {
			t.Errorf("%s: numpy row with Peers off", p)
		}
	}
	if r, _ := tab.Row("linreg-5x1", "handgo"); r.AllocsPerStep != 0 {
		t.Errorf("handgo allocates %.2f times per step", r.AllocsPerStep)
	}
}

func TestRunPeersSkippedWithoutPython(t *testing.T) {
	var buf bytes.Buffer
	tab, err := Run(context.Background(), Options{
		Problems: []string{"linreg-5x1"}, Contenders: []string{"handgo", "numpy", "torch"},
		Peers: true, MinTime: time.Millisecond, Python: "/nonexistent/python3",
	}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, peer := range []string{"numpy", "torch"} {
		r, ok := tab.Row("linreg-5x1", peer)
		if !ok {
			t.Fatalf("no %s row", peer)
		}
		if r.Measured() || !strings.Contains(r.Skipped, "/nonexistent/python3") || r.Err != "" {
			t.Errorf("%s: want a skipped row naming the interpreter, got %+v", peer, r)
		}
	}
	if !strings.Contains(buf.String(), "skipped (no Python that imports numpy") {
		t.Errorf("table does not say why numpy was skipped:\n%s", buf.String())
	}
}

func TestRunBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
		want string
	}{
		{"problem", Options{Problems: []string{"linreg-0x1"}}, `bench: problem "linreg-0x1"`},
		{"contender", Options{Contenders: []string{"nope"}}, `bench: unknown contender "nope"`},
		{"min time", Options{MinTime: -time.Second}, "bench: min time must be ≥ 0, got -1s"},
		{"threads", Options{Threads: -2}, "bench: threads must be ≥ 0, got -2"},
		{"check steps", Options{CheckSteps: -1}, "bench: check steps must be ≥ 0, got -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), tt.opt, &bytes.Buffer{})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, Options{Problems: []string{"linreg-5x1"}, MinTime: time.Hour}, &bytes.Buffer{})
	if err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestPeersAgree runs the Python peers when /usr/bin/python3 has numpy:
// each must land on the same loss as handgo. Go tests never need Python,
// so without it the test is skipped.
func TestPeersAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Python")
	}
	const python = "/usr/bin/python3"
	if exec.Command(python, "-c", "import numpy").Run() != nil {
		t.Skip(python + " cannot import numpy")
	}
	problems := []string{"linreg-50x3", "logreg-60x4", "softmax-60x4x3", "mlp-300x8-16-12x5"}
	tab, err := Run(context.Background(), Options{
		Problems: problems, Contenders: []string{"handgo", "numpy", "torch"},
		Peers: true, MinTime: 20 * time.Millisecond, Python: python,
	}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		for _, peer := range []string{"numpy", "torch"} {
			r, ok := tab.Row(p, peer)
			switch {
			case !ok:
				t.Errorf("%s: no %s row", p, peer)
			case r.Skipped != "":
				t.Logf("%s/%s: %s", p, peer, r.Skipped)
			case r.Err != "" || !r.Checked || r.LossRelDiff > CheckTolerance || r.ParamRelDiff > 1e-8:
				t.Errorf("%s/%s: %+v", p, peer, r)
			}
		}
	}
}

// TestNetworkPeerAgrees runs the PyTorch peer on the digits CNN, when
// /usr/bin/python3 has torch: from the same parameters and batches, its
// float32 step must land on the loss of Descent's float64 reference.
func TestNetworkPeerAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Python")
	}
	const python = "/usr/bin/python3"
	if exec.Command(python, "-c", "import torch").Run() != nil {
		t.Skip(python + " cannot import torch")
	}
	tab, err := Run(context.Background(), Options{
		Problems: []string{"cnn-digits"}, Contenders: []string{"torch"},
		Peers: true, MinTime: 20 * time.Millisecond, Python: python, Threads: 1,
	}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := tab.Row("cnn-digits", "torch")
	if !ok || r.Err != "" || !r.Checked || r.Tolerance != CheckTolerance32 || r.LossRelDiff > r.Tolerance {
		t.Errorf("torch row %+v", r)
	}
}
