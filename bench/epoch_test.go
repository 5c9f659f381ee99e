package bench

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/descent-ml/descent/data"
)

// TestEpochWithoutDataset points the data directory at an empty one: the
// epoch problem's rows say why they were skipped.
func TestEpochWithoutDataset(t *testing.T) {
	fashion.Lock()
	loaded := fashion.train != nil
	fashion.Unlock()
	if loaded {
		t.Skip("Fashion-MNIST is already loaded in this process")
	}
	t.Setenv(data.DataDirEnv, t.TempDir())
	p, err := ParseProblem("lenet-fashion")
	if err != nil {
		t.Fatal(err)
	}
	row, err := descentEpoch(context.Background(), p, 1)
	if err != nil {
		t.Fatal(err)
	}
	if row.Measured() || !strings.Contains(row.Skipped, "fashion-mnist") {
		t.Errorf("row %+v, want skipped naming the data set", row)
	}
	py := findPythons(context.Background(), "/nonexistent/python3")
	row, err = torchEpoch(context.Background(), py, p, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	if row.Measured() || row.Skipped == "" {
		t.Errorf("torch row %+v, want skipped", row)
	}
}

// TestEpoch trains LeNet-5 for one epoch on Fashion-MNIST, when it is
// installed, through the harness on one thread; with PyTorch, it runs its
// epoch too. Both must learn: the test accuracy after one epoch of Adam is
// far above chance (10%).
func TestEpoch(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a training epoch on 60000 images (minutes under the race detector)")
	}
	if _, _, err := data.MNISTFiles("fashion-mnist", "train"); err != nil {
		t.Skip(err)
	}
	contenders := []string{"descent"}
	if exec.Command("/usr/bin/python3", "-c", "import torch").Run() == nil {
		contenders = append(contenders, "torch")
	}
	var buf bytes.Buffer
	tab, err := Run(context.Background(), Options{Problems: []string{"lenet-fashion"}, Contenders: contenders, Peers: true,
		Python: "/usr/bin/python3", Threads: 1, MinTime: time.Millisecond}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range contenders {
		r, ok := tab.Row("lenet-fashion", c)
		if !ok || !r.Measured() || r.Unit != "epoch" {
			t.Fatalf("%s: %+v", c, r)
		}
		if !strings.Contains(r.Note, "938 steps, test accuracy 8") && !strings.Contains(r.Note, "938 steps, test accuracy 9") {
			t.Errorf("%s: note %q, want 938 steps and a test accuracy of 80%% or more", c, r.Note)
		}
	}
	if !strings.Contains(buf.String(), "/epoch") {
		t.Errorf("table:\n%s", buf.String())
	}
}
