package serve

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/descent-ml/descent/optimizers"
)

// Caps on the work one request may ask for. Every view's state is checked
// against them before anything is allocated or run.
const (
	MaxSteps    = 10000 // updates per path
	MaxPaths    = 6     // paths racing in one view
	MaxGrid     = 201   // contour grid points per side
	MaxEpochs   = 5000  // epochs of a data run
	MaxDataStep = 20000 // epochs × batches per epoch of a data run
	MaxSpeed    = 2000  // steps per second while playing
	MaxPoly     = 8     // polynomial degree
	MaxCond     = 1000  // the bowl's condition number
	maxAbsCoord = 1e6   // a start's coordinates
)

// State is the whole state of one view, as its URL's query string holds
// it: a copied link reproduces the view. ParseState reads and validates
// it; Query writes it back.
type State struct {
	// View is surface, fit or rates.
	View string
	// Speed is the playback speed in steps per second.
	Speed float64
	// Sel is the path whose trace table is shown.
	Sel     int
	Surface *SurfaceState
	Fit     *FitState
	Rates   *RatesState
}

// SurfaceState is the Surface view: several optimizers racing from one
// start across a built-in objective.
type SurfaceState struct {
	Objective string
	// Cond is the bowl's condition number κ (bowl only).
	Cond    float64
	Start   [2]float64
	Steps   int
	Tol     float64
	GradTol float64
	Grid    int
	Paths   []PathSpec
}

// DataState is a training problem: a built-in dataset, a model and the
// loop, as `descent train` takes them.
type DataState struct {
	Data string
	// Model is linear, poly, logistic or softmax; Degree is poly's K.
	Model  string
	Degree int
	// FX and FY are iris's two feature columns; Class is the positive
	// class of a logistic model on iris (the others are 0).
	FX, FY      string
	Class       int
	Standardize bool
	// Batch is the rows per step: 0 the whole set, 1 SGD, b mini-batches.
	Batch   int
	Epochs  int
	Seed    uint64
	Tol     float64
	GradTol float64
	// Start, when set, replaces the model's initial (W, b): 2-parameter
	// models only.
	Start *[2]float64
}

// FitState is the Fit view: one optimizer training a model on a dataset.
type FitState struct {
	DataState
	Opt PathSpec
}

// RatesState is the Learning-rates view: one optimizer at several
// learning rates on one problem, an objective or a dataset.
type RatesState struct {
	// Objective is set for a built-in objective, with Cond, Start and
	// Steps; otherwise Data describes the problem.
	Objective string
	Cond      float64
	Start     [2]float64
	Steps     int
	Data      *DataState
	// Opt is the optimizer and its options other than lr.
	Opt PathSpec
	LRs []float64
}

// PathSpec is one optimizer with its options, written as the page and the
// URL write it: "adam,lr=0.05,beta1=0.8,schedule=cosine:500", the keys
// being the flags of `descent train`.
type PathSpec struct {
	Spec   string
	Config optimizers.Config
}

// optionKeys are the keys a path spec takes: the optimizer flags.
var optionKeys = []string{"lr", "momentum", "dampening", "alpha", "beta1", "beta2", "eps", "weight-decay",
	"centered", "amsgrad", "lr-decay", "initial-accumulator", "clip-norm", "clip-value", "schedule"}

var boolKeys = map[string]bool{"centered": true, "amsgrad": true}

// ParsePath reads a path spec and builds its optimizer configuration the
// way the command line does (the options given are named in Config.Set),
// then validates it with optimizers.New.
func ParsePath(spec string) (PathSpec, error) {
	fields := strings.Split(spec, ",")
	c := optimizers.Config{Name: strings.TrimSpace(fields[0]), Set: map[string]bool{}}
	if !slices.Contains(optimizers.Names(), c.Name) {
		return PathSpec{}, fmt.Errorf("optimizer %q is not one of %s", c.Name, strings.Join(optimizers.Names(), ", "))
	}
	seen := map[string]bool{}
	canon := []string{c.Name}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		k = strings.TrimSpace(k)
		if !ok || !slices.Contains(optionKeys, k) {
			return PathSpec{}, fmt.Errorf("option %q is not key=value with a key among %s", f, strings.Join(optionKeys, ", "))
		}
		if seen[k] {
			return PathSpec{}, fmt.Errorf("option %s is given twice", k)
		}
		seen[k] = true
		v = strings.TrimSpace(v)
		switch {
		case k == "schedule":
			if len(v) > 100 {
				return PathSpec{}, fmt.Errorf("schedule has %d characters, at most 100", len(v))
			}
			if v != "constant" {
				c.Schedule = v
			}
		case boolKeys[k]:
			b, err := strconv.ParseBool(v)
			if err != nil {
				return PathSpec{}, fmt.Errorf("option %s must be true or false, got %q", k, v)
			}
			setBool(&c, k, b)
			c.Set[k] = true
		default:
			x, err := finite(v)
			if err != nil {
				return PathSpec{}, fmt.Errorf("option %s must be a finite number, got %q", k, v)
			}
			setFloat(&c, k, x)
			c.Set[k] = true
		}
		canon = append(canon, k+"="+v)
	}
	if _, err := optimizers.New(c); err != nil {
		return PathSpec{}, err
	}
	return PathSpec{Spec: strings.Join(canon, ","), Config: c}, nil
}

func setBool(c *optimizers.Config, k string, b bool) {
	if k == "centered" {
		c.Centered = b
	} else {
		c.AMSGrad = b
	}
}

func setFloat(c *optimizers.Config, k string, v float64) {
	*map[string]*float64{
		"lr": &c.LR, "momentum": &c.Momentum, "dampening": &c.Dampening, "alpha": &c.Alpha,
		"beta1": &c.Beta1, "beta2": &c.Beta2, "eps": &c.Eps, "weight-decay": &c.WeightDecay,
		"lr-decay": &c.LRDecay, "initial-accumulator": &c.InitialAccumulator,
		"clip-norm": &c.ClipNorm, "clip-value": &c.ClipValue,
	}[k] = v
}

// flags returns the path's options as command-line flags, in spec order.
func (p PathSpec) flags() []string {
	f := strings.Split(p.Spec, ",")
	out := []string{"--optimizer", f[0]}
	for _, kv := range f[1:] {
		k, v, _ := strings.Cut(kv, "=")
		if boolKeys[k] {
			if b, _ := strconv.ParseBool(v); b {
				out = append(out, "--"+k)
			}
			continue
		}
		out = append(out, "--"+k, v)
	}
	return out
}

// datasets the Fit and Learning-rates views offer, with their defaults.
var datasets = []struct {
	name, model, opt string
	deg, epochs      int
	std              bool
}{
	{"line", "linear", "gd,lr=0.05", 0, 100, false},
	{"noisy-line", "linear", "gd,lr=0.05", 0, 100, false},
	{"salary", "linear", "gd,lr=0.1", 0, 100, true},
	{"parabola", "poly", "gd,lr=0.1", 2, 300, true},
	{"iris", "softmax", "adam,lr=0.05", 0, 200, true},
}

var irisFeatures = []string{"sepal_length", "sepal_width", "petal_length", "petal_width"}

// params lists the query keys each view takes; any other is an error.
var params = map[string][]string{
	"surface": {"view", "speed", "sel", "obj", "cond", "start", "steps", "tol", "gtol", "grid", "p"},
	"fit":     {"view", "speed", "sel", "data", "model", "deg", "fx", "fy", "cls", "std", "batch", "epochs", "seed", "tol", "gtol", "start", "opt"},
	"rates":   {"view", "speed", "sel", "obj", "cond", "start", "steps", "data", "model", "deg", "fx", "fy", "cls", "std", "batch", "epochs", "seed", "tol", "gtol", "opt", "lrs"},
}

// reader reads validated values from a query, keeping the first error.
type reader struct {
	q   url.Values
	err error
}

func (r *reader) fail(format string, a ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, a...)
	}
}

func (r *reader) has(k string) bool { return r.q.Has(k) }

func (r *reader) str(k, def string) string {
	if !r.q.Has(k) {
		return def
	}
	v := r.q.Get(k)
	if len(v) > 200 {
		r.fail("%s has %d characters, at most 200", k, len(v))
	}
	return v
}

func (r *reader) oneOf(k, def string, allowed []string) string {
	v := r.str(k, def)
	if !slices.Contains(allowed, v) {
		r.fail("%s must be one of %s, got %q", k, strings.Join(allowed, ", "), v)
	}
	return v
}

func (r *reader) int(k string, def, lo, hi int) int {
	if !r.q.Has(k) {
		return def
	}
	v, err := strconv.Atoi(strings.TrimSpace(r.q.Get(k)))
	if err != nil || v < lo || v > hi {
		r.fail("%s must be an integer in [%d, %d], got %q", k, lo, hi, r.q.Get(k))
	}
	return v
}

func (r *reader) float(k string, def, lo, hi float64) float64 {
	if !r.q.Has(k) {
		return def
	}
	v, err := finite(r.q.Get(k))
	if err != nil || v < lo || v > hi {
		r.fail("%s must be a number in [%g, %g], got %q", k, lo, hi, r.q.Get(k))
	}
	return v
}

func (r *reader) bool(k string, def bool) bool {
	if !r.q.Has(k) {
		return def
	}
	switch r.q.Get(k) {
	case "1", "true", "on":
		return true
	case "0", "false", "off":
		return false
	}
	r.fail("%s must be 1 or 0, got %q", k, r.q.Get(k))
	return def
}

func (r *reader) point(k string, def [2]float64) [2]float64 {
	if !r.q.Has(k) {
		return def
	}
	v := r.q.Get(k)
	a, b, ok := strings.Cut(v, ",")
	x, err1 := finite(a)
	y, err2 := finite(b)
	if !ok || err1 != nil || err2 != nil || math.Abs(x) > maxAbsCoord || math.Abs(y) > maxAbsCoord {
		r.fail("%s must be two numbers x,y with |x|, |y| <= %g, got %q", k, maxAbsCoord, v)
	}
	return [2]float64{x, y}
}

func (r *reader) path(k, def string) PathSpec {
	v := r.str(k, def)
	p, err := ParsePath(v)
	if err != nil {
		r.fail("%s %q: %s", k, v, strings.TrimPrefix(err.Error(), "optimizers: "))
	}
	return p
}

func finite(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("not a finite number: %q", s)
	}
	return v, nil
}

// ParseState reads and validates a view's state from its query string.
// Every value is checked against its range and the caps (MaxSteps,
// MaxPaths, MaxGrid, MaxEpochs, MaxDataStep) before anything is built; the
// error names the parameter, the value and what is allowed, and starts
// with "serve: ".
func ParseState(q url.Values) (*State, error) {
	s, err := parseState(q)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return s, nil
}

func parseState(q url.Values) (*State, error) {
	r := &reader{q: q}
	view := r.oneOf("view", "surface", []string{"surface", "fit", "rates"})
	if r.err != nil {
		return nil, r.err
	}
	var keys []string
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(params[view], k) {
			return nil, fmt.Errorf("the %s view takes no parameter %q (it takes %s)", view, k, strings.Join(params[view], ", "))
		}
		if len(q[k]) > 1 && k != "p" {
			return nil, fmt.Errorf("parameter %s is given %d times", k, len(q[k]))
		}
	}
	s := &State{View: view, Speed: r.float("speed", 20, 0.1, MaxSpeed), Sel: r.int("sel", 0, 0, MaxPaths-1)}
	var err error
	switch view {
	case "surface":
		s.Surface, err = parseSurface(r)
	case "fit":
		s.Fit, err = parseFit(r)
	case "rates":
		s.Rates, err = parseRates(r)
	}
	if err != nil {
		return nil, err
	}
	if r.err != nil {
		return nil, r.err
	}
	if n := s.paths(); s.Sel >= n {
		return nil, fmt.Errorf("sel must be a path index in [0, %d], got %d", n-1, s.Sel)
	}
	return s, nil
}

// paths is the number of paths the view races.
func (s *State) paths() int {
	switch {
	case s.Surface != nil:
		return len(s.Surface.Paths)
	case s.Rates != nil:
		return len(s.Rates.LRs)
	}
	return 1
}

func parseObjective(r *reader) (objectiveInfo, float64) {
	name := r.oneOf("obj", "hills", objectiveNames())
	info, _ := objectiveByName(name)
	cond := 0.0
	if name == "bowl" {
		cond = r.float("cond", 10, 1, MaxCond)
	} else if r.has("cond") {
		r.fail("cond applies to the bowl only, not to %s", name)
	}
	return info, cond
}

func parseSurface(r *reader) (*SurfaceState, error) {
	info, cond := parseObjective(r)
	s := &SurfaceState{Objective: info.Name, Cond: cond, Start: r.point("start", info.Start),
		Steps: r.int("steps", info.Steps, 1, MaxSteps), Tol: r.float("tol", 0, 0, math.MaxFloat64),
		GradTol: r.float("gtol", 1e-6, 0, math.MaxFloat64), Grid: r.int("grid", 81, 11, MaxGrid)}
	specs := r.q["p"]
	if len(specs) == 0 {
		specs = info.Paths
	}
	if len(specs) > MaxPaths {
		return nil, fmt.Errorf("at most %d paths (p=...), got %d", MaxPaths, len(specs))
	}
	for i, spec := range specs {
		p, err := ParsePath(spec)
		if err != nil {
			return nil, fmt.Errorf("path %d (p=%s): %s", i+1, spec, strings.TrimPrefix(err.Error(), "optimizers: "))
		}
		s.Paths = append(s.Paths, p)
	}
	return s, nil
}

func parseData(r *reader) *DataState {
	var names []string
	for _, d := range datasets {
		names = append(names, d.name)
	}
	d := &DataState{Data: r.oneOf("data", "line", names)}
	if r.err != nil {
		return d
	}
	def := datasets[slices.IndexFunc(datasets, func(x struct {
		name, model, opt string
		deg, epochs      int
		std              bool
	}) bool {
		return x.name == d.Data
	})]
	switch d.Data {
	case "iris":
		d.Model = r.oneOf("model", def.model, []string{"logistic", "softmax"})
		d.FX = r.oneOf("fx", "petal_length", irisFeatures)
		d.FY = r.oneOf("fy", "petal_width", irisFeatures)
		if d.FX == d.FY && r.err == nil {
			r.fail("fx and fy must be two different columns, got %s twice", d.FX)
		}
		if d.Model == "logistic" {
			d.Class = r.int("cls", 2, 0, 2)
		} else if r.has("cls") {
			r.fail("cls applies to the logistic model only")
		}
	default:
		d.Model = r.oneOf("model", def.model, []string{"linear", "poly"})
		for _, k := range []string{"fx", "fy", "cls"} {
			if r.has(k) {
				r.fail("%s applies to iris only, not to %s", k, d.Data)
			}
		}
	}
	if d.Model == "poly" {
		d.Degree = r.int("deg", max(def.deg, 1), 1, MaxPoly)
	} else if r.has("deg") {
		r.fail("deg applies to the poly model only")
	}
	d.Standardize = r.bool("std", def.std)
	d.Epochs = r.int("epochs", def.epochs, 1, MaxEpochs)
	d.Batch = r.int("batch", 0, 0, 1<<20)
	d.Seed = uint64(r.int("seed", 1, 0, 1<<31-1))
	d.Tol = r.float("tol", 0, 0, math.MaxFloat64)
	d.GradTol = r.float("gtol", 0, 0, math.MaxFloat64)
	if r.has("start") {
		if d.Model == "linear" || (d.Model == "poly" && d.Degree == 1) {
			p := r.point("start", [2]float64{})
			d.Start = &p
		} else {
			r.fail("start applies to a model with 2 parameter values (linear, or poly with deg=1), not to %s", d.modelSpec())
		}
	}
	return d
}

// defaultOpt is the dataset's default optimizer spec.
func (d *DataState) defaultOpt() string {
	for _, x := range datasets {
		if x.name == d.Data {
			return x.opt
		}
	}
	return "gd"
}

// modelSpec is the model as `descent train --model` writes it.
func (d *DataState) modelSpec() string {
	if d.Model == "poly" {
		return "poly:" + strconv.Itoa(d.Degree)
	}
	return d.Model
}

func parseFit(r *reader) (*FitState, error) {
	d := parseData(r)
	if r.err != nil {
		return nil, r.err
	}
	return &FitState{DataState: *d, Opt: r.path("opt", d.defaultOpt())}, nil
}

func parseRates(r *reader) (*RatesState, error) {
	s := &RatesState{}
	if r.has("obj") {
		info, cond := parseObjective(r)
		s.Objective, s.Cond = info.Name, cond
		s.Start = r.point("start", info.Start)
		s.Steps = r.int("steps", info.Steps, 1, MaxSteps)
		for _, k := range params["fit"] {
			if k != "view" && k != "speed" && k != "sel" && k != "start" && k != "opt" && r.has(k) {
				r.fail("%s applies to a dataset, not to the objective %s", k, info.Name)
			}
		}
	} else {
		s.Data = parseData(r)
		if r.has("steps") {
			r.fail("steps applies to an objective; a dataset takes epochs")
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	s.Opt = r.path("opt", "gd")
	if r.err != nil {
		return nil, r.err
	}
	if s.Opt.Config.Set["lr"] {
		return nil, fmt.Errorf("opt %q: give the learning rates in lrs, not in opt", s.Opt.Spec)
	}
	list := r.str("lrs", "0.01,0.03,0.08,0.1,0.5")
	for _, f := range strings.Split(list, ",") {
		v, err := finite(f)
		if err != nil || !(v > 0) || v > 1e6 {
			return nil, fmt.Errorf("lrs must be learning rates in (0, 1e6] separated by commas, got %q", f)
		}
		if slices.Contains(s.LRs, v) {
			return nil, fmt.Errorf("lrs has %g twice", v)
		}
		s.LRs = append(s.LRs, v)
	}
	if len(s.LRs) > MaxPaths {
		return nil, fmt.Errorf("at most %d learning rates, got %d", MaxPaths, len(s.LRs))
	}
	for _, lr := range s.LRs {
		c := s.Opt.Config
		c.LR, c.Set = lr, map[string]bool{"lr": true}
		for k, on := range s.Opt.Config.Set {
			c.Set[k] = on
		}
		if _, err := optimizers.New(c); err != nil {
			return nil, fmt.Errorf("lr %g: %s", lr, strings.TrimPrefix(err.Error(), "optimizers: "))
		}
	}
	return s, nil
}
