package bench

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// peerScripts are the Python peers, sent to the interpreter on standard
// input so that they run wherever the descent binary does.
//
//go:embed peers/common.py peers/numpy_steps.py peers/torch_steps.py peers/torch_lenet.py peers/numpy_gemm.py
var peerScripts embed.FS

// peer is one Python implementation: its row name, the module it needs
// and its script in peers/.
type peer struct{ name, module, script string }

// peerList is the Python peers in the order they are shown.
var peerList = []peer{
	{name: "numpy", module: "numpy", script: "numpy_steps.py"},
	{name: "torch", module: "torch", script: "torch_steps.py"},
}

// peerResult is what a peer script printed.
type peerResult struct {
	Peer      string  `json:"peer"`
	Version   string  `json:"version"`
	USPerStep float64 `json:"us_per_step"`
	// CPUUSPerStep is the process's CPU time per step, all its threads.
	CPUUSPerStep float64              `json:"cpu_us_per_step"`
	Steps        int                  `json:"steps"`
	Params       map[string][]float64 `json:"params"`
	Skipped      string               `json:"skipped"`
	// ByThreads gives the time per step at each thread count tried, when
	// the peer tried more than one; USPerStep is the fastest.
	ByThreads []threadTime `json:"by_threads"`
}

// threadTime is a peer's time per step at one thread count.
type threadTime struct {
	Threads   int     `json:"threads"`
	USPerStep float64 `json:"us_per_step"`
}

// byThreads describes the times at each thread count, "" for one.
func (r *peerResult) byThreads() string {
	if len(r.ByThreads) < 2 {
		return ""
	}
	parts := make([]string, len(r.ByThreads))
	for i, t := range r.ByThreads {
		parts[i] = fmt.Sprintf("%d thread%s %s", t.Threads, plural(t.Threads), duration(t.USPerStep*1e3))
	}
	return "best of " + strings.Join(parts, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// peerThreads is the thread counts every contender that can tries on p:
// 1 and threads for a network problem (mlp, cnn, epoch), whose small
// products gain little from a second core and lose much when the cores
// are busy; threads alone otherwise.
func peerThreads(p Problem, threads int) []int {
	if p.Network() && threads > 1 {
		return []int{1, threads}
	}
	return []int{threads}
}

// runPeerEach runs the peer once per thread count, with its BLAS's thread
// count in the environment, and keeps the fastest run.
func runPeerEach(ctx context.Context, python string, pe peer, p Problem, checkSteps int, minTime time.Duration, threads []int) (*peerResult, error) {
	var best *peerResult
	var times []threadTime
	for _, t := range threads {
		res, err := runPeer(ctx, python, pe, p, checkSteps, minTime, []int{t})
		if err != nil || res.Skipped != "" {
			return res, err
		}
		times = append(times, threadTime{Threads: t, USPerStep: res.USPerStep})
		if best == nil || res.USPerStep < best.USPerStep {
			best = res
		}
	}
	best.ByThreads = times
	return best, nil
}

// pythons finds, for each module the peers need, the first interpreter
// that imports it: opt.Python alone when set, otherwise $DESCENT_PYTHON,
// /usr/bin/python3 and python3 on $PATH, in that order. Where none does,
// reasons[module] says why.
type pythons struct {
	path    map[string]string // module → interpreter
	version map[string]string // module → its version
	reasons map[string]string // module → why there is none
	blas    string            // the BLAS library numpy loaded, when known
}

// probeScript prints the versions of the modules the peers import.
const probeScript = `import json, os
out = {}
for m in ("numpy", "torch"):
    try:
        out[m] = __import__(m).__version__
    except Exception as e:
        out[m] = None
try:
    with open("/proc/self/maps") as f:
        libs = sorted({os.path.realpath(l.split()[-1]) for l in f if "blas" in l.lower() and "/" in l})
    out["blas"] = ", ".join(libs) or None
except Exception:
    out["blas"] = None
print(json.dumps(out))
`

func findPythons(ctx context.Context, explicit string) *pythons {
	py := &pythons{path: map[string]string{}, version: map[string]string{}, reasons: map[string]string{}}
	var candidates []string
	if explicit != "" {
		candidates = []string{explicit}
	} else {
		if env := os.Getenv("DESCENT_PYTHON"); env != "" {
			candidates = append(candidates, env)
		}
		candidates = append(candidates, "/usr/bin/python3", "python3")
	}
	var tried []string
	seen := map[string]bool{}
	for _, c := range candidates {
		path, err := exec.LookPath(c)
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: not found", c))
			continue
		}
		if seen[path] {
			continue
		}
		seen[path] = true
		pctx, cancel := context.WithTimeout(ctx, time.Minute)
		out, err := exec.CommandContext(pctx, path, "-c", probeScript).Output()
		cancel()
		var versions map[string]*string
		if err == nil {
			err = json.Unmarshal(lastLine(out), &versions)
		}
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: %v", c, err))
			continue
		}
		if b := versions["blas"]; b != nil && py.blas == "" && versions["numpy"] != nil {
			py.blas = *b
		}
		var missing []string
		for _, p := range peerList {
			v := versions[p.module]
			if v == nil {
				missing = append(missing, p.module)
				continue
			}
			if _, ok := py.path[p.module]; !ok {
				py.path[p.module], py.version[p.module] = path, *v
			}
		}
		if len(missing) > 0 {
			tried = append(tried, fmt.Sprintf("%s: no %s", c, strings.Join(missing, ", ")))
		}
	}
	for _, p := range peerList {
		if _, ok := py.path[p.module]; !ok {
			py.reasons[p.module] = fmt.Sprintf("no Python that imports %s; tried %s", p.module, strings.Join(tried, "; "))
		}
	}
	return py
}

// peerRequest is the problem as the peer scripts read it from argv[1].
type peerRequest struct {
	Name       string  `json:"name"`
	Kind       string  `json:"kind"`
	N          int     `json:"n"`
	D          int     `json:"d"`
	K          int     `json:"k"`
	Hidden     []int   `json:"hidden"`
	Batch      int     `json:"batch"`
	LR         float64 `json:"lr"`
	Optimizer  string  `json:"optimizer"`
	CheckSteps int     `json:"check_steps"`
	MinTime    float64 `json:"min_time"`
	// Threads is the thread count for torch (the first of ThreadCounts).
	Threads int `json:"threads"`
	// ThreadCounts are the thread counts a peer times, keeping the fastest.
	ThreadCounts []int `json:"thread_counts"`
	// Net, Input, Float32 and Params describe a network problem: its layers
	// in Descent's grammar, a row's image shape, the dtype, and each
	// parameter's name, shape and fan-in (starting values from netInit's
	// formula).
	Net     string     `json:"net,omitempty"`
	Input   []int      `json:"input,omitempty"`
	Float32 bool       `json:"float32"`
	Params  []netParam `json:"params,omitempty"`
}

// runPeer runs one peer script on p with python. It returns a result with
// Skipped set when the script declined, and an error when it failed.
func runPeer(ctx context.Context, python string, pe peer, p Problem, checkSteps int, minTime time.Duration, threads []int) (*peerResult, error) {
	common, err := peerScripts.ReadFile("peers/common.py")
	if err != nil {
		return nil, err
	}
	script, err := peerScripts.ReadFile("peers/" + pe.script)
	if err != nil {
		return nil, err
	}
	pr := peerRequest{
		Name: p.Name, Kind: p.Kind, N: p.N, D: p.D, K: p.K, Hidden: append([]int{}, p.Hidden...),
		Batch: p.Batch, LR: p.LR, Optimizer: p.Optimizer, CheckSteps: checkSteps,
		MinTime: minTime.Seconds(), Threads: threads[0], ThreadCounts: threads,
		Net: p.Net, Input: p.Input, Float32: p.Float32,
	}
	if !p.Dense() {
		if pr.Params, err = netParams(p); err != nil {
			return nil, err
		}
	}
	req, err := json.Marshal(pr)
	if err != nil {
		return nil, err
	}
	// Data set-up, imports, the check steps and the warm-up come on top of
	// the timed loop; stock Gorgonia-sized steps need minutes at most.
	rctx, cancel := context.WithTimeout(ctx, 5*time.Minute+time.Duration(20*len(threads))*minTime)
	defer cancel()
	cmd := exec.CommandContext(rctx, python, "-", string(req))
	cmd.Stdin = bytes.NewReader(append(append(common, '\n'), script...))
	if pe.module == "numpy" && len(threads) == 1 && threads[0] > 0 {
		n := strconv.Itoa(threads[0])
		cmd.Env = append(os.Environ(), "OPENBLAS_NUM_THREADS="+n, "OMP_NUM_THREADS="+n, "MKL_NUM_THREADS="+n)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("bench: peer %s on %s: %v: %s", pe.name, p.Name, err, tail(stderr.String(), 400))
	}
	var res peerResult
	if err := json.Unmarshal(lastLine(stdout.Bytes()), &res); err != nil {
		return nil, fmt.Errorf("bench: peer %s on %s: reading its output: %v: %q", pe.name, p.Name, err, tail(stdout.String(), 200))
	}
	if res.Skipped == "" && !(res.USPerStep > 0) {
		return nil, errors.New("bench: peer " + pe.name + " on " + p.Name + ": no time reported")
	}
	return &res, nil
}

// lastLine is the last non-empty line of out.
func lastLine(out []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	return lines[len(lines)-1]
}

// tail is the last n bytes of s, trimmed.
func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}
