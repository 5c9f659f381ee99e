package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/descent-ml/descent/internal/gemm"
)

// Options configures Run. Its zero value measures DefaultProblems with
// every registered Go contender for at least a second each, in one round,
// without the Python peers.
type Options struct {
	// Problems names the problems (see ParseProblem); empty is
	// DefaultProblems.
	Problems []string
	// Contenders restricts the rows to these contender and peer names;
	// empty is all of them.
	Contenders []string
	// Peers adds the Python peers (numpy, torch). A peer that cannot run
	// (no Python, no numpy, no torch) gives a "skipped (reason)" row.
	Peers bool
	// MinTime is how long each contender's steps are timed, after a
	// warm-up; 0 is one second.
	MinTime time.Duration
	// Python is the interpreter for the peers; "" tries $DESCENT_PYTHON,
	// /usr/bin/python3 and python3, taking for each peer the first that
	// imports the module it needs.
	Python string
	// Threads is the thread count the peers may use (torch.set_num_threads,
	// OPENBLAS_NUM_THREADS for NumPy); 0 is runtime.NumCPU(). On the
	// network problems (mlp, cnn, epoch) Descent and the peers each run at
	// 1 thread and at Threads and keep the faster: small products gain
	// little from more cores, and PyTorch collapses when its threads
	// outnumber the free ones.
	Threads int
	// Rounds measures every contender this many times per problem, in
	// alternating order (forward, then backward, …), and keeps each one's
	// fastest round: on a shared machine, the round least disturbed by
	// others. 0 is 1.
	Rounds int
	// CheckSteps is how many steps from the start every contender runs
	// before its parameters are compared; 0 is DefaultCheckSteps.
	CheckSteps int
	// Progress, when not nil, gets one line as each row starts.
	Progress io.Writer
}

// DefaultCheckSteps is the number of steps run before the agreement check.
const DefaultCheckSteps = 5

// CheckTolerance is the relative difference in loss after CheckSteps
// steps, against the handgo step, above which a row is marked DIFFERS.
const CheckTolerance = 1e-6

// Run measures one training step of each problem with every contender,
// side by side on this machine, writes the table to w and returns it.
// Rows whose contender fails are kept, with the error in their note; Run
// returns an error only for bad options or a cancelled ctx (with the rows
// measured so far).
func Run(ctx context.Context, opt Options, w io.Writer) (*Table, error) {
	if opt.MinTime == 0 {
		opt.MinTime = time.Second
	}
	if opt.MinTime < 0 {
		return nil, fmt.Errorf("bench: min time must be ≥ 0, got %v", opt.MinTime)
	}
	if opt.Threads == 0 {
		opt.Threads = runtime.NumCPU()
	}
	if opt.Threads < 0 {
		return nil, fmt.Errorf("bench: threads must be ≥ 0, got %d", opt.Threads)
	}
	if opt.CheckSteps == 0 {
		opt.CheckSteps = DefaultCheckSteps
	}
	if opt.CheckSteps < 0 {
		return nil, fmt.Errorf("bench: check steps must be ≥ 0, got %d", opt.CheckSteps)
	}
	if opt.Rounds == 0 {
		opt.Rounds = 1
	}
	if opt.Rounds < 0 {
		return nil, fmt.Errorf("bench: rounds must be ≥ 0, got %d", opt.Rounds)
	}
	names := opt.Problems
	if len(names) == 0 {
		names = DefaultProblems
	}
	var problems []Problem
	for _, name := range names {
		p, err := ParseProblem(name)
		if err != nil {
			return nil, err
		}
		problems = append(problems, p)
	}
	contenders := Contenders()
	want := func(name string) bool { return len(opt.Contenders) == 0 || slices.Contains(opt.Contenders, name) }
	for _, name := range opt.Contenders {
		known := slices.ContainsFunc(contenders, func(c Contender) bool { return c.Name == name }) ||
			slices.ContainsFunc(peerList, func(p peer) bool { return p.name == name })
		if !known {
			return nil, fmt.Errorf("bench: unknown contender %q (known: %s)", name, joinNames(contenders))
		}
	}

	t := &Table{MinTime: opt.MinTime, CheckSteps: opt.CheckSteps, Rounds: opt.Rounds, Machine: ThisMachine().String()}
	var py *pythons
	if opt.Peers {
		py = findPythons(ctx, opt.Python)
		for _, pe := range peerList {
			if path, ok := py.path[pe.module]; ok && want(pe.name) {
				t.Peers = append(t.Peers, fmt.Sprintf("%s %s (%s)", pe.module, py.version[pe.module], path))
			}
		}
		if py.blas != "" {
			t.Peers = append(t.Peers, "BLAS "+py.blas)
		}
		t.Peers = append(t.Peers, fmt.Sprintf("torch threads %d", opt.Threads))
	}
	progress := func(p Problem, name string) {
		if opt.Progress != nil {
			fmt.Fprintf(opt.Progress, "bench: %s: %s\n", p.Name, name)
		}
	}

	for _, p := range problems {
		if err := ctx.Err(); err != nil {
			return t, err
		}
		var entries []entry
		if p.Kind == "epoch" {
			entries = epochEntries(p, opt, py, want)
		} else {
			d, err := NewData(p)
			if err != nil {
				return nil, err
			}
			ref, err := reference(p, d, opt.CheckSteps)
			if err != nil {
				return nil, err
			}
			for _, c := range contenders {
				if want(c.Name) {
					entries = append(entries, entry{c.Name, func(ctx context.Context) (*Row, error) {
						return measureGoThreads(ctx, c, p, d, opt, ref)
					}})
				}
			}
			for _, pe := range peerList {
				if opt.Peers && want(pe.name) {
					entries = append(entries, entry{pe.name, func(ctx context.Context) (*Row, error) {
						row, err := measurePeer(ctx, py, pe, p, d, opt, ref)
						return &row, err
					}})
				}
			}
		}
		rows, err := measureRounds(ctx, p, entries, opt.Rounds, progress)
		t.Rows = append(t.Rows, rows...)
		if err != nil {
			return t, err
		}
	}
	if _, err := t.WriteTo(w); err != nil {
		return t, err
	}
	return t, nil
}

// entry is one row's measurement, run once per round.
type entry struct {
	name    string
	measure func(context.Context) (*Row, error)
}

// measureRounds runs every entry rounds times, forward in even rounds and
// backward in odd ones, and returns each entry's fastest round (nil rows,
// contenders that do not handle p, are left out). Rows keep the canonical
// order of entries.
func measureRounds(ctx context.Context, p Problem, entries []entry, rounds int, progress func(Problem, string)) ([]Row, error) {
	best := make([]*Row, len(entries))
	for r := range rounds {
		for k := range entries {
			i := k
			if r%2 == 1 {
				i = len(entries) - 1 - k
			}
			name := entries[i].name
			if rounds > 1 {
				name = fmt.Sprintf("%s (round %d of %d)", name, r+1, rounds)
			}
			progress(p, name)
			row, err := entries[i].measure(ctx)
			if err != nil {
				return collect(best), err
			}
			if row != nil {
				best[i] = faster(best[i], row)
			}
		}
	}
	return collect(best), nil
}

// faster keeps the better of two rounds of one row: a measured one over a
// failed one, then the lower time per step; the CPU time per step is the
// lowest of either round's.
func faster(a, b *Row) *Row {
	if a == nil {
		b.Rounds = 1
		return b
	}
	n := a.Rounds + 1
	cpu := a.CPUNsPerStep
	if b.CPUNsPerStep > 0 && (cpu == 0 || b.CPUNsPerStep < cpu) {
		cpu = b.CPUNsPerStep
	}
	if b.Measured() && (!a.Measured() || b.NsPerStep < a.NsPerStep) {
		a = b
	}
	a.Rounds, a.CPUNsPerStep = n, cpu
	return a
}

func collect(rows []*Row) []Row {
	var out []Row
	for _, r := range rows {
		if r != nil {
			out = append(out, *r)
		}
	}
	return out
}

// checkPoint is the state every contender is compared against: the
// handgo step's parameters and loss after CheckSteps steps (for a
// network, Descent's own float64 step's, which agrees with PyTorch's to
// 1e-10), and the tolerance on the loss.
type checkPoint struct {
	params map[string][]float64
	loss   float64
	tol    float64
}

// CheckTolerance32 is CheckTolerance for a float32 problem: float32 keeps
// 7 digits, and rounding differences grow over the check steps.
const CheckTolerance32 = 1e-4

func reference(p Problem, d *Data, steps int) (*checkPoint, error) {
	newRef, tol := newHandGo, CheckTolerance
	if p.Float32 {
		tol = CheckTolerance32
	}
	if !p.Dense() {
		newRef = newDescent
		p.Float32 = false
	}
	s, err := newRef(p, d)
	if err != nil {
		return nil, err
	}
	for range steps {
		if err := s.Step(); err != nil {
			return nil, err
		}
	}
	ref := &checkPoint{params: s.Params(), tol: tol}
	ref.loss, err = Loss(p, d, ref.params)
	return ref, err
}

// compare fills row's check figures from params.
func (ref *checkPoint) compare(p Problem, d *Data, params map[string][]float64, row *Row) {
	if err := checkParams(p, params); err != nil {
		row.Err = err.Error()
		return
	}
	loss, err := Loss(p, d, params)
	if err != nil {
		row.Err = err.Error()
		return
	}
	row.Loss = loss
	row.LossRelDiff = math.Abs(loss-ref.loss) / math.Max(math.Abs(ref.loss), math.SmallestNonzeroFloat64)
	var diff, scale float64
	for name, want := range ref.params {
		for i, v := range want {
			diff = math.Max(diff, math.Abs(params[name][i]-v))
			scale = math.Max(scale, math.Abs(v))
		}
	}
	row.ParamRelDiff = diff / math.Max(scale, math.SmallestNonzeroFloat64)
	row.Checked, row.Tolerance = true, ref.tol
}

// measureGoThreads times contender c on p; Descent on a network problem
// at 1 thread and at Threads (its executor's workers and its GEMM's
// goroutines), keeping the faster, as the peers do (peerThreads).
func measureGoThreads(ctx context.Context, c Contender, p Problem, d *Data, opt Options, ref *checkPoint) (*Row, error) {
	threads := peerThreads(p, opt.Threads)
	if c.Name != descentContender.Name || len(threads) < 2 {
		return measureGo(ctx, c, p, d, opt, ref)
	}
	var best *Row
	var times []threadTime
	for _, t := range threads {
		q := p
		q.workers = t
		prev := gemm.SetThreads(t)
		row, err := measureGo(ctx, c, q, d, opt, ref)
		gemm.SetThreads(prev)
		if err != nil || row == nil {
			return row, err
		}
		if row.Measured() {
			times = append(times, threadTime{Threads: t, USPerStep: row.NsPerStep / 1e3})
		}
		if best == nil || row.Measured() && (!best.Measured() || row.NsPerStep < best.NsPerStep) {
			best = row
		}
	}
	best.Note = (&peerResult{ByThreads: times}).byThreads()
	return best, nil
}

// measureGo times contender c on p. It returns nil for a problem kind c
// does not handle, and an error only when ctx is done.
func measureGo(ctx context.Context, c Contender, p Problem, d *Data, opt Options, ref *checkPoint) (*Row, error) {
	row := &Row{Problem: p.Name, Contender: c.Name, Handwritten: c.Handwritten}
	s, err := c.New(p, d)
	if errors.Is(err, ErrUnsupported) {
		return nil, nil
	}
	if err != nil {
		row.Err = err.Error()
		return row, nil
	}
	defer closeStepper(s)
	fail := func(err error) (*Row, error) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		row.Err = err.Error()
		return row, nil
	}
	for range opt.CheckSteps {
		if err := s.Step(); err != nil {
			return fail(err)
		}
	}
	ref.compare(p, d, s.Params(), row)

	// Warm up for a tenth of the time, at least one step.
	start := time.Now()
	for n := 0; n < 1 || time.Since(start) < opt.MinTime/10; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := s.Step(); err != nil {
			return fail(err)
		}
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := processCPU()
	var total time.Duration
	steps := 0
	for n := 1; ; {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t0 := time.Now()
		for range n {
			if err := s.Step(); err != nil {
				return fail(err)
			}
		}
		total += time.Since(t0)
		steps += n
		if total >= opt.MinTime {
			break
		}
		n = nextRound(n, steps, total, opt.MinTime)
	}
	cpu := processCPU() - cpu0
	runtime.ReadMemStats(&after)
	runtime.GC()
	var live runtime.MemStats
	runtime.ReadMemStats(&live)
	row.HeapGrowth = int64(live.HeapAlloc) - int64(before.HeapAlloc)
	row.Steps = steps
	row.NsPerStep = float64(total.Nanoseconds()) / float64(steps)
	if cpu > 0 {
		row.CPUNsPerStep = float64(cpu.Nanoseconds()) / float64(steps)
	}
	// Whole allocations per step, as testing.AllocsPerRun counts them: the
	// runtime's and other goroutines' occasional allocations would
	// otherwise show as a fraction.
	row.AllocsPerStep = float64((after.Mallocs - before.Mallocs) / uint64(steps))
	row.BytesPerStep = float64((after.TotalAlloc - before.TotalAlloc) / uint64(steps))
	row.HasAllocs = true
	return row, nil
}

// nextRound predicts, as testing.B does, how many steps bring the timed
// total to target: 1.2× the estimate, at most 100× the last round and
// about 100 ms, so that a cancelled ctx is seen soon.
func nextRound(last, steps int, total, target time.Duration) int {
	per := math.Max(float64(total)/float64(steps), 1)
	left := float64(target - total)
	return max(1, min(int(1.2*left/per)+1, 100*last, int(float64(100*time.Millisecond)/per)))
}

// measurePeer runs peer pe on p. A peer that cannot run gives a skipped
// row; the error is only ctx's.
func measurePeer(ctx context.Context, py *pythons, pe peer, p Problem, d *Data, opt Options, ref *checkPoint) (Row, error) {
	row := Row{Problem: p.Name, Contender: pe.name, Peer: true}
	path, ok := py.path[pe.module]
	if !ok {
		row.Skipped = py.reasons[pe.module]
		return row, nil
	}
	threads := peerThreads(p, opt.Threads)
	var res *peerResult
	var err error
	if pe.module == "numpy" && len(threads) > 1 {
		// NumPy's BLAS takes its thread count from the environment at
		// start-up: one process per count.
		res, err = runPeerEach(ctx, path, pe, p, opt.CheckSteps, opt.MinTime, threads)
	} else {
		res, err = runPeer(ctx, path, pe, p, opt.CheckSteps, opt.MinTime, threads)
	}
	if err != nil {
		if ctx.Err() != nil {
			return row, ctx.Err()
		}
		row.Err = err.Error()
		return row, nil
	}
	if res.Skipped != "" {
		row.Skipped = res.Skipped
		return row, nil
	}
	row.Steps = res.Steps
	row.NsPerStep = res.USPerStep * 1e3
	row.CPUNsPerStep = res.CPUUSPerStep * 1e3
	row.Note = res.byThreads()
	ref.compare(p, d, res.Params, &row)
	return row, nil
}

func joinNames(cs []Contender) string {
	var s string
	for _, c := range cs {
		s += c.Name + ", "
	}
	for _, pe := range peerList {
		s += pe.name + ", "
	}
	return s[:len(s)-2]
}
