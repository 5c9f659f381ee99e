package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
)

// control is a command from the page to its running view.
type control struct {
	cmd   string // play, pause, step, speed
	n     int
	speed float64
}

// liveRun is one open stream: a view's race, steered through ctl.
type liveRun struct {
	id, sid, view string
	ctl           chan control
	cancel        context.CancelFunc
}

// hub tracks the open streams and enforces the caps: at most max runs on
// the server and perSession per session; a new stream of a session's view
// replaces the one it had open, which is stopped.
type hub struct {
	mu         sync.Mutex
	max        int
	perSession int
	runs       map[string]*liveRun            // by id
	sessions   map[string]map[string]*liveRun // sid → view → run
}

func newHub(max, perSession int) *hub {
	return &hub{max: max, perSession: perSession, runs: map[string]*liveRun{}, sessions: map[string]map[string]*liveRun{}}
}

// add registers a run for the session's view, replacing the view's
// previous run, or refuses it when a cap is reached.
func (h *hub) add(sid, view string, cancel context.CancelFunc) (*liveRun, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if old := h.sessions[sid][view]; old != nil {
		h.drop(old)
		old.cancel()
	}
	if n := len(h.sessions[sid]); n >= h.perSession {
		return nil, fmt.Errorf("serve: this session already has %d runs open, the most one session may have; close a tab or wait for one to end", n)
	}
	if len(h.runs) >= h.max {
		return nil, fmt.Errorf("serve: the server is running %d views, its limit; try again when one ends", len(h.runs))
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	r := &liveRun{id: hex.EncodeToString(b[:]), sid: sid, view: view, ctl: make(chan control, 16), cancel: cancel}
	h.runs[r.id] = r
	if h.sessions[sid] == nil {
		h.sessions[sid] = map[string]*liveRun{}
	}
	h.sessions[sid][view] = r
	return r, nil
}

// remove unregisters a run; removing one already replaced does nothing.
func (h *hub) remove(r *liveRun) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.runs[r.id] == r {
		h.drop(r)
	}
}

func (h *hub) drop(r *liveRun) {
	delete(h.runs, r.id)
	if m := h.sessions[r.sid]; m[r.view] == r {
		delete(m, r.view)
		if len(m) == 0 {
			delete(h.sessions, r.sid)
		}
	}
}

// get finds a run by id.
func (h *hub) get(id string) *liveRun {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.runs[id]
}

// count is the number of open runs.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.runs)
}
