package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/internal/gemm"
	"github.com/descent-ml/descent/job"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// An epoch problem (lenet-fashion) times one whole training epoch on a
// real data set, Fashion-MNIST's 60000 training images, as `descent train`
// runs it: Descent through package job and train.Run, PyTorch through
// bench/peers/torch_lenet.py, each at batch Problem.Batch with Adam at
// Problem.LR in float32, data loading excluded. Both then score the test
// set once, untimed, and the note gives the test accuracy, a check that
// both trained: their shuffles differ, so no loss is compared.

// fashion caches Fashion-MNIST's splits for the process once read: 60000
// images take a few seconds. A failure is not cached.
var fashion struct {
	sync.Mutex
	train, test *data.Dataset
}

func loadFashion() (*data.Dataset, *data.Dataset, error) {
	fashion.Lock()
	defer fashion.Unlock()
	if fashion.train == nil {
		tr, err := data.LoadMNIST("fashion-mnist", "train")
		if err != nil {
			return nil, nil, err
		}
		te, err := data.LoadMNIST("fashion-mnist", "test")
		if err != nil {
			return nil, nil, err
		}
		fashion.train, fashion.test = tr, te
	}
	return fashion.train, fashion.test, nil
}

// epochEntries are an epoch problem's rows: Descent, and PyTorch with the
// peers.
func epochEntries(p Problem, opt Options, py *pythons, want func(string) bool) []entry {
	var out []entry
	if want(descentContender.Name) {
		out = append(out, entry{descentContender.Name, func(ctx context.Context) (*Row, error) {
			var best *Row
			var times []threadTime
			for _, t := range peerThreads(p, opt.Threads) {
				prev := gemm.SetThreads(t)
				row, err := descentEpoch(ctx, p, t)
				gemm.SetThreads(prev)
				if err != nil || !row.Measured() {
					return row, err
				}
				times = append(times, threadTime{Threads: t, USPerStep: row.NsPerStep / 1e3})
				if best == nil || row.NsPerStep < best.NsPerStep {
					best = row
				}
			}
			if s := (&peerResult{ByThreads: times}).byThreads(); s != "" {
				best.Note += "; " + s
			}
			return best, nil
		}})
	}
	if opt.Peers && want("torch") {
		out = append(out, entry{"torch", func(ctx context.Context) (*Row, error) {
			return torchEpoch(ctx, py, p, peerThreads(p, opt.Threads))
		}})
	}
	return out
}

// descentEpoch trains a fresh model for one epoch on the given number of
// executor workers and times train.Run.
func descentEpoch(ctx context.Context, p Problem, workers int) (*Row, error) {
	row := &Row{Problem: p.Name, Contender: descentContender.Name, Unit: "epoch"}
	tr, te, err := loadFashion()
	if err != nil {
		row.Skipped = err.Error()
		return row, nil
	}
	j := job.Job{Data: tr, ValData: te, Model: p.Net, Float32: p.Float32, InputShape: p.Input,
		Optimizer: optimizers.Config{Name: p.Optimizer, LR: p.LR},
		Loop:      train.Config{Epochs: 1, BatchSize: p.Batch, Seed: 1}, Engine: graph.Options{Workers: workers}}
	prep, err := j.Prepare()
	if err != nil {
		row.Err = err.Error()
		return row, nil
	}
	runtime.GC()
	t0, cpu0 := time.Now(), processCPU()
	res, err := train.Run(ctx, prep.Engine, prep.TrainOptimizer(), prep.Train, nil, prep.Loop)
	elapsed, cpu := time.Since(t0), processCPU()-cpu0
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		row.Err = err.Error()
		return row, nil
	}
	row.Steps, row.NsPerStep = 1, float64(elapsed.Nanoseconds())
	if cpu > 0 {
		row.CPUNsPerStep = float64(cpu.Nanoseconds())
	}
	row.Note = fmt.Sprintf("%d steps", res.Steps)
	if m, err := prep.Metrics(*prep.Val); err == nil && m.Accuracy != nil {
		row.Note += fmt.Sprintf(", test accuracy %.1f%%", 100**m.Accuracy)
	}
	return row, nil
}

// torchResult is what torch_lenet.py --json prints.
type torchEpochResult struct {
	Seconds    float64 `json:"seconds"`
	CPUSeconds float64 `json:"cpu_seconds"`
	Steps      int     `json:"steps"`
	Accuracy   float64 `json:"test_accuracy"`
	Threads    int     `json:"threads"`
}

// torchEpoch runs torch_lenet.py for one epoch at each thread count and
// keeps the fastest.
func torchEpoch(ctx context.Context, py *pythons, p Problem, threads []int) (*Row, error) {
	row := &Row{Problem: p.Name, Contender: "torch", Peer: true, Unit: "epoch"}
	path, ok := py.path["torch"]
	if !ok {
		row.Skipped = py.reasons["torch"]
		return row, nil
	}
	images, _, err := data.MNISTFiles("fashion-mnist", "train")
	if err != nil {
		row.Skipped = err.Error()
		return row, nil
	}
	script, err := peerScripts.ReadFile("peers/torch_lenet.py")
	if err != nil {
		return nil, err
	}
	var best *torchEpochResult
	var times []threadTime
	for _, t := range threads {
		rctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
		cmd := exec.CommandContext(rctx, path, "-", "--epochs", "1", "--threads", strconv.Itoa(t), "--batch", strconv.Itoa(p.Batch),
			"--lr", strconv.FormatFloat(p.LR, 'g', -1, 64), "--root", filepath.Dir(images), "--json", "--untimed-eval")
		cmd.Stdin = bytes.NewReader(script)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			row.Err = fmt.Sprintf("bench: peer torch on %s: %v: %s", p.Name, err, tail(stderr.String(), 400))
			return row, nil
		}
		var res torchEpochResult
		if err := json.Unmarshal(lastLine(stdout.Bytes()), &res); err != nil || !(res.Seconds > 0) {
			row.Err = fmt.Sprintf("bench: peer torch on %s: reading its output %q", p.Name, tail(stdout.String(), 200))
			return row, nil
		}
		times = append(times, threadTime{Threads: t, USPerStep: res.Seconds * 1e6})
		if best == nil || res.Seconds < best.Seconds {
			best = &res
		}
	}
	row.Steps, row.NsPerStep, row.CPUNsPerStep = 1, best.Seconds*1e9, best.CPUSeconds*1e9
	row.Note = fmt.Sprintf("%d steps, test accuracy %.1f%%", best.Steps, 100*best.Accuracy)
	if s := (&peerResult{ByThreads: times}).byThreads(); s != "" {
		row.Note += "; " + s
	}
	return row, nil
}
