package serve

import (
	"context"
	"fmt"
	"math"
)

// race is one view's paths advanced together, one step each per round,
// so that optimizers (or learning rates) race on equal terms.
type race struct {
	runners []*runner
	status  []pathStatus
	// shape, when set, adds the fitted model at the last point of a frame.
	shape func(p []num) (*fitShape, error)
	first []num // each path's f at its start
}

// pathStatus is a path's state as the page shows it.
type pathStatus struct {
	// State is running, converged, diverged or finished.
	State string `json:"state"`
	// Step is the number of updates made; F is f at the latest point.
	Step  int    `json:"step"`
	F     num    `json:"f"`
	Label string `json:"label"`
	// End is train's result, once the run has ended.
	End *ending `json:"end,omitempty"`
}

// pathFrame is what one path did in one frame.
type pathFrame struct {
	I      int        `json:"i"`
	Events []event    `json:"ev"`
	Status pathStatus `json:"status"`
	Shape  *fitShape  `json:"shape,omitempty"`
}

// frame is one message of the stream.
type frame struct {
	Paths []pathFrame `json:"paths"`
	Done  bool        `json:"done"`
}

func newRace(runners []*runner) *race {
	return &race{runners: runners, status: make([]pathStatus, len(runners)), first: make([]num, len(runners))}
}

// start reports every path's starting point.
func (r *race) start(ctx context.Context) (*frame, error) {
	f := &frame{}
	for i, rn := range r.runners {
		ev, err := rn.first(ctx)
		if err != nil {
			return nil, err
		}
		if ev.Row != nil {
			r.first[i] = ev.Row.F
		}
		f.Paths = append(f.Paths, r.record(i, ev, pathFrame{I: i}))
	}
	return r.finish(f)
}

// step advances every running path n steps.
func (r *race) step(ctx context.Context, n int) (*frame, error) {
	f := &frame{Paths: make([]pathFrame, len(r.runners))}
	for i := range f.Paths {
		f.Paths[i].I = i
	}
	for range n {
		var live []int
		for i, rn := range r.runners {
			if !rn.ended {
				live = append(live, i)
			}
		}
		if len(live) == 0 {
			break
		}
		for _, i := range live {
			select {
			case r.runners[i].tok <- struct{}{}:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		for _, i := range live {
			ev, err := r.runners[i].recv(ctx)
			if err != nil {
				return nil, err
			}
			f.Paths[i] = r.record(i, ev, f.Paths[i])
		}
	}
	for i := range f.Paths {
		f.Paths[i].Status = r.status[i]
	}
	return r.finish(f)
}

// finish marks a frame done and adds the fitted shape.
func (r *race) finish(f *frame) (*frame, error) {
	f.Done = r.done()
	if r.shape == nil {
		return f, nil
	}
	for i := range f.Paths {
		evs := f.Paths[i].Events
		for j := len(evs) - 1; j >= 0; j-- {
			if evs[j].Row != nil {
				s, err := r.shape(evs[j].Row.P)
				if err != nil {
					return nil, err
				}
				f.Paths[i].Shape = s
				break
			}
		}
	}
	return f, nil
}

// record adds one event to a path's frame and updates its status.
func (r *race) record(i int, ev event, pf pathFrame) pathFrame {
	pf.Events = append(pf.Events, ev)
	st := &r.status[i]
	if ev.Row != nil {
		st.Step, st.F = ev.Row.K, ev.Row.F
	}
	st.State, st.Label = "running", fmt.Sprintf("running: step %d", st.Step)
	if f0, f := float64(r.first[i]), float64(st.F); f-f0 > 1e3*math.Max(math.Abs(f0), 1e-12) && !math.IsInf(f, 0) {
		st.Label = fmt.Sprintf("blowing up: step %d, f %.3g", st.Step, f)
	}
	if e := ev.End; e != nil {
		st.End = e
		switch e.Status {
		case "gradient-tolerance":
			st.State, st.Label = "converged", fmt.Sprintf("converged: ‖∇f‖ below tolerance after %d steps", st.Step)
		case "loss-tolerance":
			st.State, st.Label = "converged", fmt.Sprintf("converged: |Δf| below tolerance after %d steps", st.Step)
		case "diverged":
			st.State, st.Label = "diverged", fmt.Sprintf("diverged at step %d (%s is not finite)", e.DivergedStep, e.What)
		default:
			st.State, st.Label = "finished", fmt.Sprintf("finished: %d steps (%s)", st.Step, e.Status)
		}
	}
	pf.Status = *st
	return pf
}

// done says whether every path has ended.
func (r *race) done() bool {
	for _, rn := range r.runners {
		if !rn.ended {
			return false
		}
	}
	return true
}

// close stops every run.
func (r *race) close() {
	for _, rn := range r.runners {
		rn.close()
	}
}
