package job

import (
	"context"
	"fmt"
	"github.com/descent-ml/descent/train"
	"math"
	"strings"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/optimizers"
)

// Surface is a loss seen as a function f(p₁, p₂) of exactly two parameter
// values, for drawing its contours and the paths optimizers take across
// them: an objective of its parameters alone (Hills, Rosenbrock), or a data
// model with two parameter values (a line ŷ = W·x + b on one feature),
// whose f is the loss on the whole data set.
//
// Eval and Descend set the engine's parameters; a Surface is not safe for
// concurrent use.
type Surface struct {
	// Names label the two values: "x" and "y" for an objective, "W" and
	// "b" for a line.
	Names [2]string
	e     *graph.Engine
	data  *train.Data
	eval  func(x, y float64) float64
	slots [2]slot
	set   map[string][]float64
}

// slot locates one of the two values: parameter name and index.
type slot struct {
	name  string
	index int
}

// Path is one descent across a surface.
type Path struct {
	Start, End [2]float64
	// X and Y are the iterates: the start, the values each step's loss
	// and gradient were computed at, and the end.
	X, Y []float64
	// Loss is f(End).
	Loss   float64
	Steps  int
	Status train.Status
	// Diverged says where a diverged descent stopped; End is then the last
	// finite point.
	Diverged *train.Divergence
}

// NewSurface views e's loss as a function of its two parameter values: on
// the whole of tr for a data model, or of the parameters alone when e is an
// objective (tr must then be nil). It is an error for the model to have
// other than exactly 2 parameter values; the error gives the count.
func NewSurface(e *graph.Engine, tr *train.Data) (*Surface, error) {
	if e == nil {
		return nil, fmt.Errorf("job: surface: no engine")
	}
	spec := e.Spec()
	objective := !spec.HasData()
	switch {
	case objective && tr != nil:
		return nil, fmt.Errorf("job: surface: the objective takes no data, got a set of %d rows", tr.N)
	case !objective && tr == nil:
		return nil, fmt.Errorf("job: surface: the model needs data (%d features), got none", spec.InputSize())
	case tr != nil:
		if tr.N <= 0 || len(tr.X) != tr.N*tr.D || len(tr.Y) != tr.N*tr.T {
			return nil, fmt.Errorf("job: surface: the data has %d rows, %d X values and %d Y values", tr.N, len(tr.X), len(tr.Y))
		}
	}
	s := &Surface{e: e, data: tr, set: map[string][]float64{}}
	var names []string
	var slots []slot
	for _, p := range spec.Params {
		for i := 0; i < p.Size(); i++ {
			if len(slots) < 3 {
				slots = append(slots, slot{p.Name, i})
				name := p.Name
				if p.Size() > 1 {
					name = fmt.Sprintf("%s[%d]", p.Name, i)
				}
				names = append(names, name)
			}
		}
	}
	if total := paramValues(spec.Params); total != 2 {
		list := ""
		if total <= train.MaxTraceValues {
			list = " (" + strings.Join(train.NewTrace(spec.Params).Names, ", ") + ")"
		}
		return nil, fmt.Errorf("job: a loss surface needs a model with exactly 2 parameter values, this one has %d%s", total, list)
	}
	copy(s.slots[:], slots)
	s.Names = [2]string{names[0], names[1]}
	for _, p := range spec.Params {
		s.set[p.Name] = append([]float64(nil), e.Params()[p.Name]...)
	}
	return s, nil
}

// NewObjectiveSurface builds o's engine and a Surface whose Eval is o's
// plain-Go Eval (fast enough for a fine contour grid); Descend runs the
// graph's gradients.
func NewObjectiveSurface(o models.Objective, opt graph.Options) (*Surface, error) {
	if o == nil {
		return nil, fmt.Errorf("job: surface: no objective")
	}
	e, err := models.Problem{Model: o}.Engine(opt)
	if err != nil {
		return nil, err
	}
	s, err := NewSurface(e, nil)
	if err != nil {
		return nil, err
	}
	s.eval = o.Eval
	return s, nil
}

func paramValues(ps []graph.Param) int {
	n := 0
	for _, p := range ps {
		n += p.Size()
	}
	return n
}

// Engine returns the surface's engine, whose parameters hold the last point
// evaluated or descended to.
func (s *Surface) Engine() *graph.Engine { return s.e }

// setPoint writes (x, y) into the engine's parameters.
func (s *Surface) setPoint(x, y float64) error {
	for i, v := range [2]float64{x, y} {
		s.set[s.slots[i].name][s.slots[i].index] = v
	}
	return s.e.SetParams(s.set)
}

// Point returns the two values the engine's parameters hold now: the
// initial ones right after NewSurface.
func (s *Surface) Point() [2]float64 {
	p := s.e.Params()
	return [2]float64{p[s.slots[0].name][s.slots[0].index], p[s.slots[1].name][s.slots[1].index]}
}

// Eval is f(x, y): the loss with the two parameter values set to x and y.
// It is NaN where the loss cannot be computed.
func (s *Surface) Eval(x, y float64) float64 {
	if s.eval != nil {
		return s.eval(x, y)
	}
	v, err := s.loss(x, y)
	if err != nil {
		return math.NaN()
	}
	return v
}

func (s *Surface) loss(x, y float64) (float64, error) {
	if err := s.setPoint(x, y); err != nil {
		return 0, err
	}
	if s.data == nil {
		return s.e.Loss(nil, nil, 0)
	}
	return s.e.Loss(s.data.X, s.data.Y, s.data.N)
}

// Descend runs a fresh optimizer built from opt from each start, with
// loop's epochs (the step count of a full-batch or objective descent),
// batch size, seed and stop rules, and returns each path. A descent that
// diverges is a path with status Diverged, not an error. Objectives are
// descended by the same rules as Run: stop on tolerances, keep the last
// finite point on divergence.
func (s *Surface) Descend(ctx context.Context, opt optimizers.Config, loop train.Config, starts [][2]float64) ([]Path, error) {
	if len(starts) == 0 {
		return nil, fmt.Errorf("job: surface: no starting points")
	}
	paths := make([]Path, 0, len(starts))
	for i, st := range starts {
		if !isFinite(st[0]) || !isFinite(st[1]) {
			return nil, fmt.Errorf("job: surface: start %d is (%v, %v), want finite values", i+1, st[0], st[1])
		}
		p, err := s.descend(ctx, opt, loop, st)
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func (s *Surface) descend(ctx context.Context, cfg optimizers.Config, loop train.Config, start [2]float64) (Path, error) {
	if err := s.setPoint(start[0], start[1]); err != nil {
		return Path{}, err
	}
	opt, err := newOptimizer(s.e, cfg)
	if err != nil {
		return Path{}, err
	}
	trace := train.NewTrace(s.e.Spec().Params)
	var tr train.Data // an objective takes none
	if s.data != nil {
		tr = *s.data
	}
	res, err := train.Run(ctx, s.e, opt, tr, nil, loop, trace)
	if err != nil {
		return Path{}, err
	}
	p := Path{Start: start, End: s.Point(), Loss: res.Loss, Steps: res.Steps, Status: res.Status, Diverged: res.Diverged}
	p.X, p.Y = trace.Path(0, 1)
	if n := len(p.X); n == 0 || p.X[n-1] != p.End[0] || p.Y[n-1] != p.End[1] {
		p.X, p.Y = append(p.X, p.End[0]), append(p.Y, p.End[1])
	}
	return p, nil
}

// PathBounds returns the smallest box holding every finite iterate of the
// paths, widened on each side by pad times its size (a side of size 0 by
// pad times 1). ok is false when no path has a finite point.
func PathBounds(paths []Path, pad float64) (xr, yr [2]float64, ok bool) {
	xr = [2]float64{math.Inf(1), math.Inf(-1)}
	yr = xr
	for _, p := range paths {
		for i := range p.X {
			x, y := p.X[i], p.Y[i]
			if !isFinite(x) || !isFinite(y) {
				continue
			}
			xr = [2]float64{math.Min(xr[0], x), math.Max(xr[1], x)}
			yr = [2]float64{math.Min(yr[0], y), math.Max(yr[1], y)}
			ok = true
		}
	}
	if !ok {
		return [2]float64{}, [2]float64{}, false
	}
	widen := func(r [2]float64) [2]float64 {
		d := r[1] - r[0]
		if d == 0 {
			d = 1
		}
		return [2]float64{r[0] - pad*d, r[1] + pad*d}
	}
	return widen(xr), widen(yr), true
}

// Curvature estimates λmax, the largest eigenvalue of the loss's Hessian
// at the surface's current point, by power iteration on Hessian-vector
// products H·v ≈ (∇J(θ + εv) − ∇J(θ − εv))/(2ε). Gradient descent on a
// quadratic converges only for lr < 2/λmax, so 1/λmax is a learning rate
// that is stable near the point and as fast as the steepest direction
// allows.
func (s *Surface) Curvature() (float64, error) {
	p0 := s.Point()
	defer s.setPoint(p0[0], p0[1])
	grad := func(x, y float64) ([2]float64, error) {
		if err := s.setPoint(x, y); err != nil {
			return [2]float64{}, err
		}
		var err error
		if s.data == nil {
			_, err = s.e.Step(nil, nil, 0)
		} else {
			_, err = s.e.Step(s.data.X, s.data.Y, s.data.N)
		}
		g := s.e.Grads()
		return [2]float64{g[s.slots[0].name][s.slots[0].index], g[s.slots[1].name][s.slots[1].index]}, err
	}
	scale := math.Max(1, math.Max(math.Abs(p0[0]), math.Abs(p0[1])))
	eps := 1e-5 * scale
	v := [2]float64{1 / math.Sqrt2, 1 / math.Sqrt2}
	lambda := 0.0
	for it := 0; it < 50; it++ {
		gp, err := grad(p0[0]+eps*v[0], p0[1]+eps*v[1])
		if err != nil {
			return 0, err
		}
		gm, err := grad(p0[0]-eps*v[0], p0[1]-eps*v[1])
		if err != nil {
			return 0, err
		}
		hv := [2]float64{(gp[0] - gm[0]) / (2 * eps), (gp[1] - gm[1]) / (2 * eps)}
		n := math.Hypot(hv[0], hv[1])
		if n == 0 || !isFinite(n) {
			return n, nil
		}
		next := hv[0]*v[0] + hv[1]*v[1]
		v = [2]float64{hv[0] / n, hv[1] / n}
		if it > 3 && math.Abs(next-lambda) <= 1e-9*math.Abs(next) {
			return math.Abs(next), nil
		}
		lambda = next
	}
	return math.Abs(lambda), nil
}
