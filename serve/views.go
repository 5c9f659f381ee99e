package serve

import (
	"context"
	"fmt"

	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// pathInfo describes one path of a view for the page.
type pathInfo struct {
	Label string `json:"label"`
	Spec  string `json:"spec"`
	// Optimizer and LR are the resolved name and base learning rate.
	Optimizer string   `json:"optimizer"`
	LR        float64  `json:"lr"`
	Stages    []string `json:"stages"`
	Names     []string `json:"names"`
	CLI       string   `json:"cli"`
}

func infoOf(rn *runner, label, spec, cli string) pathInfo {
	return pathInfo{Label: label, Spec: spec, Optimizer: rn.config.Name, LR: rn.config.LR,
		Stages: rn.stages, Names: rn.names, CLI: cli}
}

// surfaceSetup is the first message of the Surface view.
type surfaceSetup struct {
	View      string         `json:"view"`
	Objective objectiveInfo  `json:"objective"`
	Cond      float64        `json:"cond"`
	Start     [2]float64     `json:"start"`
	Steps     int            `json:"steps"`
	Grid      *objectiveGrid `json:"grid"`
	Paths     []pathInfo     `json:"paths"`
}

// fitSetup is the first message of the Fit view.
type fitSetup struct {
	View   string     `json:"view"`
	Data   points     `json:"data"`
	Grid   *fitGrid   `json:"grid"`
	Loss   *lossGrid  `json:"loss_surface"`
	LossFn string     `json:"loss"`
	Model  string     `json:"model"`
	Rows   int        `json:"rows"`
	PerEp  int        `json:"steps_per_epoch"`
	Epochs int        `json:"epochs"`
	Batch  int        `json:"batch"`
	Std    bool       `json:"standardize"`
	Paths  []pathInfo `json:"paths"`
}

// ratesSetup is the first message of the Learning-rates view.
type ratesSetup struct {
	View      string         `json:"view"`
	Problem   string         `json:"problem"`
	Objective *objectiveInfo `json:"objective,omitempty"`
	Steps     int            `json:"steps"`
	PerEp     int            `json:"steps_per_epoch"`
	CLI       string         `json:"cli"`
	Paths     []pathInfo     `json:"paths"`
}

// build starts the runs of a view and returns its race and first message.
// On an error every run already started is stopped.
func build(ctx context.Context, s *State) (*race, any, error) {
	switch {
	case s.Surface != nil:
		return buildSurface(ctx, s.Surface)
	case s.Fit != nil:
		return buildFit(ctx, s.Fit)
	case s.Rates != nil:
		return buildRates(ctx, s.Rates)
	}
	return nil, nil, fmt.Errorf("serve: no view")
}

func closeAll(rs []*runner) {
	for _, r := range rs {
		r.close()
	}
}

func buildSurface(ctx context.Context, s *SurfaceState) (*race, any, error) {
	info, _ := objectiveByName(s.Objective)
	m, err := objectiveModel(s.Objective, s.Cond)
	if err != nil {
		return nil, nil, err
	}
	grid, err := newObjectiveGrid(m, info.X, info.Y, s.Grid, 19, info.LogZ)
	if err != nil {
		return nil, nil, err
	}
	setup := &surfaceSetup{View: "surface", Objective: info, Cond: s.Cond, Start: s.Start, Steps: s.Steps, Grid: grid}
	loop := train.Config{Epochs: s.Steps, Tol: s.Tol, GradTol: s.GradTol}
	var rs []*runner
	for _, p := range s.Paths {
		rn, err := objectiveRunner(ctx, m, p.Config, loop, s.Start)
		if err != nil {
			closeAll(rs)
			return nil, nil, err
		}
		rs = append(rs, rn)
		setup.Paths = append(setup.Paths, infoOf(rn, p.Spec, p.Spec, s.cli(p)))
	}
	return newRace(rs), setup, nil
}

func buildFit(ctx context.Context, f *FitState) (*race, any, error) {
	dr, err := startData(ctx, &f.DataState, f.Opt.Config)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*race, any, error) {
		dr.runner.close()
		return nil, nil, err
	}
	g, err := dr.grid()
	if err != nil {
		return fail(err)
	}
	loss, err := dr.lossGrid(ctx, 41)
	if err != nil {
		return fail(err)
	}
	setup := &fitSetup{View: "fit", Data: dr.points(), Grid: g, Loss: loss, LossFn: dr.prep.Loss,
		Model: f.modelSpec(), Rows: dr.prep.Train.N, PerEp: dr.per, Epochs: f.Epochs, Batch: f.Batch, Std: f.Standardize,
		Paths: []pathInfo{infoOf(dr.runner, f.Opt.Spec, f.Opt.Spec, f.cli())}}
	r := newRace([]*runner{dr.runner})
	r.shape = func(p []num) (*fitShape, error) { return dr.shape(g, p) }
	return r, setup, nil
}

func buildRates(ctx context.Context, s *RatesState) (*race, any, error) {
	setup := &ratesSetup{View: "rates", CLI: s.cli(), PerEp: 1}
	var rs []*runner
	fail := func(err error) (*race, any, error) {
		closeAll(rs)
		return nil, nil, err
	}
	for _, lr := range s.LRs {
		cfg := s.Opt.Config
		cfg.Set = map[string]bool{"lr": true}
		for k, on := range s.Opt.Config.Set {
			cfg.Set[k] = on
		}
		cfg.LR = lr
		label := "lr=" + fmtG(lr)
		var rn *runner
		if s.Objective != "" {
			m, err := objectiveModel(s.Objective, s.Cond)
			if err != nil {
				return fail(err)
			}
			if rn, err = objectiveRunner(ctx, m, cfg, train.Config{Epochs: s.Steps}, s.Start); err != nil {
				return fail(err)
			}
		} else {
			dr, err := startData(ctx, s.Data, cfg)
			if err != nil {
				return fail(err)
			}
			rn, setup.PerEp = dr.runner, dr.per
		}
		rs = append(rs, rn)
		setup.Paths = append(setup.Paths, infoOf(rn, label, s.Opt.Spec+",lr="+fmtG(lr), ""))
	}
	if s.Objective != "" {
		info, _ := objectiveByName(s.Objective)
		setup.Problem, setup.Objective, setup.Steps = info.Title+": "+info.Formula, &info, s.Steps
	} else {
		setup.Problem = fmt.Sprintf("%s on %s", s.Data.modelSpec(), s.Data.Data)
		setup.Steps = s.Data.Epochs * setup.PerEp
	}
	return newRace(rs), setup, nil
}

// optimizerInfo is optimizers.Describe for the page: which options each
// optimizer takes and their defaults, so the page shows only the sliders
// that apply.
func optimizerInfo() []optimizers.Info { return optimizers.Describe() }
