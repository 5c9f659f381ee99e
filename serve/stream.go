package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"time"
)

// sse writes server-sent events.
type sse struct {
	w http.ResponseWriter
	f http.Flusher
}

func (s sse) send(event string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(s.w, "event: %s\ndata: %s\n\n", event, b); err != nil {
		return err
	}
	s.f.Flush()
	return nil
}

// problem tells the page what is wrong, in one line it shows as is.
func (s sse) problem(err error) { _ = s.send("problem", map[string]string{"error": err.Error()}) }

// sessionOf is the page's session id (one per tab), or the client's
// address when it sent none.
func sessionOf(r *http.Request) string {
	if sid := r.URL.Query().Get("sid"); sidPattern.MatchString(sid) {
		return sid
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr-" + host
}

// stream runs a view and streams it: a "setup" event (the problem, its
// grids and every path's optimizer and stages), a "frame" with each path's
// start, then one "frame" per step command or per tick while playing,
// and "done" when every path has ended. A bad state is one "problem"
// event. The run stops when the page goes away (the request's context
// ends), when the session opens the same view again, after Options.Idle
// without a command, and when the server shuts down.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	out := sse{w, fl}
	q := r.URL.Query()
	q.Del("sid")
	st, err := ParseState(q)
	if err != nil {
		out.problem(err)
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	run, err := s.hub.add(sessionOf(r), st.View, cancel)
	if err != nil {
		out.problem(err)
		return
	}
	defer s.hub.remove(run)
	rc, setup, err := build(ctx, st)
	if err != nil {
		out.problem(err)
		return
	}
	defer rc.close()
	if err := out.send("setup", map[string]any{"run": run.id, "setup": setup}); err != nil {
		return
	}
	f, err := rc.start(ctx)
	if err != nil {
		out.problem(err)
		return
	}
	if out.send("frame", f) != nil || f.Done {
		_ = out.send("done", map[string]bool{"done": true})
		return
	}
	s.drive(ctx, out, run, rc, st.Speed)
}

// drive answers the page's commands until the race is done.
func (s *Server) drive(ctx context.Context, out sse, run *liveRun, rc *race, speed float64) {
	idle := time.NewTimer(s.opts.Idle)
	defer idle.Stop()
	tick := time.NewTicker(s.opts.Frame)
	defer tick.Stop()
	playing, owed := false, 0.0
	emit := func(n int) bool {
		f, err := rc.step(ctx, n)
		if err != nil {
			if ctx.Err() == nil {
				out.problem(err)
			}
			return false
		}
		if out.send("frame", f) != nil {
			return false
		}
		if f.Done {
			_ = out.send("done", map[string]bool{"done": true})
			return false
		}
		return true
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-idle.C:
			out.problem(fmt.Errorf("serve: stopped after %v without a command, to free the server; press reset to start again", s.opts.Idle))
			return
		case c := <-run.ctl:
			idle.Reset(s.opts.Idle)
			switch c.cmd {
			case "play":
				playing, owed = true, 0
			case "pause":
				playing = false
			case "speed":
				speed = c.speed
			case "step":
				playing = false
				if !emit(c.n) {
					return
				}
			}
		case <-tick.C:
			if !playing {
				continue
			}
			owed += speed * s.opts.Frame.Seconds()
			if n := int(owed); n > 0 {
				owed -= float64(n)
				if !emit(n) {
					return
				}
			}
		}
	}
}
